import { interpreterExecutor, setEagerExecutor, type Tensor, tensor, where } from '@paradox/tracer';
import { beforeAll, describe, expect, it } from 'vitest';
import { grad } from '../src/index.js';
import { arg, checkDerivatives, expectValues } from './helpers.js';

// Eager ops on the reference interpreter; every rule against central finite differences (float32).
beforeAll(() => setEagerExecutor(interpreterExecutor));

const x23 = (seed: number, lo = -2, hi = 2, avoid: number[] = []) => arg([2, 3], seed, lo, hi, avoid);

describe('unary rules vs finite differences', () => {
  const cases: [string, (x: Tensor) => Tensor, number, number, number[]][] = [
    ['neg', (x) => x.neg(), -2, 2, []],
    ['abs', (x) => x.abs(), -2, 2, [0]],
    ['exp', (x) => x.exp(), -2, 2, []],
    ['log', (x) => x.log(), 0.5, 3, []],
    ['sqrt', (x) => x.sqrt(), 0.5, 3, []],
    ['rsqrt', (x) => x.rsqrt(), 0.5, 3, []],
    ['sin', (x) => x.sin(), -3, 3, []],
    ['cos', (x) => x.cos(), -3, 3, []],
    ['tanh', (x) => x.tanh(), -2, 2, []],
    ['sigmoid', (x) => x.sigmoid(), -3, 3, []],
    ['relu', (x) => x.relu(), -2, 2, [0]],
  ];
  for (const [name, f, lo, hi, avoid] of cases) {
    it(name, () => checkDerivatives(f, [x23(name.length * 31, lo, hi, avoid)]));
  }

  it('float casts carry the gradient in the input dtype; casts to int32/bool give zero', () => {
    const x = tensor([1.25, -2.5]);
    expectValues(grad((v: Tensor) => v.cast('float16').mul(3).cast('float32').sum())(x) as Tensor, [3, 3]);
    const viaInt = grad((v: Tensor) => v.cast('int32').cast('float32').add(v.mul(2)).sum())(x) as Tensor;
    expectValues(viaInt, [2, 2]);
  });

  it('non-differentiable ops (floor, ceil, sign, comparisons, not/and/or) give zero gradient', () => {
    const x = tensor([0.3, -1.7, 2.2]);
    const f = (v: Tensor) =>
      v
        .floor()
        .add(v.ceil())
        .add(v.sign())
        .add(v.gt(0).and(v.lt(1)).or(v.eq(2).not()).cast('float32'))
        .add(v.mul(5))
        .sum();
    expectValues(grad(f)(x) as Tensor, [5, 5, 5]);
  });
});

describe('binary rules vs finite differences', () => {
  const cases: [string, (a: Tensor, b: Tensor) => Tensor, [number, number], [number, number]][] = [
    ['add', (a, b) => a.add(b), [-2, 2], [-2, 2]],
    ['sub', (a, b) => a.sub(b), [-2, 2], [-2, 2]],
    ['mul', (a, b) => a.mul(b), [-2, 2], [-2, 2]],
    ['div', (a, b) => a.div(b), [-2, 2], [0.5, 2]],
    ['pow', (a, b) => a.pow(b), [0.5, 2], [-1.5, 1.5]],
    ['maximum', (a, b) => a.maximum(b), [-2, 2], [-2, 2]],
    ['minimum', (a, b) => a.minimum(b), [-2, 2], [-2, 2]],
    ['mod', (a, b) => a.mod(b), [0.1, 0.9], [1, 1.5]],
  ];
  for (const [name, f, [alo, ahi], [blo, bhi]] of cases) {
    it(name, () =>
      checkDerivatives(f, [x23(name.length * 7 + 1, alo, ahi), x23(name.length * 13 + 2, blo, bhi)]),
    );
  }

  it('broadcast operands get the gradient summed over the broadcast axes', () => {
    checkDerivatives((a, b) => a.mul(b).add(b.sin()), [arg([2, 1, 3], 5), arg([4, 1], 6)]);
  });

  it('where sends the cotangent to the chosen branch only', () => {
    checkDerivatives((c, a, b) => where(c.gt(0), a.mul(a), b.exp()), [x23(3, -2, 2, [0]), x23(4), x23(5)]);
  });

  it('maximum/minimum split a tie equally (as JAX)', () => {
    const a = tensor([1, 2, 3]);
    const b = tensor([1, 5, 0]);
    const [ga, gb] = grad((x: Tensor, y: Tensor) => x.maximum(y).sum(), { argnums: [0, 1] })(
      a,
      b,
    ) as Tensor[];
    expectValues(ga!, [0.5, 0, 1]);
    expectValues(gb!, [0.5, 1, 0]);
    const [ma, mb] = grad((x: Tensor, y: Tensor) => x.minimum(y).sum(), { argnums: [0, 1] })(
      a,
      b,
    ) as Tensor[];
    expectValues(ma!, [0.5, 1, 0]);
    expectValues(mb!, [0.5, 0, 1]);
  });

  it("pow's exponent gradient is 0 (not NaN) at a zero base", () => {
    const g = grad((e: Tensor) => tensor([0, 2]).pow(e).sum())(tensor([2, 3])) as Tensor;
    expectValues(g, [0, 8 * Math.log(2)]);
    expect(Number.isNaN(g.dataSync()[0])).toBe(false);
  });
});
