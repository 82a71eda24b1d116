import { type Summary, summarize } from './stats.js';

export interface TimingPlan {
  /** Untimed runs first (at least this many, and at least `warmupMs` of them). */
  warmupRuns: number;
  warmupMs: number;
  /** Timed samples: at least minSamples, then more until budgetMs is spent, at most maxSamples. */
  minSamples: number;
  maxSamples: number;
  budgetMs: number;
  /** A sample shorter than this batches several runs and divides (timer resolution, await overhead). */
  minSampleMs: number;
  /**
   * Hard cap on the warm measurement (warm-up + samples; cold samples get half): a contender slow enough to
   * pass it stops early with fewer samples (at least one warm-up and one sample), so one slow row
   * cannot stretch the whole run. The JSON keeps the sample count.
   */
  capMs: number;
  /** Cold samples (fresh buffers each), also bounded by capMs. */
  coldSamples: number;
}

export const FULL_PLAN: TimingPlan = {
  warmupRuns: 3,
  warmupMs: 300,
  minSamples: 7,
  maxSamples: 50,
  budgetMs: 2500,
  minSampleMs: 5,
  capMs: 20_000,
  coldSamples: 7,
};

export const QUICK_PLAN: TimingPlan = {
  warmupRuns: 1,
  // As long as the full plan's: V8 needs ~200-300 ms to optimize a deep chain's stage functions.
  warmupMs: 300,
  minSamples: 3,
  maxSamples: 15,
  budgetMs: 400,
  minSampleMs: 2,
  capMs: 2_000,
  coldSamples: 3,
};

type Runner = () => void | Promise<void>;

/** Runs `fn` `count` times, awaiting only when it returns a promise; returns elapsed ms. */
async function timeBatch(fn: Runner, count: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const r = fn();
    if (r !== undefined && typeof (r as Promise<void>).then === 'function') await r;
  }
  return performance.now() - t0;
}

/**
 * Warm timing: warm-up, batch calibration, repeated samples. Each sample is ms per single run.
 * `alreadyRun` (with how long the last one took) counts runs the caller made before, e.g. the
 * correctness check, as warm-up.
 */
export async function measureWarm(
  fn: Runner,
  plan: TimingPlan,
  onSample?: () => void,
  alreadyRun?: { runs: number; lastMs: number },
): Promise<{ summary: Summary; batch: number }> {
  let warmed = alreadyRun?.runs ?? 0;
  let warmMs = 0;
  let last = alreadyRun?.lastMs ?? 0;
  // No cap on the number of warm-up runs: a fast function must also run for `warmupMs`, long enough
  // for V8 to finish optimizing what it calls (a count cap let 20 µs runs start timing after 20 ms).
  while (warmed < plan.warmupRuns || warmMs < plan.warmupMs) {
    if (warmed >= 1 && warmMs >= plan.capMs / 4) break;
    last = await timeBatch(fn, 1);
    warmMs += last;
    warmed++;
  }
  const batch =
    last >= plan.minSampleMs ? 1 : Math.min(10_000, Math.ceil(plan.minSampleMs / Math.max(last, 1e-4)));
  const samples: number[] = [];
  let spent = warmMs;
  while (
    samples.length < plan.minSamples ||
    (spent < plan.budgetMs + warmMs && samples.length < plan.maxSamples)
  ) {
    if (samples.length >= 1 && spent >= plan.capMs) break;
    const ms = await timeBatch(fn, batch);
    spent += ms;
    samples.push(ms / batch);
    onSample?.();
  }
  return { summary: summarize(samples), batch };
}

/**
 * Cold timing: every sample gets fresh inputs made by `fresh()` outside the timer (new memory, filled
 * from the source data) and runs once through `run`, which must upload, compute and read back.
 * Takes `samples` samples, fewer (at least one) when they pass `capMs` in total.
 */
export async function measureCold<T>(
  fresh: () => T,
  run: (inputs: T) => void | Promise<void>,
  samples: number,
  onSample?: () => void,
  capMs = Number.POSITIVE_INFINITY,
): Promise<Summary> {
  const out: number[] = [];
  let spent = 0;
  for (let i = 0; i < samples; i++) {
    if (out.length >= 1 && spent >= capMs) break;
    const inputs = fresh();
    const t0 = performance.now();
    const r = run(inputs);
    if (r !== undefined && typeof (r as Promise<void>).then === 'function') await r;
    const ms = performance.now() - t0;
    spent += ms;
    out.push(ms);
    onSample?.();
  }
  return summarize(out);
}
