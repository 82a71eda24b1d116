import { describe, expect, it, vi } from 'vitest';
import { measureCold, measureWarm, type TimingPlan } from '../src/measure.js';

const plan: TimingPlan = {
  warmupRuns: 2,
  warmupMs: 0,
  minSamples: 4,
  maxSamples: 6,
  budgetMs: 0,
  minSampleMs: 1,
  capMs: 60_000,
  coldSamples: 3,
};

describe('measure', () => {
  it('warms up, batches fast runs, and takes at least minSamples', async () => {
    let calls = 0;
    const { summary, batch } = await measureWarm(() => void calls++, plan);
    expect(summary.n).toBe(4);
    expect(batch).toBeGreaterThan(1);
    expect(calls).toBe(2 + 4 * batch);
    expect(summary.min).toBeGreaterThanOrEqual(0);
  });

  it('warms a fast function up for warmupMs, however many runs that takes', async () => {
    // Each run advances a fake clock by 1/64 ms (exact in binary), so 40 ms of warm-up is exactly
    // 2,560 runs whatever the machine's load (a count cap of 1,000 used to cut it short); then one
    // timed sample of one run.
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      let calls = 0;
      const run = () => {
        calls++;
        now += 1 / 64;
      };
      const { summary, batch } = await measureWarm(run, {
        ...plan,
        warmupMs: 40,
        minSamples: 1,
        maxSamples: 1,
        minSampleMs: 0,
      });
      expect(calls).toBe(2_560 + 1);
      expect(batch).toBe(1);
      expect(summary.min).toBe(1 / 64);
    } finally {
      clock.mockRestore();
    }
  });

  it('awaits async runs', async () => {
    let done = 0;
    await measureWarm(
      () =>
        new Promise<void>((r) =>
          setTimeout(() => {
            done++;
            r();
          }, 2),
        ),
      {
        ...plan,
        warmupRuns: 1,
      },
    );
    expect(done).toBeGreaterThanOrEqual(5);
  });

  it('cold runs each get their own fresh inputs', async () => {
    const seen: number[][] = [];
    let k = 0;
    const s = await measureCold(
      () => [k++],
      (inp) => void seen.push(inp),
      3,
    );
    expect(s.n).toBe(3);
    expect(seen).toEqual([[0], [1], [2]]);
  });

  it('a run slower than the cap stops after one warm-up and one sample', async () => {
    let calls = 0;
    const slow = () => {
      calls++;
      const t = performance.now();
      while (performance.now() - t < 4);
    };
    const { summary } = await measureWarm(slow, { ...plan, warmupRuns: 3, capMs: 1 });
    expect(summary.n).toBe(1);
    expect(calls).toBe(2);
    const cold = await measureCold(() => 0, slow, 5, undefined, 1);
    expect(cold.n).toBe(1);
  });

  it('runs made before (the correctness check) count as warm-up', async () => {
    let calls = 0;
    await measureWarm(() => void calls++, { ...plan, warmupRuns: 1, minSampleMs: 0 }, undefined, {
      runs: 1,
      lastMs: 1,
    });
    expect(calls).toBe(4); // no warm-up run of its own, 4 samples of 1
  });
});
