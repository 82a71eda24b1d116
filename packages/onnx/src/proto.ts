import protobuf from 'protobufjs';
import { ONNX_SCHEMA_JSON } from './onnx-schema.js';

/**
 * ONNX's own schema (proto/onnx.proto, verbatim from ONNX 1.12, Apache-2.0), embedded as protobufjs's
 * JSON descriptor (src/onnx-schema.ts, generated) so no file is read: the package runs in browsers.
 * Field names keep the schema's spelling (`op_type`, `raw_data`); int64 fields decode to Long.
 */
let root: protobuf.Root | undefined;

export function onnxProtoRoot(): protobuf.Root {
  if (!root) {
    root = protobuf.Root.fromJSON(JSON.parse(ONNX_SCHEMA_JSON));
  }
  return root;
}

/** The message type `onnx.<name>` (ModelProto, TensorProto, ...). */
export function onnxMessage(name: string): protobuf.Type {
  return onnxProtoRoot().lookupType(`onnx.${name}`);
}

/** An int64 field's value as a JS number (exact up to 2^53; int64 extremes stay far outside int32). */
export function int64(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object' && 'toNumber' in value)
    return (value as { toNumber(): number }).toNumber();
  if (typeof value === 'string') return Number(value);
  return 0;
}
