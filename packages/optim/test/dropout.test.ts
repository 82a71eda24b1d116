import { valueAndGrad } from '@paradox/autodiff';
import { registerBackend } from '@paradox/backend';
import { createCBackend } from '@paradox/backend-c';
import '@paradox/backend-js';
import { interpret } from '@paradox/ir';
import { jit } from '@paradox/jit';
import { dropout, foldIn, prngKey, type Tensor, tensor, trace } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { adam, trainStep } from '../src/index.js';
import { values } from './reference.js';

// Keys are tensors: a jitted function with dropout compiles once and draws new masks per key, on
// every backend the same bits as the reference interpreter (the hash is ordinary int32 ops).
const c = createCBackend({ threads: 2, name: 'c-dropout-test' });
const haveC = c.unavailableReason === undefined;
if (haveC) registerBackend(c, { priority: -1 });

const x = () => tensor(values(512, 1, 0.5, 1.5), [16, 32]);
const noisy = (a: Tensor, key: Tensor) => dropout(a.mul(2), 0.3, key).sum(1);

describe('dropout under jit with key arguments', () => {
  const backends = ['js', ...(haveC ? [c.name] : [])];
  for (const backend of backends) {
    it(`one compiled program for every key, the interpreter's values (${backend})`, () => {
      const f = jit(noisy, { backend });
      const graph = trace(noisy, x(), prngKey(0));
      const seen = new Set<string>();
      for (const seed of [0, 1, 2, 99]) {
        const got = Array.from(f(x(), prngKey(seed)).dataSync());
        const want = interpret(graph, [x().dataSync(), Int32Array.of(seed)])[0]!.data;
        got.forEach((v, i) => {
          expect(v).toBeCloseTo(want[i]!, 4);
        });
        seen.add(got.join(','));
      }
      expect(seen.size).toBe(4); // every key a different mask
      expect(f.cacheInfo().misses).toBe(1);
    });
  }

  it('a training step with dropout takes the key per step: no retrace, eager-equal gradients', () => {
    type P = { w: Tensor; b: Tensor };
    const loss = (p: P, xs: Tensor, ys: Tensor, key: Tensor) =>
      dropout(xs.matmul(p.w).add(p.b).relu(), 0.25, key).sub(ys).pow(2).mean();
    const init = (): P => ({
      w: tensor(values(32 * 8, 2, -0.3, 0.3), [32, 8]),
      b: tensor(values(8, 3), [8]),
    });
    const xs = x();
    const ys = tensor(values(16 * 8, 4), [16, 8]);
    const opt = adam({ learningRate: 0.01 });
    const step = trainStep(loss, opt);
    let p = init();
    let state = opt.init(p);
    let e = init();
    let eState = opt.init(e);
    const base = prngKey(5);
    for (let s = 0; s < 3; s++) {
      const key = foldIn(base, s);
      const [el, grads] = valueAndGrad(loss)(e, xs, ys, key) as [Tensor, P];
      [e, eState] = opt.update(grads, eState, e);
      let l: Tensor;
      [l, p, state] = step(p, state, xs, ys, key);
      expect(l.dataSync()[0]).toBeCloseTo(el.dataSync()[0]!, 5);
    }
    expect(step.cacheInfo().misses).toBe(1);
    const want = e.w.dataSync();
    p.w.dataSync().forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 5);
    });
  });
});
