import { copyOut } from '@paradox/backend';
import { createWasmBackend } from '@paradox/backend-wasm';
import { GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

describe('downloads', () => {
  it('copy large and small buffers exactly, into arrays the caller owns whole', () => {
    const backend = createWasmBackend();
    for (const size of [5, 1 << 14, (1 << 16) + 3, 1 << 20]) {
      const f = Float32Array.from({ length: size }, (_, i) => Math.fround(Math.sin(i) * 1e3));
      const n = Int32Array.from({ length: size }, (_, i) => i * 7 - size);
      const u = Uint8Array.from({ length: size }, (_, i) => (i % 3 === 0 ? 1 : 0));
      for (const [dtype, data] of [
        ['float32', f],
        ['int32', n],
        ['bool', u],
      ] as const) {
        const buffer = backend.allocate(dtype, size);
        backend.upload(buffer, data);
        const got = backend.download(buffer);
        expect(got.constructor).toBe(data.constructor);
        expect(got.byteOffset).toBe(0);
        expect(got.buffer.byteLength).toBe(data.byteLength);
        const same = () => got.every((v, i) => v === data[i]);
        expect(same()).toBe(true);
        // The copy is the caller's: later writes to the backend's memory do not show in it.
        backend.upload(buffer, data.map(() => 0) as typeof data);
        expect(same()).toBe(true);
        backend.free(buffer);
      }
    }
    backend.close();
  });

  it('a subarray copies only its own elements', () => {
    const whole = Float32Array.from({ length: 1 << 17 }, (_, i) => i);
    const part = whole.subarray(100, 100 + (1 << 16));
    const got = copyOut(part);
    expect(got.length).toBe(1 << 16);
    expect(got.buffer.byteLength).toBe(1 << 18);
    expect(got[0]).toBe(100);
    expect(got[got.length - 1]).toBe(100 + (1 << 16) - 1);
  });
});

describe('allocated buffers', () => {
  it('read as zeros until written, also in memory a freed tensor used (downloaded or run)', () => {
    const backend = createWasmBackend();
    for (const size of [4096, 1 << 20]) {
      const b = new GraphBuilder('double');
      const x = b.input('x', { dtype: 'float32', shape: [size] });
      const program = lowerGraph(b.output(b.op('add', [x, x])).build());
      const exe = backend.compile(program);
      const data = Float32Array.from({ length: size }, (_, i) => i + 1);
      for (const read of ['download', 'run'] as const) {
        const used = [0, 1, 2, 3].map(() => backend.allocate('float32', size));
        for (const u of used) backend.upload(u, data);
        const addresses = used.map((u) => (u as unknown as { address: number }).address);
        for (const u of used) backend.free(u);
        const fresh = backend.allocate('float32', size);
        // Bytes freed tensors held (freed regions are reused first), never written since.
        const at = (fresh as unknown as { address: number }).address;
        const bytes = size * 4;
        expect(addresses.some((a) => a <= at + bytes / 2 && at + bytes / 2 < a + bytes)).toBe(true);
        const [out] = read === 'run' ? exe.run([fresh]) : [fresh];
        expect((backend.download(out!) as Float32Array).every((v) => v === 0)).toBe(true);
        if (out !== fresh) backend.free(out!);
        backend.free(fresh);
      }
      exe.dispose();
    }
    backend.close();
  });
});

describe('readInPlace', () => {
  it('is a view of the buffer in linear memory, equal to download(), zeros before any write', () => {
    const backend = createWasmBackend();
    const data = Float32Array.from({ length: 1000 }, (_, i) => i - 500.5);
    const buffer = backend.allocate('float32', data.length);
    const unwritten = backend.readInPlace!(backend.allocate('int32', 8));
    expect(Array.from(unwritten)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    backend.upload(buffer, data);
    const view = backend.readInPlace!(buffer);
    const copy = backend.download(buffer);
    expect(view).not.toBe(copy);
    // A window on the whole linear memory, not a copy of its own.
    expect(view.buffer).toBeInstanceOf(ArrayBuffer);
    expect(view.buffer.byteLength).toBeGreaterThan(data.byteLength);
    expect(Array.from(view)).toEqual(Array.from(copy));
    expect(Array.from(view)).toEqual(Array.from(data));
  });

  it('is absent on shared memory (a worker pool), where uploads elsewhere may refuse it', () => {
    // Node has worker_threads and shared memory, so two threads share the backend's memory.
    expect(createWasmBackend({ threads: 2 }).readInPlace).toBeUndefined();
  });
});
