import { describe, expect, it } from 'vitest';
import { Arena } from '../src/runtime/arena.js';

describe('arena', () => {
  it('hands a freed small region of the same size out again, and counts it as used only while live', () => {
    const arena = new Arena(1 << 20, false);
    const a = arena.alloc(64);
    const b = arena.alloc(64);
    const used = arena.stats().used;
    arena.release(a);
    expect(arena.stats().used).toBe(used - 64);
    expect(arena.alloc(64)).toBe(a);
    expect(arena.stats().used).toBe(used);
    arena.release(b);
    arena.release(a);
    expect(arena.stats().used).toBe(0);
  });

  it('returns kept small regions to the free list before growing, so they merge for a large request', () => {
    const arena = new Arena(1 << 20, false);
    // Fill the first page with small regions, free them all, then ask for most of a page.
    const small = Array.from({ length: 60 }, () => arena.alloc(1024));
    for (const at of small) arena.release(at);
    const pages = arena.stats().bytes;
    const big = arena.alloc(60 * 1024);
    expect(big).toBe(small[0]);
    expect(arena.stats().bytes).toBe(pages);
    expect(arena.stats().grows).toBe(0);
  });

  it('views over the whole memory follow growth', () => {
    const arena = new Arena(1 << 22, false);
    const before = arena.memoryViews();
    const at = arena.alloc(200000);
    const after = arena.memoryViews();
    expect(after.f32.buffer === before.f32.buffer).toBe(false);
    expect(arena.memoryViews()).toBe(after);
    after.f32[at / 4 + 49999] = 1.5;
    expect(new Float32Array(arena.memory.buffer, at, 50000)[49999]).toBe(1.5);
  });
});
