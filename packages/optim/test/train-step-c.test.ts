import { registerBackend } from '@paradox/backend';
import { createCBackend } from '@paradox/backend-c';
import '@paradox/backend-js';
import { valueAndGrad } from '@paradox/autodiff';
import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { adamw, trainStep } from '../src/index.js';
import { values } from './reference.js';

// Donation on the C backend: kernels take restrict pointers, so in-place writes rely on
// donatableOutputs' guarantee (each point reads the donated element before writing it). 2 threads.
const backend = createCBackend({ threads: 2, name: 'c-optim-test' });
const available = backend.unavailableReason === undefined;
if (available) registerBackend(backend, { priority: -1 });

type Params = { w: Tensor; b: Tensor };
const loss = (p: Params, x: Tensor, y: Tensor): Tensor => x.matmul(p.w).add(p.b).tanh().sub(y).pow(2).mean();

describe.skipIf(!available)('trainStep with donation on backend c', () => {
  it('matches the eager AdamW loop step by step', () => {
    const init = (): Params => ({
      w: tensor(values(40 * 24, 1, -0.2, 0.2), [40, 24]),
      b: tensor(values(24, 2), [24]),
    });
    const x = tensor(values(64 * 40, 3), [64, 40]);
    const y = tensor(values(64 * 24, 4, -0.5, 0.5), [64, 24]);
    const opt = adamw({ learningRate: 0.02, weightDecay: 0.05 });
    const step = trainStep(loss, opt, { backend: backend.name });
    let p = init();
    let state = opt.init(p);
    let e = init();
    let eState = opt.init(e);
    const lossAndGrad = valueAndGrad(loss);
    for (let s = 0; s < 4; s++) {
      const [value, grads] = lossAndGrad(e, x, y) as [Tensor, Params];
      [e, eState] = opt.update(grads, eState, e);
      let l: Tensor;
      [l, p, state] = step(p, state, x, y);
      expect(l.dataSync()[0]).toBeCloseTo(value.dataSync()[0]!, 5);
    }
    for (const k of ['w', 'b'] as const) {
      const want = e[k].dataSync();
      p[k].dataSync().forEach((v, i) => {
        expect(v).toBeCloseTo(want[i]!, 5);
      });
    }
    expect(step.inspect().backend).toBe(backend.name);
  });
});
