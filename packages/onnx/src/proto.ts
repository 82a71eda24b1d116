import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

/**
 * ONNX's own schema (proto/onnx.proto, verbatim from ONNX 1.12, Apache-2.0), parsed by protobufjs.
 * Field names keep the schema's spelling (`op_type`, `raw_data`); int64 fields decode to Long.
 */
let root: protobuf.Root | undefined;

export function onnxProtoRoot(): protobuf.Root {
  if (!root) {
    const text = readFileSync(new URL('../proto/onnx.proto', import.meta.url), 'utf8');
    root = protobuf.parse(text, { keepCase: true }).root;
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
