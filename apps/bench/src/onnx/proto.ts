import { ONNX_TYPE, onnxProtoRoot } from '@paradox/onnx';

/** ONNX's own schema (onnx.proto, parsed by protobufjs), shared with @paradox/onnx's importer. */
export function onnxRoot(): ReturnType<typeof onnxProtoRoot> {
  return onnxProtoRoot();
}

export const ONNX_FLOAT = ONNX_TYPE.FLOAT;
/** AttributeProto.AttributeType values. */
export const ATTR_FLOAT = 1;
export const ATTR_INT = 2;
export const ATTR_INTS = 7;
