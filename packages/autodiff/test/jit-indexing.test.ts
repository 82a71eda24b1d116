import '@paradox/backend-js';
import { jitCompile } from '@paradox/jit';
import { clip, gather, gelu, instanceNorm, type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { valueAndGrad } from '../src/index.js';
import { arg } from './helpers.js';

const t = (a: { shape: number[]; values: number[] }) => tensor(a.values, a.shape);

/** An embedding model: rows of `table` for `ids`, exact GELU, a dense layer, clipped logits. */
function loss(table: Tensor, w: Tensor, ids: Tensor): Tensor {
  const h = gelu(gather(table, ids));
  const logits = clip(h.matmul(w), -1, 1);
  const normed = instanceNorm(logits.reshape([1, ...logits.shape]), {
    scale: tensor(Array.from({ length: logits.shape[0]! }, (_, i) => 1 + i / 10)),
    bias: tensor(Array.from({ length: logits.shape[0]! }, () => 0.1)),
  });
  return normed.mul(normed).sum();
}

describe('op set v2 under jit (the whole pipeline: fusion, lowering, backend-js)', () => {
  it('jit(valueAndGrad) of an embedding lookup equals the eager value and gradients', () => {
    const table = t(arg([7, 4], 21));
    const w = t(arg([4, 3], 22, -0.8, 0.8));
    const ids = tensor([3, 0, -1, 3, 5], [5], 'int32');
    const [value, grads] = valueAndGrad(loss, { argnums: [0, 1] })(table, w, ids) as [Tensor, Tensor[]];
    const step = jitCompile(valueAndGrad(loss, { argnums: [0, 1] }));
    const [jv, jg] = step(table, w, ids) as [Tensor, Tensor[]];
    expect(jv.dataSync()[0]).toBeCloseTo(value.dataSync()[0]!, 4);
    grads.forEach((g, k) => {
      const got = jg[k]!.dataSync();
      g.dataSync().forEach((v, i) => {
        expect(got[i]).toBeCloseTo(v, 4);
      });
    });
    // Rows 1, 2 and 4 are never looked up (id -1 is row 6): their gradient is exactly zero.
    const rows = jg[0]!.dataSync();
    for (const r of [1, 2, 4]) expect([...rows.slice(r * 4, r * 4 + 4)]).toEqual([0, 0, 0, 0]);
    expect(rows.slice(6 * 4, 7 * 4).some((v) => v !== 0)).toBe(true);
  });
});
