import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runHarness } from '../src/harness.js';
import { QUICK_PLAN } from '../src/measure.js';
import { Progress } from '../src/report/progress.js';
import type { Contender } from '../src/types.js';
import { compileTime } from '../src/workloads/compile.js';

const silent = new Writable({ write: (_c, _e, done) => done() }) as unknown as NodeJS.WriteStream;

describe('W5 cells', () => {
  it('a contender that times one stage itself ({ result, ms }) gets its own figure, and is checked', async () => {
    const w = compileTime(20, 16);
    const stage = (ms: number, wrong = false): Contender => ({
      id: `stage-${ms}${wrong ? '-wrong' : ''}`,
      label: `stage ${ms}`,
      group: 'paradox',
      threads: 1,
      async load() {},
      async compile(_w, ops, x) {
        const result = Float32Array.from(w.reference([x], ops));
        if (wrong) result[3] = result[3]! + 1;
        return { result, ms };
      },
    });
    const results = await runHarness({
      mode: 'quick',
      plan: QUICK_PLAN,
      compileSamples: { min: 2, max: 2, budgetMs: 0, capMs: 5000 },
      limits: undefined,
      nativeDir: '',
      workloads: [w],
      contenders: [stage(3), stage(7, true)],
      baseline: 'stage-3',
      progress: new Progress(1, silent),
      machine: { cpu: 'test', cores: 1, memoryGiB: 1, node: process.version, platform: process.platform },
    });
    const [ok, wrong] = results.cells;
    expect(ok!.status).toBe('ok');
    expect([ok!.firstMs, ok!.warm!.median, ok!.cold!.median]).toEqual([3, 3, 3]);
    expect(wrong!.status).toBe('wrong');
  });

  it('warm-up compiles of the first graph run untimed after it, before the samples', async () => {
    const w = compileTime(20, 16);
    const seen: string[] = [];
    const contender: Contender = {
      id: 'warming',
      label: 'warming',
      group: 'paradox',
      threads: 1,
      async load() {},
      async compile(_w, ops, x) {
        seen.push(JSON.stringify(ops));
        // The first compile and the warm-ups are slow, the timed samples after them quick.
        const ms = seen.length === 1 ? 100 : seen.length <= 3 ? 50 : 3;
        return { result: Float32Array.from(w.reference([x], ops)), ms };
      },
    };
    const results = await runHarness({
      mode: 'quick',
      plan: QUICK_PLAN,
      compileSamples: { min: 2, max: 2, budgetMs: 1000, capMs: 5000, warmup: 2 },
      limits: undefined,
      nativeDir: '',
      workloads: [w],
      contenders: [contender],
      baseline: 'warming',
      progress: new Progress(1, silent),
      machine: { cpu: 'test', cores: 1, memoryGiB: 1, node: process.version, platform: process.platform },
    });
    const cell = results.cells[0]!;
    expect(cell.status).toBe('ok');
    expect([cell.firstMs, cell.cold!.median, cell.cold!.max, cell.warm!.max]).toEqual([100, 3, 3, 3]);
    const chain = JSON.stringify(w.chain);
    expect(seen.slice(0, 3)).toEqual([chain, chain, chain]);
    const cold = seen.slice(3).filter((s) => s !== chain);
    expect(cold).toEqual([JSON.stringify(w.chainVariant!(0)), JSON.stringify(w.chainVariant!(1))]);
  });
});
