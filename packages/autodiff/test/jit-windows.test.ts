import '@paradox/backend-js';
import { jitCompile } from '@paradox/jit';
import { conv, cumsum, globalAvgPool, maxPool, type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { valueAndGrad } from '../src/index.js';
import { arg } from './helpers.js';

const t = (a: { shape: number[]; values: number[] }) => tensor(a.values, a.shape);

type Params = { w1: Tensor; b1: Tensor; w2: Tensor };

/** conv-relu-maxPool, conv-relu, global average pool, a dense layer, a cumsum: a small CNN's loss. */
function loss(p: Params, x: Tensor): Tensor {
  const h = maxPool(conv(x, p.w1, { bias: p.b1, pads: 'same_upper' }).relu(), 2, { strides: 2 });
  const g = globalAvgPool(conv(h, p.w2, { pads: 1, strides: 2 }).relu());
  return cumsum(g.reshape([2, 4]), 1)
    .mul(cumsum(g.reshape([2, 4]), 1))
    .sum();
}

describe('windowed ops under jit', () => {
  it('jit(valueAndGrad(cnn loss)) equals the eager gradient', () => {
    const p: Params = {
      w1: t(arg([3, 2, 3, 3], 1, -0.5, 0.5)),
      b1: t(arg([3], 2)),
      w2: t(arg([4, 3, 3, 3], 3, -0.5, 0.5)),
    };
    const x = t(arg([2, 2, 8, 8], 4));
    const [eagerValue, eagerGrads] = valueAndGrad(loss)(p, x) as [Tensor, Params];
    const step = jitCompile(valueAndGrad(loss));
    const [value, grads] = step(p, x) as [Tensor, Params];
    expect(value.dataSync()[0]).toBeCloseTo(eagerValue.dataSync()[0]!, 4);
    for (const k of ['w1', 'b1', 'w2'] as const) {
      const a = grads[k].dataSync();
      const b = eagerGrads[k].dataSync();
      expect([...grads[k].shape]).toEqual([...eagerGrads[k].shape]);
      a.forEach((v, i) => {
        expect(v).toBeCloseTo(b[i]!, 4);
      });
    }
  });

  it('conv + bias + relu compiles to one kernel (inspect)', () => {
    const f = jitCompile((x: Tensor, w: Tensor, b: Tensor) => conv(x, w, { bias: b, pads: 1 }).relu());
    const x = t(arg([1, 3, 6, 6], 5));
    const w = t(arg([4, 3, 3, 3], 6));
    const b = t(arg([4], 7));
    const y = f(x, w, b);
    expect([...y.shape]).toEqual([1, 4, 6, 6]);
    expect(f.inspect().kernelCount).toBe(1);
  });
});
