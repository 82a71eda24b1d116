import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  argmin,
  clip,
  type EagerExecutor,
  erf,
  gather,
  gelu,
  oneHot,
  scatterAdd,
  setEagerExecutor,
  TensorArgumentError,
  take,
  tensor,
  trace,
} from '../src/index.js';
import { EAGER_EXECUTORS, expectTensor } from './helpers.js';
import './inject-lowering.js';

/** op set v2's tracer API against hand-computed values, eagerly on every executor and traced. */
describe.each(EAGER_EXECUTORS)('op set v2 on %s', (_name, load) => {
  let previous: EagerExecutor;
  beforeAll(async () => {
    previous = setEagerExecutor(await load());
  });
  afterAll(() => {
    setEagerExecutor(previous);
  });
  const table = () =>
    tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);

  it('gather / take: embedding rows, negative and clamped indices, flattened take', () => {
    expectTensor(gather(table(), [2, -3, 5]), 'float32', [
      [5, 6],
      [1, 2],
      [5, 6],
    ]);
    expectTensor(gather(table(), [[1], [0]], 1), 'float32', [
      [[2], [1]],
      [[4], [3]],
      [[6], [5]],
    ]);
    expectTensor(take(table(), [0, 5, -1]), 'float32', [1, 6, 6]);
    expect(() => gather(table(), [0.5])).toThrow(TensorArgumentError);
  });
  it('scatterAdd accumulates repeated indices', () => {
    expectTensor(
      scatterAdd(
        table(),
        [0, 0, 2],
        tensor([
          [1, 1],
          [2, 2],
          [3, 3],
        ]),
      ),
      'float32',
      [
        [4, 5],
        [3, 4],
        [8, 9],
      ],
    );
  });
  it('oneHot: axis, values, negative and out-of-range indices', () => {
    expectTensor(oneHot([0, -1, 3], 3), 'float32', [
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    expectTensor(oneHot([1, 2], 3, { axis: 0, values: [-1, 5], dtype: 'int32' }), 'int32', [
      [-1, -1],
      [5, -1],
      [-1, 5],
    ]);
  });
  it('argmin along an axis and flattened', () => {
    const m = () =>
      tensor([
        [3, 1, 2],
        [0, 5, 0],
      ]);
    expectTensor(argmin(m(), 1), 'int32', [1, 0]);
    expectTensor(argmin(m()), 'int32', 3);
    expectTensor(argmin(m(), 0, true), 'int32', [[1, 0, 1]]);
  });
  it('erf, exact and tanh gelu, clip', () => {
    expectTensor(erf(tensor([-1, 0, 0.5, 2])), 'float32', [-0.8427008, 0, 0.5204999, 0.9953223], 6);
    expectTensor(gelu(tensor([-1, 0.5, 2])), 'float32', [-0.1586553, 0.3457312, 1.9544997], 6);
    expectTensor(
      gelu(tensor([-1, 0.5, 2]), { approximate: 'tanh' }),
      'float32',
      [-0.158808, 0.345714, 1.954598],
      5,
    );
    expectTensor(clip(tensor([-3, 0.5, 7, Number.NaN]), -1, 2), 'float32', [-1, 0.5, 2, Number.NaN]);
    expectTensor(clip(tensor([-3, 7]), undefined, 2), 'float32', [-3, 2]);
    expectTensor(clip(tensor([-3, 7]), tensor([5]), 2), 'float32', [2, 2]);
  });
});

describe('op set v2 traced', () => {
  it('records gather, scatterAdd, argmin and erf as single ops', () => {
    const g = trace(
      (t: ReturnType<typeof tensor>, i: ReturnType<typeof tensor>) => [
        gather(t, i),
        scatterAdd(t, i, gather(t, i)),
        argmin(t, 1),
        erf(t),
      ],
      tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      tensor([0, 2, -1, 1], [4], 'int32'),
    );
    expect(g.nodes.map((n) => n.op).sort()).toEqual(
      ['argmin', 'erf', 'gather', 'gather', 'scatterAdd'].sort(),
    );
  });
});
