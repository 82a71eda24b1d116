import { createWasmBackend } from '@paradox/backend-wasm';
import { describe, expect, it } from 'vitest';
import { copyOut } from '../src/runtime/copy-out.js';

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
        expect(got).toEqual(data);
        // The copy is the caller's: later writes to the backend's memory do not show in it.
        backend.upload(buffer, data.map(() => 0) as typeof data);
        expect(got).toEqual(data);
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
