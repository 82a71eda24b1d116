import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BufferMismatchError,
  freeHostBuffer,
  HostBuffer,
  HostMemoryPool,
  HostSlab,
  transferHostBuffer,
} from '../src/index.js';

describe('HostSlab recycling', () => {
  it('hands a freed array out again for the same dtype and length only', () => {
    const slab = new HostSlab();
    const a = slab.take('float32', 16, 64);
    slab.give('float32', a);
    expect(slab.reuse('int32', 16)).toBeUndefined();
    expect(slab.reuse('float32', 15)).toBeUndefined();
    expect(slab.reuse('float32', 16)).toBe(a);
    expect(slab.reuse('float32', 16)).toBeUndefined(); // handed out once
  });

  it('keeps at most 1 MiB of freed arrays and nothing above MAX_BYTES', () => {
    const slab = new HostSlab();
    slab.give('float32', new Float32Array(HostSlab.MAX_BYTES / 4 + 1));
    expect(slab.reuse('float32', HostSlab.MAX_BYTES / 4 + 1)).toBeUndefined();
    const given = Array.from({ length: 600 }, (_, i) => new Float32Array(1000 + i)); // ~2.4 MB
    for (const a of given) slab.give('float32', a);
    const back = given.filter((a) => slab.reuse('float32', a.length) === a);
    const bytes = back.reduce((s, a) => s + a.byteLength, 0);
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(back.length).toBeGreaterThan(0);
  });
});

describe('freeHostBuffer', () => {
  it('a freed buffer is unusable and its memory comes back once: small through the slab, large through the pool', () => {
    const pool = new HostMemoryPool();
    const slab = new HostSlab();
    const small = new HostBuffer('h', 'float32', slab.take('float32', 8, 32));
    const large = new HostBuffer('h', 'float32', new Float32Array(1 << 15));
    freeHostBuffer(small, 'h', pool, slab);
    freeHostBuffer(large, 'h', pool, slab);
    expect(() => freeHostBuffer(small, 'h', pool, slab)).toThrow(BufferMismatchError); // double free
    expect(slab.reuse('float32', 8)).toBe(small.data);
    expect(pool.take(1 << 17)).toBe(large.data.buffer);
    expect(slab.reuse('float32', 8)).toBeUndefined();
    expect(pool.take(1 << 17)).toBeUndefined();
  });

  it('rejects a buffer of another backend', () => {
    const pool = new HostMemoryPool();
    expect(() => freeHostBuffer(new HostBuffer('other', 'float32', new Float32Array(4)), 'h', pool)).toThrow(
      BufferMismatchError,
    );
  });
});

describe('transferHostBuffer', () => {
  it("hands over a large buffer's own array, unpooled; copies a slab carving and recycles it", () => {
    const pool = new HostMemoryPool();
    const slab = new HostSlab();
    const values = Float32Array.from({ length: 1 << 15 }, (_, i) => i * 0.25 - 7);
    const large = new HostBuffer('h', 'float32', values.slice());
    const out = transferHostBuffer(large, 'h', pool, slab);
    expect(out).toBe(large.data); // no copy
    expect(out).toEqual(values);
    expect(large.freed).toBe(true);
    expect(pool.heldBytes).toBe(0); // the caller's memory now: never handed out again
    expect(() => transferHostBuffer(large, 'h', pool, slab)).toThrow(BufferMismatchError);

    const carved = slab.take('int32', 8, 32);
    carved.set([3, -1, 4, -1, 5, -9, 2, 6]);
    const small = new HostBuffer('h', 'int32', carved);
    const copy = transferHostBuffer(small, 'h', pool, slab);
    expect(copy).not.toBe(carved);
    expect([...copy]).toEqual([3, -1, 4, -1, 5, -9, 2, 6]);
    expect(small.freed).toBe(true);
    expect(slab.reuse('int32', 8)).toBe(carved); // freed as usual
  });

  it('copies a large view into more memory (it does not own all of it)', () => {
    const pool = new HostMemoryPool();
    const memory = new ArrayBuffer(1 << 18);
    const view = new Float32Array(memory, 0, 1 << 15).fill(1.5);
    const out = transferHostBuffer(new HostBuffer('h', 'float32', view), 'h', pool, undefined);
    expect(out).not.toBe(view);
    expect(out.buffer.byteLength).toBe(1 << 17);
    expect(out.every((v) => v === 1.5)).toBe(true);
  });
});

describe('HostMemoryPool', () => {
  it('fresh memory comes from the allocator it was given, else zero-filled', () => {
    const given: number[] = [];
    const pool = new HostMemoryPool(undefined, (bytes) => {
      given.push(bytes);
      return new ArrayBuffer(bytes);
    });
    expect(pool.fresh(1 << 16).byteLength).toBe(1 << 16);
    expect(given).toEqual([1 << 16]);
    expect(new Uint8Array(new HostMemoryPool().fresh(64)).every((b) => b === 0)).toBe(true);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks an array is large before reading .buffer (no small array is pooled)', () => {
    const pool = new HostMemoryPool();
    const small = new Float32Array(16);
    const spy = vi.spyOn(small, 'buffer', 'get');
    pool.giveArray(small);
    expect(spy).not.toHaveBeenCalled();
    expect(pool.heldBytes).toBe(0);
  });

  it('empties itself after a few idle seconds, not while in use', () => {
    vi.useFakeTimers();
    const pool = new HostMemoryPool();
    pool.give(new ArrayBuffer(1 << 20));
    vi.advanceTimersByTime(3000);
    const b = pool.take(1 << 20)!;
    pool.give(b); // used again: the idle clock restarts
    vi.advanceTimersByTime(3000);
    expect(pool.heldBytes).toBe(1 << 20);
    vi.advanceTimersByTime(3000);
    expect(pool.heldBytes).toBe(0);
    expect(pool.take(1 << 20)).toBeUndefined();
  });
});
