import { registerBackend } from '@paradox/backend';
import '@paradox/backend-js';
import { jit } from '@paradox/jit';
import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { createCBackend } from '../src/index.js';

// Tensors are made on the default backend: this file's C backend, so calls run with inputs in place.
const c = createCBackend({ name: 'c-reuse', threads: 1 });
registerBackend(c, { priority: 1000 });

const data = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 1.3 + seed)));
/** x * 2 + 1 in float32 (both steps exact or rounded once, as the kernel does). */
const expected = (x: Float32Array) => x.map((v) => Math.fround(Math.fround(v * 2) + 1));
const memoryOf = (t: Tensor) =>
  (t.storage('test') as unknown as { buffer: { data: Float32Array } }).buffer.data;
/** Whether two arrays are the same memory (a recycled large buffer comes back as a new view). */
const same = (a: Float32Array, b: Float32Array) => a.buffer === b.buffer && a.byteOffset === b.byteOffset;

describe('backend-c output memory reuse', () => {
  // 16 elements: small arrays recycled through the slab; 1 << 15: large ones through the pool.
  for (const n of [16, 1 << 15]) {
    it(`reuses a disposed result's memory and never a live one's (${n} elements)`, () => {
      const f = jit((x: Tensor) => x.mul(2).add(1), { backend: 'c-reuse' });
      const xs = [0, 1, 2, 3].map((s) => data(n, s));
      const inputs = xs.map((x) => tensor(x, [n]));
      const y0 = f(inputs[0]!);
      const y1 = f(inputs[1]!);
      expect(same(memoryOf(y1), memoryOf(y0))).toBe(false);
      const freed = memoryOf(y0);
      y0.dispose();
      const y2 = f(inputs[2]!);
      expect(same(memoryOf(y2), freed)).toBe(true); // the disposed result's memory, taken back
      const y3 = f(inputs[3]!); // nothing freed since: fresh memory
      const live = [y1, y2, y3].map(memoryOf);
      for (const [i, m] of live.entries())
        for (const other of live.slice(i + 1)) expect(same(m, other)).toBe(false);
      // Every kept result still holds its own values.
      expect(y1.dataSync()).toEqual(expected(xs[1]!));
      expect(y2.dataSync()).toEqual(expected(xs[2]!));
      expect(y3.dataSync()).toEqual(expected(xs[3]!));
      expect(() => y0.dataSync()).toThrow(/disposed/);
      for (const t of [y1, y2, y3, ...inputs]) t.dispose();
    });
  }

  it('a `using` block or tidy-style dispose recycles like dispose(), and a kept tensor is never overwritten', () => {
    const f = jit((x: Tensor) => x.mul(2).add(1), { backend: 'c-reuse' });
    const x = tensor(data(16, 5), [16]);
    const kept = f(x);
    const keptMemory = memoryOf(kept);
    for (let i = 0; i < 5; i++) {
      using y = f(tensor(data(16, 10 + i), [16]));
      expect(same(memoryOf(y), keptMemory)).toBe(false);
      expect(y.dataSync()).toEqual(expected(data(16, 10 + i)));
    }
    expect(kept.dataSync()).toEqual(expected(data(16, 5)));
  });

  it('donated memory is written in place across steps; the undonated input stays intact', () => {
    const f = jit((a: Tensor, b: Tensor) => a.mul(2).add(b), { donate: [0], backend: 'c-reuse' });
    const bd = data(16, 7);
    const b = tensor(bd, [16]);
    let a = tensor(data(16, 8), [16]);
    let want = data(16, 8);
    for (let step = 0; step < 4; step++) {
      const memory = memoryOf(a);
      const next = f(a, b);
      expect(same(memoryOf(next), memory)).toBe(true); // written into the donated memory
      want = want.map((v, i) => Math.fround(Math.fround(v * 2) + bd[i]!));
      expect(next.dataSync()).toEqual(want);
      a = next;
    }
    expect(b.dataSync()).toEqual(bd); // the undonated input is intact
  });
});
