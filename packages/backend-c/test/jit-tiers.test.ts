import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerBackend } from '@paradox/backend';
import '@paradox/backend-js';
import { interpret } from '@paradox/ir';
import { jit, StaticGraph } from '@paradox/jit';
import { rand, type Tensor } from '@paradox/tracer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileQueue, compilerStats, createCBackend } from '../src/index.js';

// A fresh disk cache per backend, so the compiler really runs in the background.
const freshC = (name: string, probe = true) => {
  const backend = createCBackend({
    name,
    cacheDir: mkdtempSync(join(tmpdir(), 'paradox-tiers-')),
    threads: 1,
  });
  registerBackend(backend, { priority: 0 });
  if (probe) backend.compiler.flags(); // the once-per-cache OpenMP probe runs now, so counts below are programs only
  return backend;
};

const model = (x: Tensor, w: Tensor) => x.matmul(w).add(1).sin().mul(x.sum(-1, true));

/** The reference interpreter's result of `model` on these inputs. */
function reference(x: Tensor, w: Tensor): Float32Array {
  const graph = StaticGraph.capture(model, x, w).graph;
  return interpret(graph, [x.dataSync() as Float32Array, w.dataSync() as Float32Array])[0]!
    .data as Float32Array;
}

function expectClose(got: Tensor, want: Float32Array): void {
  const data = got.dataSync();
  expect(data.length).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(data[i]! - want[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(want[i]!)));
}

const rejections: unknown[] = [];
process.on('unhandledRejection', (r) => rejections.push(r));
afterEach(() => {
  vi.restoreAllMocks();
  expect(rejections).toEqual([]);
});

describe("jit tiers: backend: ['c', 'js']", () => {
  it('answers the first call on js without running the compiler, then tiers up to c', async () => {
    freshC('c-tier-up', false);
    const f = jit(model, { backend: ['c-tier-up', 'js'] });
    const x = rand([8, 16], 1);
    const w = rand([16, 4], 2);
    const want = reference(x, w);
    const before = compilerStats.invocations;
    const first = f(x, w);
    // The first call returned before any compiler process started (it compiles in the background).
    expect(compilerStats.invocations).toBe(before);
    expectClose(first, want);
    expect(f.inspect().tier).toMatchObject({ serving: 'js', lastRan: 'js', pending: true });
    // The event loop keeps turning while gcc works.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    expect(await f.ready(x, w)).toBe('c-tier-up');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    // The OpenMP probe (fresh cache) and the program, both in the background.
    expect(compilerStats.invocations).toBe(before + 2);
    expectClose(f(x, w), want);
    const report = f.inspect().tier!;
    expect(report).toMatchObject({ serving: 'c-tier-up', lastRan: 'c-tier-up', pending: false, failed: {} });
    expect(Object.keys(report.compileMs).sort()).toEqual(['c-tier-up', 'js']);
    expect(f.inspect().backend).toBe('c-tier-up');
    expect(f.inspect().sources.join('\n')).toMatch(/matmul/);
    expect(f.cacheInfo()).toMatchObject({ tierUps: 1, misses: 1 });
    // Inputs living on the c backend (its own outputs) run as well.
    expectClose(f(x, w), want);
    expect(f.explainCacheMiss(rand([8, 16], 3), rand([16, 5], 4))).toContain('5');
  });

  it('keeps serving on js with exactly one warning when the better tier fails to compile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paradox-badcc-'));
    const cc = join(dir, 'badcc');
    writeFileSync(
      cc,
      '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "gcc (broken) 12.0"; exit 0; fi\necho "broken compiler" >&2\nexit 1\n',
    );
    chmodSync(cc, 0o755);
    const saved = process.env.CC;
    process.env.CC = cc;
    try {
      freshC('c-broken');
    } finally {
      if (saved === undefined) delete process.env.CC;
      else process.env.CC = saved;
    }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const f = jit(model, { backend: ['c-broken', 'js'] });
    for (const rows of [2, 3, 5]) {
      const x = rand([rows, 16], rows);
      const w = rand([16, 4], 7);
      expectClose(f(x, w), reference(x, w));
      expect(await f.ready(x, w)).toBe('js');
      expectClose(f(x, w), reference(x, w));
      const report = f.inspect(x, w).tier!;
      expect(report.serving).toBe('js');
      expect(report.failed['c-broken']).toContain('broken compiler');
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /tier 'c-broken' failed to compile, so calls stay on 'js'/,
    );
    expect(f.cacheInfo().tierUps).toBe(0);
  });

  it('drops a pending tier-up when the signature leaves the cache (no late swap, no rejection)', async () => {
    freshC('c-drop');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const f = jit(model, { backend: ['c-drop', 'js'], cacheSize: 1 });
    const x = rand([4, 16], 11);
    const w = rand([16, 4], 12);
    f(x, w);
    const pending = f.ready(x, w);
    f.clearCache();
    // The compile finishes after the drop: its program is disposed, nothing swaps in.
    await pending;
    expect(f.cacheInfo().tierUps).toBe(0);
    expectClose(f(x, w), reference(x, w));
    expect(f.inspect().tier).toMatchObject({ serving: 'js', lastRan: 'js' });
    // Eviction (cacheSize 1) while pending: the evicted signature never tiers up; the new one does.
    const x2 = rand([6, 16], 13);
    const evicted = f.ready(x, w);
    f(x2, w);
    await evicted;
    expect(await f.ready(x2, w)).toBe('c-drop');
    expect(f.cacheInfo()).toMatchObject({ tierUps: 1, size: 1 });
    expectClose(f(x2, w), reference(x2, w));
    expect(warn).not.toHaveBeenCalled();
  });

  it('queues many signatures compiling at once (at most compileQueue.limit compilers)', async () => {
    freshC('c-queue');
    const limit = compileQueue.limit;
    compileQueue.limit = 2;
    compileQueue.peak = 0;
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // the retrace warning (6 shapes)
    try {
      const f = jit(model, { backend: ['c-queue', 'js'], cacheSize: 16 });
      const w = rand([16, 3], 21); // shapes no other test compiled (loaded programs are shared per process)
      const xs = [1, 2, 3, 4, 5, 6].map((rows) => rand([rows, 16], rows));
      const before = compilerStats.invocations;
      for (const x of xs) f(x, w);
      const tiers = await Promise.all(xs.map((x) => f.ready(x, w)));
      expect(tiers).toEqual(Array(6).fill('c-queue'));
      expect(compilerStats.invocations - before).toBe(6);
      expect(compileQueue.peak).toBe(2);
      expect(f.cacheInfo().tierUps).toBe(6);
      for (const x of xs) expectClose(f(x, w), reference(x, w));
    } finally {
      compileQueue.limit = limit;
    }
  });

  it("compileAsync starts no compiler on the caller's turn, not even the OpenMP probe", async () => {
    const backend = freshC('c-async', false);
    const program = jit(model).lower(rand([3, 16], 31), rand([16, 2], 32)).program;
    const before = compilerStats.invocations;
    const pending = backend.compileAsync(program);
    expect(compilerStats.invocations).toBe(before);
    const exe = await pending;
    expect(compilerStats.invocations).toBe(before + 2);
    expect(exe.sources.join('\n')).toMatch(/matmul/);
    exe.dispose();
  });

  it('rejects a malformed tier list with a JitError', () => {
    expect(() => jit(model, { backend: [] })).toThrow(/non-empty list/);
    expect(() => jit(model, { backend: ['js', 'js'] })).toThrow(/names 'js' twice/);
  });
});
