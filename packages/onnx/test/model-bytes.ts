import { onnxMessage } from '../src/index.js';

/** Encodes a ModelProto given as a plain object (field names as in onnx.proto) for the tests. */
export function encodeModel(graph: object, opset = 17): Uint8Array {
  const Model = onnxMessage('ModelProto');
  const model = { ir_version: 8, opset_import: [{ domain: '', version: opset }], graph };
  const err = Model.verify(model);
  if (err) throw new Error(`test model: ${err}`);
  return Model.encode(Model.fromObject(model)).finish();
}

export const FLOAT = 1;
export const INT64 = 7;

export function valueInfo(name: string, shape: number[], elemType = FLOAT): object {
  return {
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: shape.map((d) => ({ dim_value: d })) } } },
  };
}

export function node(
  op_type: string,
  input: string[],
  output: string[],
  attribute: object[] = [],
  name = `${op_type}_0`,
): object {
  return { op_type, input, output, attribute, name };
}
