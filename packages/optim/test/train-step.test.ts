import { valueAndGrad } from '@paradox/autodiff';
import { registerBackend } from '@paradox/backend';
import { type AllocationEvent, createJsBackend } from '@paradox/backend-js';
import { jit } from '@paradox/jit';
import { type Tensor, TensorDonatedError, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { type AdamState, adam, sgd, trainStep } from '../src/index.js';
import { values } from './reference.js';

type Params = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };

const IN = 12;
const HIDDEN = 32;
const OUT = 4;
const BATCH = 16;

const params = (): Params => ({
  w1: tensor(values(IN * HIDDEN, 1, -0.3, 0.3), [IN, HIDDEN]),
  b1: tensor(values(HIDDEN, 2, -0.1, 0.1), [HIDDEN]),
  w2: tensor(values(HIDDEN * OUT, 3, -0.3, 0.3), [HIDDEN, OUT]),
  b2: tensor(values(OUT, 4, -0.1, 0.1), [OUT]),
});

/** Cross-entropy of an MLP on one-hot labels. */
function loss(p: Params, x: Tensor, labels: Tensor): Tensor {
  const h = x.matmul(p.w1).add(p.b1).relu();
  return h.matmul(p.w2).add(p.b2).logSoftmax().mul(labels).sum(1).mean().neg();
}

const batch = (seed: number): [Tensor, Tensor] => {
  const x = tensor(values(BATCH * IN, seed), [BATCH, IN]);
  const oneHot = Array.from({ length: BATCH * OUT }, (_, i) =>
    i % OUT === (Math.floor(i / OUT) * 7 + seed) % OUT ? 1 : 0,
  );
  return [x, tensor(oneHot, [BATCH, OUT])];
};

const KEYS = ['w1', 'b1', 'w2', 'b2'] as const;

describe('trainStep: forward, backward and update in one compiled program', () => {
  it('matches the eager loop over several steps, compiles once, and loss falls', () => {
    const opt = adam({ learningRate: 0.01 });
    const eagerGrad = valueAndGrad(loss);
    let eager = params();
    let eagerState = opt.init(eager);
    const eagerLosses: number[] = [];
    let p = params();
    let state = opt.init(p);
    const step = trainStep(loss, opt);
    const losses: number[] = [];
    for (let s = 0; s < 5; s++) {
      const [x, y] = batch(s % 2);
      const [value, grads] = eagerGrad(eager, x, y) as [Tensor, Params];
      eagerLosses.push(value.dataSync()[0]!);
      [eager, eagerState] = opt.update(grads, eagerState, eager);
      let l: Tensor;
      [l, p, state] = step(p, state, x, y);
      losses.push(l.dataSync()[0]!);
    }
    losses.forEach((l, i) => {
      expect(l).toBeCloseTo(eagerLosses[i]!, 4);
    });
    for (const k of KEYS) {
      const got = p[k].dataSync();
      const want = eager[k].dataSync();
      got.forEach((v, i) => {
        expect(v).toBeCloseTo(want[i]!, 4);
      });
    }
    expect(losses[4]!).toBeLessThan(losses[0]!);
    expect(step.cacheInfo().misses).toBe(1);
    expect(state.count.dataSync()[0]).toBe(5);
    // One program for forward, backward and the update of 4 parameters and 8 moments.
    expect(step.inspect().kernelCount).toBeLessThan(30);
  });

  it('donated parameters and state are invalid after the step, with a typed error naming the donation', () => {
    const opt = sgd({ learningRate: 0.1, momentum: 0.9 });
    const p = params();
    const state = opt.init(p);
    const step = trainStep(loss, opt);
    const [x, y] = batch(0);
    const [, next] = step(p, state, x, y);
    expect(() => p.w1.dataSync()).toThrow(TensorDonatedError);
    expect(() => p.w1.dataSync()).toThrow(/donated to .*donate: \[0, 1\]/);
    expect(() => (state.velocity as Params).b2.add(1)).toThrow(TensorDonatedError);
    expect(p.w1.isDonated).toBe(true);
    p.w1.dispose(); // a no-op, not an error: loops may dispose old parameters
    // The batch was not donated, and the new parameters work.
    expect(x.dataSync().length).toBe(BATCH * IN);
    expect(next.w1.dataSync().length).toBe(IN * HIDDEN);
    // Passing a donated tensor again is the same error, not a wrong result.
    expect(() => step(p, state, x, y)).toThrow(TensorDonatedError);
  });

  it('a warm donated step allocates nothing but its loss (counted through the backend)', () => {
    const events: AllocationEvent[] = [];
    registerBackend(createJsBackend({ name: 'js-alloc-count', onAllocate: (e) => events.push(e) }), {
      priority: -1,
    });
    const opt = adam({ learningRate: 0.01 });
    const step = trainStep(loss, opt, { backend: 'js-alloc-count' });
    const undonated = trainStep(loss, opt, { backend: 'js-alloc-count', donate: [] });
    let p = params();
    let state: AdamState = opt.init(p);
    // The batch lives on the counting backend too (a tensor from elsewhere is uploaded on every call).
    const onto = jit((a: Tensor) => a.mul(1), { backend: 'js-alloc-count' });
    const [x, y] = batch(1).map((t) => onto(t)) as [Tensor, Tensor];
    let l: Tensor;
    // Cold: compiles (slots) and moves the inputs onto the backend.
    [l, p, state] = step(p, state, x, y);
    [l, p, state] = step(p, state, x, y);
    events.length = 0;
    [l, p, state] = step(p, state, x, y);
    expect(events).toEqual([{ purpose: 'output', bytes: 4 }]);
    expect(l.dataSync()[0]).toBeGreaterThan(0);
    // Without donation the same step allocates every updated tensor (12 of them plus the count).
    const q = params();
    const [, q1, s1] = undonated(q, opt.init(q), x, y);
    undonated(q1, s1, x, y);
    events.length = 0;
    undonated(q1, s1, x, y);
    expect(events.filter((e) => e.purpose === 'output').length).toBe(1 + 3 * 4 + 1);
  });
});
