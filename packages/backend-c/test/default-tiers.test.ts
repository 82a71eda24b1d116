import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTiers, type Executable, getBackend, registerBackend } from '@paradox/backend';
import '@paradox/backend-js';
import { interpret } from '@paradox/ir';
import { jit, StaticGraph } from '@paradox/jit';
import { rand, type Tensor } from '@paradox/tracer';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cBackend, createCBackend } from '../src/index.js';
import { runTiersChild } from './helpers.js';

// The default rule: importing backend-c (with a compiler) makes plain jit(f) and optimize() tier
// js -> c, while eager ops and first calls stay on the quick default.
const available = cBackend.unavailableReason === undefined;
const root = mkdtempSync(join(tmpdir(), 'paradox-default-tiers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const model = (x: Tensor, w: Tensor) => x.matmul(w).sub(0.5).tanh().mul(x.max(-1, true));

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

/** A 'c' backend with its own empty disk cache (so its compiles really run), recording what it compiled. */
function freshC(name: string): Executable[] {
  const backend = createCBackend({ name, cacheDir: mkdtempSync(join(root, 'cache-')), threads: 1 });
  registerBackend(backend, { priority: 0, slowCompile: true });
  const made: Executable[] = [];
  const compileAsync = backend.compileAsync.bind(backend);
  backend.compileAsync = async (program) => {
    const exe = await compileAsync(program);
    made.push(exe);
    return exe;
  };
  return made;
}

/** One turn of the event loop: the background climb has handed its program to the compiler. */
const compileStarted = () => new Promise((resolve) => setImmediate(resolve));

const rejections: unknown[] = [];
process.on('unhandledRejection', (r) => rejections.push(r));
afterEach(() => {
  vi.restoreAllMocks();
  expect(rejections).toEqual([]);
});

describe.skipIf(!available)('default tiers with backend-c imported', () => {
  it('keeps js the default for eager ops and puts c above it as the tier to climb to', () => {
    expect(getBackend().name).toBe('js');
    expect(defaultTiers()).toEqual(['c', 'js']);
    expect(rand([2], 1).add(1).storage('test').kind).toBe('device');
  });

  it('plain jit(f): the first call runs on js, later calls on c, results match the reference', async () => {
    const f = jit(model);
    const x = rand([5, 12], 1);
    const w = rand([12, 7], 2);
    const want = reference(x, w);
    expectClose(f(x, w), want);
    expect(f.inspect().tier).toMatchObject({ tiers: ['c', 'js'], serving: 'js', lastRan: 'js' });
    expect(await f.ready(x, w)).toBe('c');
    expectClose(f(x, w), want);
    const report = f.inspect().tier!;
    expect(report).toMatchObject({ serving: 'c', lastRan: 'c', pending: false, failed: {} });
    expect(report.compileMs.c).toBeGreaterThan(0);
    expect(report.compileMs.js).toBeGreaterThan(0);
    expect(f.cacheInfo()).toMatchObject({ tierUps: 1, misses: 1 });
    expect(f.explainCacheMiss()).toBe('the last call hit the cache (no miss)');
    expect(f.explainCacheMiss(rand([6, 12], 3), w)).toContain('6');
  });

  it('StaticGraph.optimize(): ready() waits for c, inspect() says which tier ran', async () => {
    const x = rand([3, 12], 4);
    const w = rand([12, 5], 5);
    const want = reference(x, w);
    const g = StaticGraph.capture(model, x, w).optimize();
    expectClose(g.run(x, w), want);
    expect(g.inspect().tier).toMatchObject({ serving: 'js', lastRan: 'js' });
    expect(await g.ready()).toBe('c');
    expect(g.backend.name).toBe('c');
    expectClose(g.run(x, w), want);
    expect(g.inspect()).toMatchObject({ backend: 'c', tier: { serving: 'c', lastRan: 'c', pending: false } });
    // A single backend has no tiers; ready() names it.
    const js = StaticGraph.capture(model, x, w).optimize({ backend: 'js' });
    expect(await js.ready()).toBe('js');
    expect(js.inspect().tier).toBeUndefined();
    g.dispose();
  });

  it('disposing while the better tier compiles disposes its program when it arrives', async () => {
    const made = freshC('c-dispose');
    const x = rand([4, 12], 6);
    const w = rand([12, 3], 7);
    const g = StaticGraph.capture(model, x, w).optimize({ backend: ['c-dispose', 'js'] });
    expectClose(g.run(x, w), reference(x, w));
    await compileStarted();
    g.dispose();
    expect(await g.ready()).toBe('js');
    expect(made).toHaveLength(1);
    expect(() => made[0]!.run([])).toThrow(/disposed/);
    expect(() => g.run(x, w)).toThrow(/disposed/);
  });

  it("jit's clearCache while the better tier compiles disposes its program when it arrives", async () => {
    const made = freshC('c-clear');
    const f = jit(model, { backend: ['c-clear', 'js'] });
    const x = rand([2, 12], 8);
    const w = rand([12, 3], 9);
    f(x, w);
    const pending = f.ready(x, w);
    await compileStarted();
    f.clearCache();
    expect(await pending).toBe('js');
    expect(made).toHaveLength(1);
    expect(() => made[0]!.run([])).toThrow(/disposed/);
    expect(f.cacheInfo().tierUps).toBe(0);
  });

  it('dropped before its turn, the better tier never compiles', async () => {
    const made = freshC('c-early');
    const x = rand([7, 12], 10);
    const w = rand([12, 3], 11);
    const g = StaticGraph.capture(model, x, w).optimize({ backend: ['c-early', 'js'] });
    g.dispose();
    expect(await g.ready()).toBe('js');
    expect(made).toHaveLength(0);
  });

  it('a second process loads the C tier from the disk cache without running the compiler', async () => {
    const env = { PARADOX_CACHE_DIR: join(root, 'across') };
    const first = await runTiersChild(env);
    expect(first).toMatchObject({ firstRan: 'js', best: 'c' });
    expect(first.invocations).toBeGreaterThan(0);
    expect(first.maxError).toBeLessThan(1e-5);
    const second = await runTiersChild(env);
    expect(second).toMatchObject({ firstRan: 'js', best: 'c', invocations: 0 });
    expect(second.maxError).toBeLessThan(1e-5);
  });
});
