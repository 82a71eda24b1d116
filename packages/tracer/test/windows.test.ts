import { describe, expect, it } from 'vitest';
import {
  avgPool,
  conv,
  convTranspose,
  cumsum,
  globalAvgPool,
  globalMaxPool,
  maxPool,
  type Tensor,
  TensorArgumentError,
  tensor,
  trace,
} from '../src/index.js';

/** The tracer's windowed-op API: option spellings, defaults, bias, ONNX's output_shape, global pools. */

/** Shape and values (float32, to 5 digits). */
function expectFlat(t: Tensor, shape: number[], values: number[]): void {
  expect([...t.shape]).toEqual(shape);
  const got = Array.from(t.dataSync());
  expect(got).toHaveLength(values.length);
  got.forEach((v, i) => {
    expect(v).toBeCloseTo(values[i]!, 5);
  });
}
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
const ones = (shape: number[]) => tensor(new Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape);

describe('windowed ops in the tracer', () => {
  it('conv: numbers stand for every spatial axis, bias adds per output channel', () => {
    const x = tensor(range(25), [1, 1, 5, 5]);
    const w = ones([2, 1, 3, 3]);
    const y = conv(x, w, { strides: 2, pads: 1, bias: tensor([0, 100]) });
    const plane = [12, 27, 24, 63, 108, 81, 72, 117, 84];
    expectFlat(y, [1, 2, 3, 3], [...plane, ...plane.map((v) => v + 100)]);
  });

  it("convTranspose from ONNX's output_shape (convtranspose_output_shape)", () => {
    const x = tensor(range(9), [1, 1, 3, 3]);
    const y = convTranspose(x, ones([1, 2, 3, 3]), { strides: [3, 2], outputShape: [10, 8] });
    const rows = [
      ...new Array(3).fill([0, 0, 1, 1, 3, 2, 2, 0]),
      ...new Array(3).fill([3, 3, 7, 4, 9, 5, 5, 0]),
      ...new Array(3).fill([6, 6, 13, 7, 15, 8, 8, 0]),
      [0, 0, 0, 0, 0, 0, 0, 0],
    ].flat();
    expectFlat(y, [1, 2, 10, 8], [...rows, ...rows]);
  });

  it('pools: defaults are stride 1, no padding, floor mode, padding excluded from the count', () => {
    const x = tensor([1, 2, 3, 4, 5], [1, 1, 5]);
    expectFlat(maxPool(x, 2), [1, 1, 4], [2, 3, 4, 5]);
    expectFlat(avgPool(x, 2, { pads: 1, strides: 2 }), [1, 1, 3], [1, 2.5, 4.5]);
    expectFlat(avgPool(x, 2, { pads: 1, strides: 2, countIncludePad: true }), [1, 1, 3], [0.5, 2.5, 4.5]);
  });

  it('global pools keep the spatial axes as size 1', () => {
    const x = tensor(range(12), [1, 2, 2, 3]);
    expectFlat(globalMaxPool(x), [1, 2, 1, 1], [5, 11]);
    expectFlat(globalAvgPool(x), [1, 2, 1, 1], [2.5, 8.5]);
  });

  it('cumsum, and every op traces to one node of its own', () => {
    expectFlat(cumsum(tensor([1, 2, 3]), 0, { reverse: true }), [3], [6, 5, 3]);
    const g = trace((x: Tensor, w: Tensor) => maxPool(conv(x, w), 2), ones([1, 1, 4, 4]), ones([1, 1, 1, 1]));
    expect(g.nodes.map((n) => n.op)).toEqual(['conv', 'maxPool']);
    expect(g.nodes[1]!.attrs).toEqual({
      kernel: [2, 2],
      strides: [1, 1],
      dilations: [1, 1],
      pads: [
        [0, 0],
        [0, 0],
      ],
      ceilMode: false,
    });
  });

  it('bad arguments are TensorArgumentErrors naming the op', () => {
    const x = tensor(range(4), [2, 2]);
    expect(() => conv(x, x)).toThrow(TensorArgumentError);
    expect(() => maxPool(tensor(range(4), [1, 1, 4]), [2, 2])).toThrow(
      /maxPool.*'kernel' has 2 entries for 1 spatial axes/,
    );
    expect(() => globalAvgPool(x)).toThrow(/globalAvgPool/);
    expect(() => conv(tensor(range(4), [1, 1, 4]), 3 as unknown as Tensor)).toThrow(
      /the weights is not a Tensor/,
    );
  });
});
