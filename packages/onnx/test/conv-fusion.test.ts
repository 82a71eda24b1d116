import '@paradox/backend-js';
import '@paradox/jit';
import { interpret } from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import { onnxSession } from '../src/index.js';
import { encodeModel, FLOAT, node, valueInfo } from './model-bytes.js';

const ramp = (n: number, scale: number) => Array.from({ length: n }, (_, i) => ((i * 7) % 11) * scale - 0.3);

// relu(conv(x, w) + b): ONNX Conv with its bias input, then Relu.
const convReluModel = encodeModel({
  name: 'g',
  node: [
    node(
      'Conv',
      ['x', 'w', 'b'],
      ['c'],
      [
        { name: 'kernel_shape', type: 7, ints: [3, 3] },
        { name: 'pads', type: 7, ints: [1, 1, 1, 1] },
      ],
    ),
    node('Relu', ['c'], ['y']),
  ],
  initializer: [
    { name: 'w', dims: [3, 2, 3, 3], data_type: FLOAT, float_data: ramp(54, 0.05) },
    { name: 'b', dims: [3], data_type: FLOAT, float_data: [0.1, -0.4, 0.25] },
  ],
  input: [valueInfo('x', [1, 2, 6, 6])],
  output: [valueInfo('y', [1, 3, 6, 6])],
});

describe('Conv + bias + Relu from ONNX', () => {
  it('compiles to one kernel (bias and relu fused into the conv) with the reference values', async () => {
    const s = onnxSession(convReluModel, { backend: 'js' });
    const inspection = s.compiled.inspect();
    expect(inspection.kernelCount).toBe(1);
    const x = Float32Array.from(ramp(72, 0.1));
    const out = await s.run({ x: { data: x, dims: [1, 2, 6, 6] } });
    const [want] = interpret(s.model.graph, [x]);
    const got = await out.y!.data();
    expect(got.length).toBe(want!.data.length);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want!.data[i]!, 5);
    expect(Array.from(got).some((v) => v === 0) && Array.from(got).some((v) => v > 0)).toBe(true);
  });
});
