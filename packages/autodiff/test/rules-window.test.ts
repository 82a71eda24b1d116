import {
  avgPool,
  conv,
  convTranspose,
  cumsum,
  interpreterExecutor,
  maxPool,
  setEagerExecutor,
  type Tensor,
  tensor,
} from '@paradox/tracer';
import { beforeAll, describe, it } from 'vitest';
import { grad } from '../src/index.js';
import { type Arg, arg, checkDerivatives, expectValues, seeded } from './helpers.js';

beforeAll(() => setEagerExecutor(interpreterExecutor));

/** Distinct values at least 0.1 apart (a finite difference must not cross a max's tie). */
function distinct(shape: number[], seed: number): Arg {
  const n = shape.reduce((a, b) => a * b, 1);
  const next = seeded(seed);
  const order = Array.from({ length: n }, (_, i) => i).sort(() => next() - 0);
  return { shape, values: order.map((i) => (i - n / 2) * 0.1) };
}

describe('conv vs finite differences (the input gradient is a convTranspose, the weights a conv)', () => {
  it('2-D, padded and strided, both operands', () => {
    checkDerivatives(
      (x, w) =>
        conv(x, w, {
          strides: [2, 1],
          pads: [
            [1, 0],
            [1, 2],
          ],
        }),
      [arg([2, 2, 5, 4], 1), arg([3, 2, 3, 2], 2)],
    );
  });
  it('1-D, dilated and grouped, with a window overhang the conv never reads', () => {
    checkDerivatives(
      (x, w) => conv(x, w, { dilations: 2, strides: 3, groups: 2, pads: 1 }),
      [arg([1, 4, 10], 3), arg([4, 2, 2], 4)],
    );
  });
  it("3-D with 'same_lower' padding", () => {
    checkDerivatives(
      (x, w) => conv(x, w, { pads: 'same_lower' }),
      [arg([1, 1, 3, 2, 3], 5), arg([2, 1, 2, 2, 2], 6)],
    );
  });
});

describe('convTranspose vs finite differences', () => {
  it('2-D, strided, dilated, grouped, with pads and output padding', () => {
    checkDerivatives(
      (x, w) =>
        convTranspose(x, w, {
          strides: [2, 3],
          dilations: [1, 2],
          pads: [
            [1, 0],
            [0, 1],
          ],
          outputPadding: [1, 2],
          groups: 2,
        }),
      [arg([1, 4, 3, 2], 7), arg([4, 2, 2, 2], 8)],
    );
  });
});

describe('pools vs finite differences', () => {
  it('maxPool routes to each window maximum (ceil mode, padding, dilation)', () => {
    checkDerivatives(
      (x) =>
        maxPool(x, [3, 2], {
          strides: 2,
          dilations: [1, 2],
          pads: [
            [1, 1],
            [0, 1],
          ],
          ceilMode: true,
        }),
      [distinct([2, 2, 6, 5], 9)],
    );
  });
  it('maxPool gives a tie to the first maximum only (row-major window order)', () => {
    const x = tensor([1, 3, 3, 0, 3, 2], [1, 1, 6]);
    const g = grad((t: Tensor) => maxPool(t, 3, { strides: 3 }).sum())(x) as Tensor;
    expectValues(g, [0, 1, 0, 0, 1, 0]);
  });
  it('avgPool with and without countIncludePad', () => {
    for (const countIncludePad of [false, true]) {
      checkDerivatives(
        (x) =>
          avgPool(x, [2, 3], {
            strides: [2, 1],
            pads: [
              [1, 1],
              [1, 0],
            ],
            ceilMode: true,
            countIncludePad,
          }),
        [arg([1, 2, 5, 4], 10)],
      );
    }
  });
});

describe('cumsum vs finite differences', () => {
  it('every direction', () => {
    for (const exclusive of [false, true]) {
      for (const reverse of [false, true]) {
        checkDerivatives((x) => cumsum(x, 1, { exclusive, reverse }), [arg([2, 5], 11)]);
      }
    }
  });
});
