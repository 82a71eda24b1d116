import { BUILTIN_OP_TABLE } from '@paradox/ir';
import { apply, concat, interpreterExecutor, setEagerExecutor, type Tensor, tensor } from '@paradox/tracer';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULES, grad, NON_DIFFERENTIABLE } from '../src/index.js';
import { arg, checkDerivatives, expectValues } from './helpers.js';

beforeAll(() => setEagerExecutor(interpreterExecutor));

describe('the rule table', () => {
  it('has exactly one entry per built-in op', () => {
    expect(Object.keys(BUILTIN_RULES).sort()).toEqual(Object.keys(BUILTIN_OP_TABLE).sort());
    const nonDiff = Object.entries(BUILTIN_RULES)
      .filter(([, r]) => r === NON_DIFFERENTIABLE)
      .map(([op]) => op)
      .sort();
    expect(nonDiff).toEqual(
      [
        'and',
        'argmax',
        'argmin',
        'ceil',
        'constant',
        'eq',
        'floor',
        'full',
        'ge',
        'gt',
        'iota',
        'le',
        'lt',
        'ne',
        'not',
        'or',
        'random',
        'sign',
      ].sort(),
    );
  });
});

describe('reductions vs finite differences', () => {
  it('sum over axes, with and without keepdims', () => {
    checkDerivatives((x) => x.sum(1).mul(x.sum([0, 2], true).sum()), [arg([2, 3, 2], 1)]);
  });
  it('max and min (distinct values)', () => {
    checkDerivatives((x) => x.max(1).add(x.min(0, true).sum()), [arg([3, 4], 2)]);
  });
  it('prod without zeros', () => {
    checkDerivatives((x) => x.prod(1), [arg([2, 3], 3, 0.5, 1.5)]);
  });
  it('prod with one and with two zeros in a row: the product of the others, no NaN', () => {
    const g = grad((x: Tensor) => x.prod(1).sum())(tensor([2, 0, 3, 0, 0, 5], [2, 3])) as Tensor;
    expectValues(g, [0, 6, 0, 0, 0, 0]);
  });
  it('max/min split the gradient equally among tied elements (as JAX)', () => {
    expectValues(grad((x: Tensor) => x.max())(tensor([1, 3, 3, 2])) as Tensor, [0, 0.5, 0.5, 0]);
    expectValues(grad((x: Tensor) => x.min(1).sum())(tensor([1, 1, 1, 4, 2, 4], [2, 3])) as Tensor, [
      1 / 3,
      1 / 3,
      1 / 3,
      0,
      1,
      0,
    ]);
  });
  it('argmax is non-differentiable', () => {
    const x = tensor([1, 4, 2]);
    expectValues(grad((v: Tensor) => v.argmax().cast('float32').add(v.sum()))(x) as Tensor, [1, 1, 1]);
  });
});

describe('matmul vs finite differences', () => {
  it('2-D @ 2-D', () => checkDerivatives((a, b) => a.matmul(b), [arg([2, 3], 4), arg([3, 4], 5)]));
  it('1-D lhs and 1-D rhs', () => {
    checkDerivatives((a, b) => a.matmul(b), [arg([3], 6), arg([3, 2], 7)]);
    checkDerivatives((a, b) => a.matmul(b), [arg([2, 3], 8), arg([3], 9)]);
    checkDerivatives((a, b) => a.matmul(b), [arg([3], 10), arg([3], 11)]);
  });
  it('batch dims, broadcast', () => {
    checkDerivatives((a, b) => a.matmul(b), [arg([2, 1, 2, 3], 12), arg([3, 3, 2], 13)]);
    checkDerivatives((a, b) => a.matmul(b), [arg([2, 2, 3], 14), arg([3, 2], 15)]);
  });
});

describe('movement vs finite differences', () => {
  it('reshape and transpose', () => {
    checkDerivatives((x) => x.reshape([3, -1]).transpose([1, 0]).sin(), [arg([2, 3, 2], 16)]);
    checkDerivatives((x) => x.transpose([2, 0, 1]).mul(x.transpose([2, 0, 1]).cos()), [arg([2, 3, 4], 17)]);
  });
  it('broadcast (new leading axes and stretched size-1 axes)', () => {
    checkDerivatives(
      (x) =>
        x
          .broadcastTo([2, 3, 4])
          .mul(tensor([1, 2, 3, 4]))
          .sin(),
      [arg([3, 1], 18)],
    );
  });
  it('slice with starts, stops and positive, negative and > 1 steps', () => {
    checkDerivatives((x) => x.slice([1, 0], [null, 5], [2, 3]).exp(), [arg([5, 6], 19)]);
    checkDerivatives((x) => x.slice([-1, 4], [0, null], [-2, -1]).sin(), [arg([5, 6], 20)]);
    checkDerivatives((x) => x.slice([3], [null], [-3], [1]).mul(2), [arg([2, 7], 21)]);
  });
  it('an empty slice has zero gradient', () => {
    const g = grad((x: Tensor) => x.slice([2], [2]).sum().add(x.sum()))(tensor([1, 2, 3])) as Tensor;
    expectValues(g, [1, 1, 1]);
  });
  it('pad', () => {
    checkDerivatives(
      (x) =>
        x
          .pad(
            [
              [1, 2],
              [0, 3],
            ],
            5,
          )
          .sin(),
      [arg([2, 3], 22)],
    );
  });
  it('concat (several operands, some constant)', () => {
    checkDerivatives(
      (a, b) => concat([a, tensor([[9, 9]]), b.mul(2)], 0).sin(),
      [arg([2, 2], 23), arg([3, 2], 24)],
    );
    checkDerivatives((a, b) => a.concat([b], -1).cos(), [arg([2, 1], 25), arg([2, 3], 26)]);
  });
  it('apply() primitives are differentiated like tensor methods', () => {
    checkDerivatives(
      (x) => apply('slice', [x], { starts: [0, 1], stops: [null, null], steps: [1, 2] }).exp(),
      [arg([2, 4], 27)],
    );
  });
});

describe('composites differentiate through their primitives', () => {
  it('softmax, logSoftmax, layerNorm (with gamma and beta), gelu, mean, variance', () => {
    checkDerivatives((x) => x.softmax(), [arg([2, 4], 28)]);
    checkDerivatives((x) => x.logSoftmax(0), [arg([3, 2], 29)]);
    checkDerivatives(
      (x, g, b) => x.layerNorm({ gamma: g, beta: b }),
      [arg([2, 4], 30), arg([4], 31), arg([4], 32)],
    );
    checkDerivatives((x) => x.gelu().add(x.mean(0)).add(x.variance(1, true)), [arg([3, 3], 33)]);
  });
  it('logSoftmax is stable for large logits (finite gradient, rows sum to 0)', () => {
    const g = grad((x: Tensor) =>
      x
        .logSoftmax()
        .mul(tensor([1, 0, 0]))
        .sum(),
    )(tensor([1000, 0, -1000])) as Tensor;
    expectValues(g, [0, 0, 0]);
  });
});
