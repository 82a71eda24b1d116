import {
  batchNorm,
  clip,
  erf,
  expand,
  gather,
  gelu,
  instanceNorm,
  interpreterExecutor,
  scatterAdd,
  setEagerExecutor,
  tensor,
  tile,
} from '@paradox/tracer';
import { beforeAll, describe, expect, it } from 'vitest';
import { grad } from '../src/index.js';
import { arg, checkDerivatives } from './helpers.js';

beforeAll(() => setEagerExecutor(interpreterExecutor));

describe('op set v2 rules vs finite differences', () => {
  it('gather: repeated, negative and out-of-range rows (the VJP scatters back with scatterAdd)', () => {
    const ids = tensor([2, 0, -1, 2, 7], [5], 'int32');
    checkDerivatives((t) => gather(t, ids, 0), [arg([4, 3], 1)]);
    checkDerivatives((t) => gather(t, tensor([[1, -2]], [1, 2], 'int32'), 1), [arg([2, 3, 2], 2)]);
  });
  it('scatterAdd: data and updates', () => {
    const ids = tensor([1, 1, -1], [3], 'int32');
    checkDerivatives((d, u) => scatterAdd(d, ids, u, 0).mul(d), [arg([3, 2], 3), arg([3, 2], 4)]);
  });
  it('erf and exact gelu', () => {
    checkDerivatives((x) => erf(x), [arg([7], 5, -2.5, 2.5)]);
    checkDerivatives((x) => gelu(x), [arg([7], 6, -3, 3)]);
    checkDerivatives((x) => gelu(x, { approximate: 'tanh' }), [arg([7], 7, -3, 3)]);
  });
  it('clip: gradient passes inside the bounds, not outside', () => {
    checkDerivatives((x) => clip(x, -1, 0.5), [arg([9], 8, -2, 2, [-1, 0.5])]);
    const g = grad((x) => clip(x, -1, 0.5).sum())(tensor([-2, 0, 1]));
    expect([...(g as ReturnType<typeof tensor>).dataSync()]).toEqual([0, 1, 0]);
  });
  it('composites: expand, tile, batchNorm and instanceNorm (every parameter)', () => {
    checkDerivatives((x) => expand(x, [2, 3, 2]), [arg([3, 1], 9)]);
    checkDerivatives((x) => tile(x, [2, 1, 3]), [arg([2, 2], 10)]);
    checkDerivatives(
      (x, scale, bias, mean, variance) => batchNorm(x, { scale, bias, mean, variance }),
      [arg([2, 2, 3], 11), arg([2], 12), arg([2], 13), arg([2], 14), arg([2], 15, 0.5, 2)],
    );
    checkDerivatives(
      (x, scale, bias) => instanceNorm(x, { scale, bias }),
      [arg([2, 2, 4], 16), arg([2], 17), arg([2], 18)],
    );
  });
  it('gather of a gradient table by hand: rows hit twice get twice the cotangent', () => {
    const g = grad((t) => gather(t, tensor([1, 1, 0], [3], 'int32')).sum())(tensor([1, 2, 3, 4], [2, 2]));
    expect([...(g as ReturnType<typeof tensor>).dataSync()]).toEqual([1, 1, 2, 2]);
  });
});
