import { registerBackend } from '@paradox/backend';
import '@paradox/backend-js';
import { jit } from '@paradox/jit';
import { type Tensor, TensorDisposedError, TensorTransferredError, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { createCBackend } from '../src/index.js';

// Tensors are made on the default backend: this file's C backend, so calls run with inputs in place.
const c = createCBackend({ name: 'c-transfer', threads: 1 });
registerBackend(c, { priority: 1001 });

const data = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 1.3 + seed) * 4));
/** x * 2 + 1 in float32 (both steps exact or rounded once, as the kernel does). */
const expected = (x: Float32Array) => x.map((v) => Math.fround(Math.fround(v * 2) + 1));
const memoryOf = (t: Tensor) =>
  (t.storage('test') as unknown as { buffer: { data: Float32Array } }).buffer.data;
const same = (a: Float32Array, b: Float32Array) => a.buffer === b.buffer && a.byteOffset === b.byteOffset;

describe.skipIf(c.unavailableReason !== undefined)('backend-c dataSync({ transfer: true })', () => {
  it("hands over a large result's own memory, which no later run reuses", () => {
    const n = 1 << 15; // 128 KiB: a pooled-size output
    const f = jit((x: Tensor) => x.mul(2).add(1), { backend: 'c-transfer' });
    const x0 = data(n, 0);
    const y = f(tensor(x0, [n]));
    const memory = memoryOf(y);
    const out = y.dataSync({ transfer: true }) as Float32Array;
    expect(same(out, memory)).toBe(true); // no copy
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(out.byteLength); // all of its memory, nothing else in it
    expect(out).toEqual(expected(x0));
    expect(y.isDisposed).toBe(true);
    expect(() => y.dataSync()).toThrow(TensorTransferredError);
    expect(() => y.add(1)).toThrow(TensorDisposedError);
    // Later runs, whose results are disposed (back to the pool) or transferred, never write into it.
    for (let i = 1; i < 5; i++) {
      const xi = data(n, i);
      const yi = f(tensor(xi, [n]));
      expect(same(memoryOf(yi), out)).toBe(false);
      if (i % 2) yi.dispose();
      else expect(yi.dataSync({ transfer: true })).toEqual(expected(xi));
    }
    expect(out).toEqual(expected(x0));
  });

  it('a fresh output (uninitialised memory) is written in full: W1 against float64', () => {
    const n = 1 << 16;
    const f = jit((x: Tensor) => x.mul(2).add(1).relu().mul(x.sigmoid()).sub(0.5), { backend: 'c-transfer' });
    for (let round = 0; round < 3; round++) {
      const x = data(n, 10 + round);
      const out = f(tensor(x, [n])).dataSync({ transfer: true }) as Float32Array;
      let outside = 0; // elements beyond the conformance tolerance (atol = rtol = 1e-5)
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        const want = Math.max(2 * v + 1, 0) / (1 + Math.exp(-v)) - 0.5;
        if (!(Math.abs(out[i]! - want) <= 1e-5 + 1e-5 * Math.abs(want))) outside++;
      }
      expect(outside).toBe(0);
    }
  });

  it('copies a small result (carved from a shared slab) and recycles its memory', () => {
    const f = jit((x: Tensor) => x.mul(2).add(1), { backend: 'c-transfer' });
    const x = data(16, 3);
    const y = f(tensor(x, [16]));
    const memory = memoryOf(y);
    const out = y.dataSync({ transfer: true }) as Float32Array;
    expect(same(out, memory)).toBe(false);
    expect(out.buffer.byteLength).toBe(64); // its own memory, not the 64 KiB slab
    expect(out).toEqual(expected(x));
    expect(y.isDisposed).toBe(true);
    const next = f(tensor(data(16, 4), [16]));
    expect(same(memoryOf(next), memory)).toBe(true); // the slab array came back
    expect(out).toEqual(expected(x));
    expect(next.dataSync()).toEqual(expected(data(16, 4)));
  });

  it('data({ transfer: true }) does the same asynchronously', async () => {
    const n = 1 << 15;
    const f = jit((x: Tensor) => x.mul(2).add(1), { backend: 'c-transfer' });
    const x = data(n, 7);
    const y = f(tensor(x, [n]));
    const memory = memoryOf(y);
    const out = (await y.data({ transfer: true })) as Float32Array;
    expect(same(out, memory)).toBe(true);
    expect(out).toEqual(expected(x));
    await expect(y.data()).rejects.toThrow(TensorTransferredError);
  });
  it('dataSync({ into, transfer: true }) copies into the caller array and gives the memory back for the next run', () => {
    const n = 1 << 15;
    const f = jit((x: Tensor) => x.mul(2).add(1), { backend: 'c-transfer' });
    const into = new Float32Array(n);
    const x0 = data(n, 7);
    const y0 = f(tensor(x0, [n]));
    const memory = memoryOf(y0);
    expect(y0.dataSync({ into, transfer: true })).toBe(into);
    expect(into).toEqual(expected(x0));
    expect(same(into, memory)).toBe(false);
    expect(y0.isDisposed).toBe(true);
    // The output's memory went back to the pool: the next run writes its result there.
    const x1 = data(n, 8);
    const y1 = f(tensor(x1, [n]));
    expect(same(memoryOf(y1), memory)).toBe(true);
    expect(y1.dataSync({ into, transfer: true })).toEqual(expected(x1));
  });
});
