import { describe, expect, it } from 'vitest';
import { createCBackend } from '../src/index.js';

const c = createCBackend();

describe('backend-c download', () => {
  for (const size of [10, 1 << 16]) {
    it(`returns a copy the caller owns (${size} elements, every dtype)`, () => {
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        const buffer = c.allocate(dtype, size);
        const values =
          dtype === 'float32'
            ? Float32Array.from({ length: size }, (_, i) => i * 0.5 - 3)
            : dtype === 'int32'
              ? Int32Array.from({ length: size }, (_, i) => i - 7)
              : Uint8Array.from({ length: size }, (_, i) => i % 2);
        c.upload(buffer, values);
        const copy = c.download(buffer);
        expect(copy.constructor).toBe(values.constructor);
        expect(copy).toEqual(values);
        // Its own memory: later writes to the buffer never show through it, and it holds nothing else.
        expect(copy.buffer.byteLength).toBe(copy.byteLength);
        c.upload(buffer, values.map(() => 1) as typeof values);
        expect(copy).toEqual(values);
        c.free(buffer);
      }
    });
  }
});
