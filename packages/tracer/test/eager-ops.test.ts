import { getBackend } from '@paradox/backend';
import { randomNormal, randomUniform } from '@paradox/ir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  arange,
  backendExecutor,
  concat,
  type EagerExecutor,
  full,
  interpreterExecutor,
  ones,
  rand,
  randn,
  setEagerExecutor,
  tensor,
  where,
  zeros,
} from '../src/index.js';
import { expectTensor } from './helpers.js';
import './inject-lowering.js';

/**
 * Every primitive and composite against hand-computed values, on every eager executor available:
 * the reference interpreter, and the default backend path with @paradox/backend-js.
 */
const executors: [string, () => Promise<EagerExecutor>][] = [
  ['interpreter', async () => interpreterExecutor],
  [
    'the default backend (backend-js)',
    async () => {
      await import('@paradox/backend-js');
      return backendExecutor;
    },
  ],
];

describe.each(executors)('eager ops on %s', (name, load) => {
  let previous: EagerExecutor;
  beforeAll(async () => {
    previous = setEagerExecutor(await load());
  });
  afterAll(() => {
    setEagerExecutor(previous);
  });

  const x = () =>
    tensor([
      [1, -2, 3],
      [-4, 5, -6],
    ]);

  it('unary ops', () => {
    expectTensor(x().neg(), 'float32', [
      [-1, 2, -3],
      [4, -5, 6],
    ]);
    expectTensor(x().abs(), 'float32', [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectTensor(x().relu(), 'float32', [
      [1, 0, 3],
      [0, 5, 0],
    ]);
    expectTensor(x().sign(), 'float32', [
      [1, -1, 1],
      [-1, 1, -1],
    ]);
    expectTensor(tensor([0, 1, -1]).exp(), 'float32', [1, Math.E, 1 / Math.E]);
    expectTensor(tensor([1, Math.E, 4]).log(), 'float32', [0, 1, Math.log(4)]);
    expectTensor(tensor([0, 4, 9]).sqrt(), 'float32', [0, 2, 3]);
    expectTensor(tensor([1, 4, 0.25]).rsqrt(), 'float32', [1, 0.5, 2]);
    expectTensor(tensor([0, Math.PI / 2]).sin(), 'float32', [0, 1]);
    expectTensor(tensor([0, Math.PI]).cos(), 'float32', [1, -1]);
    expectTensor(tensor([0, 1]).tanh(), 'float32', [0, 0.7615941559557649]);
    expectTensor(tensor([0, 2]).sigmoid(), 'float32', [0.5, 0.8807970779778823]);
    expectTensor(tensor([-1.5, 1.5, 2]).floor(), 'float32', [-2, 1, 2]);
    expectTensor(tensor([-1.5, 1.5, 2]).ceil(), 'float32', [-1, 2, 2]);
    expectTensor(tensor([true, false]).not(), 'bool', [false, true]);
    expectTensor(tensor([1.7, -1.7, 0]).cast('int32'), 'int32', [1, -1, 0]);
    expectTensor(tensor([2, 0]).cast('bool'), 'bool', [true, false]);
  });

  it('binary ops broadcast numpy-style', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([10, 20]);
    expectTensor(a.add(b), 'float32', [
      [11, 22],
      [13, 24],
    ]);
    expectTensor(a.sub(b), 'float32', [
      [-9, -18],
      [-7, -16],
    ]);
    expectTensor(a.mul(b), 'float32', [
      [10, 40],
      [30, 80],
    ]);
    expectTensor(a.div(b), 'float32', [
      [0.1, 0.1],
      [0.3, 0.2],
    ]);
    expectTensor(tensor([2, 3]).pow(tensor([3, 2])), 'float32', [8, 9]);
    expectTensor(tensor([1, 5]).maximum(tensor([3, 2])), 'float32', [3, 5]);
    expectTensor(tensor([1, 5]).minimum(tensor([3, 2])), 'float32', [1, 2]);
    expectTensor(tensor([-7, 7, 7.5]).mod(tensor([3, -3, 2])), 'float32', [2, -2, 1.5]);
    expectTensor(tensor([7, -7], undefined, 'int32').div(2), 'int32', [3, -4]);
  });

  it('comparisons and logic', () => {
    const v = tensor([1, 2, 3]);
    expectTensor(v.eq(2), 'bool', [false, true, false]);
    expectTensor(v.ne(2), 'bool', [true, false, true]);
    expectTensor(v.lt(2), 'bool', [true, false, false]);
    expectTensor(v.le(2), 'bool', [true, true, false]);
    expectTensor(v.gt(2), 'bool', [false, false, true]);
    expectTensor(v.ge(2), 'bool', [false, true, true]);
    const p = tensor([true, true, false, false]);
    const q = tensor([true, false, true, false]);
    expectTensor(p.and(q), 'bool', [true, false, false, false]);
    expectTensor(p.or(q), 'bool', [true, true, true, false]);
    expectTensor(tensor([true, false, true]).where(tensor([1, 2, 3]), 0), 'float32', [1, 0, 3]);
    expectTensor(where(tensor([1, 0]), tensor([[1, 2]]), tensor([[5], [6]])), 'float32', [
      [1, 5],
      [1, 6],
    ]);
  });

  it('JS numbers are weakly typed', () => {
    const i = tensor([1, 2], undefined, 'int32');
    expectTensor(tensor([1.5, 2]).mul(2), 'float32', [3, 4]);
    expectTensor(i.mul(2), 'int32', [2, 4]);
    expectTensor(i.mul(2.5), 'float32', [2.5, 5]);
    expectTensor(tensor([true, false]).add(1), 'int32', [2, 1]);
    expectTensor(i.add(tensor([0.5, 0.5])), 'float32', [1.5, 2.5]);
    if (name === 'interpreter' || getBackend().capabilities.dtypes.includes('float16')) {
      expectTensor(tensor([1, 2], undefined, 'float16').mul(3), 'float16', [3, 6]);
    }
  });

  it('reductions', () => {
    expectTensor(x().sum(), 'float32', -3);
    expectTensor(x().sum(0), 'float32', [-3, 3, -3]);
    expectTensor(x().sum(1, true), 'float32', [[2], [-5]]);
    expectTensor(x().sum([-1, 0]), 'float32', -3);
    expectTensor(x().max(1), 'float32', [3, 5]);
    expectTensor(x().min(0), 'float32', [-4, -2, -6]);
    expectTensor(x().prod(1), 'float32', [-6, 120]);
    expectTensor(x().argmax(1), 'int32', [2, 1]);
    expectTensor(x().argmax(), 'int32', 4);
    expectTensor(x().argmax(undefined, true), 'int32', [[4]]);
  });

  it('matmul', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
    ]);
    expectTensor(a.matmul(b), 'float32', [
      [19, 22],
      [43, 50],
    ]);
    expectTensor(tensor([1, 2]).matmul(b), 'float32', [19, 22]);
    expectTensor(a.matmul(tensor([1, 1])), 'float32', [3, 7]);
    const batch = tensor(
      [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [2, 0],
          [0, 2],
        ],
      ],
      undefined,
      'int32',
    );
    expectTensor(batch.matmul(a), 'float32', [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [2, 4],
        [6, 8],
      ],
    ]);
    expect(() => a.matmul(2 as never)).toThrow(/use mul/);
  });

  it('movement', () => {
    expectTensor(x().reshape([3, 2]), 'float32', [
      [1, -2],
      [3, -4],
      [5, -6],
    ]);
    expectTensor(x().reshape([-1]), 'float32', [1, -2, 3, -4, 5, -6]);
    expectTensor(x().T, 'float32', [
      [1, -4],
      [-2, 5],
      [3, -6],
    ]);
    expectTensor(x().transpose([-1, 0]), 'float32', [
      [1, -4],
      [-2, 5],
      [3, -6],
    ]);
    expectTensor(arange(6).reshape([1, 2, 3]).transpose([2, 0, 1]), 'int32', [[[0, 3]], [[1, 4]], [[2, 5]]]);
    expectTensor(tensor([1, 2, 3]).broadcastTo([2, 3]), 'float32', [
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expectTensor(tensor([1, 2]).pad([[1, 2]]), 'float32', [0, 1, 2, 0, 0]);
    expectTensor(
      tensor([[1], [2]]).pad(
        [
          [0, 0],
          [1, 0],
        ],
        -1,
      ),
      'float32',
      [
        [-1, 1],
        [-1, 2],
      ],
    );
    expectTensor(tensor([1, 2]).concat([tensor([3])]), 'float32', [1, 2, 3]);
    expectTensor(concat([tensor([[1], [2]]), tensor([[3], [4]], undefined, 'int32')], -1), 'float32', [
      [1, 3],
      [2, 4],
    ]);
  });

  it('slice follows numpy', () => {
    const r = arange(10);
    expectTensor(r.slice([2], [8], [2]), 'int32', [2, 4, 6]);
    expectTensor(r.slice([-1], [null], [-1]), 'int32', [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expectTensor(r.slice([-3], [null]), 'int32', [7, 8, 9]);
    expectTensor(r.slice([5], [100]), 'int32', [5, 6, 7, 8, 9]);
    expectTensor(r.slice([8], [2]), 'int32', []);
    const m = arange(12).reshape([3, 4]);
    expectTensor(m.slice([1], [null], [1], [-1]), 'int32', [
      [1, 2, 3],
      [5, 6, 7],
      [9, 10, 11],
    ]);
    expectTensor(m.slice([0, -1], [null, 0], [2, -2]), 'int32', [
      [3, 1],
      [11, 9],
    ]);
    expect(() => m.slice([0], [1], [0])).toThrow(/non-zero integer/);
    expect(() => m.slice([0], [1], [1], [2])).toThrow(/out of range/);
  });

  it('creation', () => {
    expectTensor(zeros([2]), 'float32', [0, 0]);
    expectTensor(ones([2], 'int32'), 'int32', [1, 1]);
    expectTensor(full([2, 2], 7), 'float32', [
      [7, 7],
      [7, 7],
    ]);
    expectTensor(full([1], true), 'bool', [true]);
    expectTensor(arange(5), 'int32', [0, 1, 2, 3, 4]);
    expectTensor(arange(1, 2, 0.25), 'float32', [1, 1.25, 1.5, 1.75]);
    expectTensor(arange(5, 0, -2), 'int32', [5, 3, 1]);
    expectTensor(arange(3, undefined, 1, 'float32'), 'float32', [0, 1, 2]);
    expectTensor(
      rand([4], 42),
      'float32',
      [0, 1, 2, 3].map((i) => randomUniform(42, i)),
    );
    expectTensor(
      randn([3], 7),
      'float32',
      [0, 1, 2].map((i) => randomNormal(7, i)),
      4,
    );
    expect([...rand([3], 1).dataSync()]).not.toEqual([...rand([3], 2).dataSync()]);
    expect(() => rand([2], -1)).toThrow(/seed/);
  });

  it('composites', () => {
    expectTensor(
      tensor([1, 2, 3]).softmax(),
      'float32',
      [0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
    );
    expectTensor(
      tensor([
        [1, 2, 3],
        [1, 1, 1],
      ]).softmax(0),
      'float32',
      [
        [0.5, 0.7310586, 0.8807971],
        [0.5, 0.2689414, 0.1192029],
      ],
    );
    expectTensor(
      tensor([1, 2, 3]).logSoftmax(),
      'float32',
      [-2.40760596444438, -1.40760596444438, -0.40760596444438],
    );
    expectTensor(
      tensor([
        [1, 2],
        [3, 4],
      ]).mean(),
      'float32',
      2.5,
    );
    expectTensor(
      tensor([
        [1, 2],
        [3, 4],
      ]).mean(0, true),
      'float32',
      [[2, 3]],
    );
    expectTensor(arange(4).mean(), 'float32', 1.5);
    expectTensor(tensor([1, 2, 3, 4]).variance(), 'float32', 1.25);
    expectTensor(tensor([1, 2, 3, 4]).variance(0, false, 1), 'float32', 5 / 3);
    expectTensor(tensor([1, 2, 3]).layerNorm(), 'float32', [-1.2247356859083902, 0, 1.2247356859083902]);
    expectTensor(
      tensor([[1, 2, 3]]).layerNorm({ gamma: tensor([1, 2, 3]), beta: tensor([0, 0, 1]) }),
      'float32',
      [[-1.2247356859083902, 0, 4.67420705772517]],
    );
    expectTensor(
      tensor([0, 1, -1, 2]).gelu(),
      'float32',
      [0, 0.8411919906082768, -0.15880800939172324, 1.954597694087775],
    );
    expectTensor(zeros([1, 3, 1]).squeeze(), 'float32', [0, 0, 0]);
    expect(zeros([1, 3, 1]).squeeze(0).shape).toEqual([3, 1]);
    expect(() => zeros([1, 3]).squeeze(1)).toThrow(/size 3, not 1/);
    expect(zeros([3]).unsqueeze(0).shape).toEqual([1, 3]);
    expect(zeros([3]).unsqueeze(-1).shape).toEqual([3, 1]);
    expect(zeros([2, 3, 4]).flatten(1).shape).toEqual([2, 12]);
    expectTensor(arange(6).reshape([2, 3]).flatten(), 'int32', [0, 1, 2, 3, 4, 5]);
  });

  it('invalid operands name the op', () => {
    expect(() => tensor([1, 2]).add(tensor([1, 2, 3]))).toThrow(/add.*broadcast/);
    expect(() => arange(3).exp()).toThrow(/exp/);
    expect(() => tensor([1, 2]).reshape([3])).toThrow(/reshape/);
  });
});
