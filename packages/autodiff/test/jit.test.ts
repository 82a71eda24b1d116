import '@paradox/backend-js';
import { jitCompile } from '@paradox/jit';
import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { grad, jvp, stopGradient, valueAndGrad } from '../src/index.js';
import { arg } from './helpers.js';

type Params = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };

const t = (a: { shape: number[]; values: number[] }) => tensor(a.values, a.shape);
const params = (): Params => ({
  w1: t(arg([4, 5], 1, -0.5, 0.5)),
  b1: t(arg([5], 2, -0.1, 0.1)),
  w2: t(arg([5, 3], 3, -0.5, 0.5)),
  b2: t(arg([3], 4, -0.1, 0.1)),
});

/** Cross-entropy of a 4-5-3 MLP on one-hot labels. */
function loss(p: Params, x: Tensor, labels: Tensor): Tensor {
  const h = x.matmul(p.w1).add(p.b1).relu();
  const logits = h.matmul(p.w2).add(p.b2);
  return logits.logSoftmax().mul(labels).sum(1).mean().neg();
}

const close = (a: Tensor, b: Tensor) => {
  expect([...a.shape]).toEqual([...b.shape]);
  const x = a.dataSync();
  const y = b.dataSync();
  x.forEach((v, i) => {
    expect(v).toBeCloseTo(y[i]!, 5);
  });
};

describe('autodiff under jit', () => {
  const x = t(arg([6, 4], 5));
  const labels = tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1], [6, 3]);

  it('jit(valueAndGrad(loss)) equals the eager gradient, in one compiled program', () => {
    const p = params();
    const [eagerValue, eagerGrads] = valueAndGrad(loss)(p, x, labels) as [Tensor, Params];
    const step = jitCompile(valueAndGrad(loss));
    const [value, grads] = step(p, x, labels) as [Tensor, Params];
    close(value, eagerValue);
    for (const k of ['w1', 'b1', 'w2', 'b2'] as const) close(grads[k], eagerGrads[k]);
    // The forward and backward pass are one graph the pipeline fuses: far fewer kernels than ops.
    const inspection = step.inspect();
    expect(inspection.kernelCount).toBeGreaterThan(0);
    expect(inspection.kernelCount).toBeLessThan(20);
    // A warm call with new values reuses the program and gives the new gradient.
    const x2 = t(arg([6, 4], 9));
    const [, again] = step(p, x2, labels) as [Tensor, Params];
    close(again.w1, (grad(loss)(p, x2, labels) as Params).w1);
    expect(step.cacheInfo().misses).toBe(1);
  });

  it('jit(grad(grad(f))) equals the hand-computed second derivative', () => {
    const f = (v: Tensor) => v.mul(v).mul(v.sin()).sum();
    const second = jitCompile(grad((v: Tensor) => (grad(f)(v) as Tensor).sum()) as (v: Tensor) => Tensor);
    const x0 = [-1, 0.5, 2];
    const got = second(tensor(x0)).dataSync();
    // d2/dx2 x^2 sin x = 2 sin x + 4x cos x - x^2 sin x
    x0.forEach((v, i) => {
      expect(got[i]).toBeCloseTo(2 * Math.sin(v) + 4 * v * Math.cos(v) - v * v * Math.sin(v), 4);
    });
  });

  it('grad with argnums, jvp and stopGradient trace and compile too', () => {
    const f = (a: Tensor, b: Tensor) => a.mul(stopGradient(b)).sin().sum().add(b.exp().sum());
    const a = t(arg([3], 6));
    const b = t(arg([3], 7));
    const jitted = jitCompile(grad(f, { argnums: [0, 1] })) as (a: Tensor, b: Tensor) => Tensor[];
    const eager = grad(f, { argnums: [0, 1] })(a, b) as Tensor[];
    const compiled = jitted(a, b);
    close(compiled[0]!, eager[0]!);
    close(compiled[1]!, eager[1]!);
    // d/db only sees exp(b): the stopped product contributes nothing.
    close(compiled[1]!, b.exp());
    const forward = jitCompile((u: Tensor, du: Tensor) => jvp((v: Tensor) => v.sin().mul(v), [u], [du]));
    const [y, dy] = forward(a, b) as [Tensor, Tensor];
    close(y, a.sin().mul(a));
    close(dy, a.cos().mul(a).add(a.sin()).mul(b));
  });
});
