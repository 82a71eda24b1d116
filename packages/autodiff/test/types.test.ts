import '@paradox/backend-js';
import { jit } from '@paradox/jit';
import { interpreterExecutor, setEagerExecutor, type Tensor, tensor } from '@paradox/tracer';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { grad, jvp, valueAndGrad, vjp } from '../src/index.js';
import { expectValues } from './helpers.js';

/**
 * grad, valueAndGrad, vjp and jvp are typed from the differentiated function (checked by
 * `npm run typecheck`; `@ts-expect-error` lines fail it when a wrong use compiles), and the typed
 * results are used without casts against hand-computed gradients.
 */
beforeAll(() => setEagerExecutor(interpreterExecutor));

interface Params {
  w: Tensor;
  b: Tensor;
  name: string;
}
/** (w x + b - y)^2 summed: with w = 2, b = 1, x = 3, y = 4 the residual r is 3 and the loss 9. */
const loss = (p: Params, x: Tensor, y: Tensor): Tensor => {
  const r = p.w.mul(x).add(p.b).sub(y);
  return r.mul(r).sum();
};
const params = (): Params => ({ w: tensor([2]), b: tensor([1]), name: 'layer' });
const [x, y] = [tensor([3]), tensor([4])];

describe('typed differentiation', () => {
  it("grad: the gradient has the differentiated argument's type", () => {
    const g = grad(loss);
    expectTypeOf(g).parameters.toEqualTypeOf<[p: Params, x: Tensor, y: Tensor]>();
    expectTypeOf(g).returns.toEqualTypeOf<Params>();
    const dp = g(params(), x, y);
    expectValues(dp.w, [18]); // 2 r x
    expectValues(dp.b, [6]); // 2 r
    expect(dp.name).toBe('layer'); // static leaves are kept

    const dx = grad(loss, { argnums: 1 })(params(), x, y);
    expectTypeOf(dx).toEqualTypeOf<Tensor>();
    expectValues(dx, [12]); // 2 r w

    const [dp2, dy] = grad(loss, { argnums: [0, 2] })(params(), x, y);
    expectTypeOf(grad(loss, { argnums: [0, 2] })).returns.toEqualTypeOf<[Params, Tensor]>();
    expectValues(dp2.b, [6]);
    expectValues(dy, [-6]); // -2 r
  });

  it('valueAndGrad: [the loss, the gradient], also through jit', () => {
    const [value, dp] = valueAndGrad(loss)(params(), x, y);
    expectTypeOf(valueAndGrad(loss)).returns.toEqualTypeOf<[Tensor, Params]>();
    expectValues(value, [9]);
    expectValues(dp.w, [18]);
    const step = jit(valueAndGrad(loss, { argnums: [0, 1] }));
    expectTypeOf(step).returns.toEqualTypeOf<[Tensor, [Params, Tensor]]>();
    const [jitValue, [jdp, jdx]] = step(params(), x, y);
    expectValues(jitValue, [9]);
    expectValues(jdp.w, [18]);
    expectValues(jdx, [12]);
  });

  it('vjp and jvp: cotangents and tangents shaped like the result and the primals', () => {
    const square = (t: Tensor) => t.mul(t);
    const [out, back] = vjp(square, tensor([3]));
    expectTypeOf(out).toEqualTypeOf<Tensor>();
    expectTypeOf(back).toEqualTypeOf<(cotangent: Tensor) => [t: Tensor]>();
    const [dt] = back(tensor([1]));
    expectValues(dt, [6]);
    const [primal, tangent] = jvp(square, [tensor([3])], [tensor([1])]);
    expectTypeOf(tangent).toEqualTypeOf<Tensor>();
    expectValues(primal, [9]);
    expectValues(tangent, [6]);
  });

  it('wrong uses do not compile', () => {
    // A function that does not return a tensor cannot be differentiated.
    // @ts-expect-error f must return a tensor
    expect(() => grad((t: Tensor) => [t.sum()])(tensor([1]))).toThrow(/something else than a tensor/);
    // @ts-expect-error the gradient function takes f's parameters
    expect(() => grad(loss)(tensor([1]))).toThrow();
    // @ts-expect-error argnums [0, 1] gives a pair, not a Params
    const wrong: Params = grad(loss, { argnums: [0, 1] })(params(), x, y);
    expect(Array.isArray(wrong)).toBe(true);
    // @ts-expect-error a tangent for each primal
    expect(() => jvp(loss, [params(), x, y], [x])).toThrow(/3 primals but 1 tangents/);
  });
});
