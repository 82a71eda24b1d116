import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { expect, it } from 'vitest';
import { onnxMessage } from '../src/index.js';
import { ONNX_SCHEMA_JSON } from '../src/onnx-schema.js';

it('the embedded schema is proto/onnx.proto (npm run embed-schema -w @paradox/onnx after editing it)', () => {
  const text = readFileSync(new URL('../proto/onnx.proto', import.meta.url), 'utf8');
  const parsed = protobuf.parse(text, { keepCase: true }).root.toJSON();
  expect(JSON.parse(ONNX_SCHEMA_JSON)).toEqual(JSON.parse(JSON.stringify(parsed)));
});

it('decodes what it encodes with the schema spelling of field names', () => {
  const Tensor = onnxMessage('TensorProto');
  const bytes = Tensor.encode(
    Tensor.fromObject({ dims: [2, 3], data_type: 1, float_data: [1, 2, 3, 4, 5, 6] }),
  ).finish();
  const back = Tensor.toObject(Tensor.decode(bytes), { longs: Number });
  expect(back.dims).toEqual([2, 3]);
  expect(back.float_data).toEqual([1, 2, 3, 4, 5, 6]);
});
