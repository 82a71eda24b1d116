import { describe, expect, it } from 'vitest';
import { alignedArray } from '../src/aligned.js';
import { cBackend } from '../src/index.js';
import { addressOf } from '../src/library.js';

// Large host buffers start on a 64-byte cache line, so the kernels' vector loads along them (a
// matmul's B rows read in place) never span two lines; small ones are plain arrays.
describe.skipIf(cBackend.unavailableReason !== undefined)('backend-c aligned host buffers', () => {
  it('starts arrays of 64 KiB or more on a cache line, zero-filled, of the asked length and type', () => {
    for (const [dtype, size, type] of [
      ['float32', 784 * 512, Float32Array],
      ['float32', 16384, Float32Array],
      ['int32', 70000, Int32Array],
      ['bool', 100000, Uint8Array],
    ] as const) {
      const a = alignedArray(dtype, size);
      expect(a).toBeInstanceOf(type);
      expect(a.length).toBe(size);
      expect(addressOf(a)! % 64n).toBe(0n);
      expect(a.every((v) => v === 0)).toBe(true);
    }
  });

  it('leaves small arrays plain, and the backend allocates through it', () => {
    const small = alignedArray('float32', 100);
    expect(small.byteOffset).toBe(0);
    expect(small.buffer.byteLength).toBe(400);
    const buffer = cBackend.allocate('float32', 256 * 784) as unknown as { data: Float32Array };
    expect(addressOf(buffer.data)! % 64n).toBe(0n);
    expect(() => cBackend.allocate('float32', -1)).toThrow();
  });

  it('reuses a freed aligned buffer for the next allocation of its size, zero-filled and aligned', () => {
    const size = 300_000;
    const first = cBackend.allocate('float32', size);
    cBackend.upload(first, new Float32Array(size).fill(7));
    const memory = (first as unknown as { data: Float32Array }).data.buffer;
    cBackend.free(first);
    const second = cBackend.allocate('float32', size) as unknown as { data: Float32Array };
    expect(second.data.buffer).toBe(memory);
    expect(addressOf(second.data)! % 64n).toBe(0n);
    expect(second.data.length).toBe(size);
    expect(second.data.every((v) => v === 0)).toBe(true);
    expect(Array.from(cBackend.download(second as never).subarray(0, 3))).toEqual([0, 0, 0]);
    cBackend.free(second as never);
  });
});
