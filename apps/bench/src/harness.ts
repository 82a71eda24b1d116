import { errorText, errorWhere } from './contenders/util.js';
import { measureCpuContention } from './cpu-contention.js';
import { type LimitsPlan, limitFor, limitSteps } from './limits/index.js';
import { measureCold, measureWarm, type TimingPlan } from './measure.js';
import { formatTime } from './report/format.js';
import type { Progress } from './report/progress.js';
import { type Check, compare, ratio, summarize } from './stats.js';
import type { BenchResults, CellResult, Contender, MachineInfo, Probe, Workload } from './types.js';

export interface HarnessOptions {
  mode: 'quick' | 'full';
  plan: TimingPlan;
  /**
   * W5: samples per cache state, a time budget, and a hard cap per cell; up to `warmup` untimed
   * compiles of the first compile's graph again (within half the cap), so the timed samples run the
   * compiler's code as V8 has optimized it, whichever cell runs first.
   */
  compileSamples: { min: number; max: number; budgetMs: number; capMs: number; warmup?: number };
  limits: LimitsPlan | undefined;
  nativeDir: string;
  workloads: Workload[];
  contenders: Contender[];
  /** Id of the contender every ratio is taken against. */
  baseline: string;
  progress: Progress;
  machine: MachineInfo;
}

const freshCopies = (inputs: Float32Array[]): Float32Array[] =>
  inputs.map((a) => {
    const b = new Float32Array(a.length);
    b.set(a);
    return b;
  });

/** Lets finalizers and pending I/O run between cells. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fmtCheck(c: Check): string {
  return c.reason ?? `max abs err ${c.maxAbsErr.toExponential(1)}`;
}

async function runCell(
  w: Workload,
  c: Contender,
  inputs: Float32Array[],
  ref: Float64Array,
  o: HarnessOptions,
): Promise<CellResult> {
  const base: CellResult = {
    workload: w.id,
    contender: c.id,
    label: c.label,
    group: c.group,
    threads: c.threads,
    status: 'ok',
  };
  const why = c.unsupported?.(w);
  if (why !== undefined) return { ...base, status: 'unsupported', message: why };
  if (w.kind === 'compile') return runCompileCell(w, c, inputs, base, o);
  if (!c.setup) return { ...base, status: 'unsupported', message: 'no setup()' };
  const session = await c.setup(w, inputs);
  try {
    const t0 = performance.now();
    await session.run();
    const checkMs = performance.now() - t0;
    const check = compare(await session.result(), ref, w.tolerance);
    if (!check.ok) return { ...base, status: 'wrong', check, message: `wrong result: ${fmtCheck(check)}` };
    const { summary: warm, batch } = await measureWarm(
      () => session.run(),
      o.plan,
      () => o.progress.tick(),
      { runs: 1, lastMs: checkMs },
    );
    const cold = await measureCold(
      () => freshCopies(inputs),
      (fresh) => session.runFresh(fresh),
      o.plan.coldSamples,
      () => o.progress.tick(),
      o.plan.capMs / 2,
    );
    const coldCheck = compare(await session.result(), ref, w.tolerance);
    if (!coldCheck.ok)
      return {
        ...base,
        status: 'wrong',
        check: coldCheck,
        message: `wrong result on fresh buffers: ${fmtCheck(coldCheck)}`,
      };
    const capped = warm.n < o.plan.minSamples || cold.n < o.plan.coldSamples;
    const cap = `capped at ${(o.plan.capMs / 1000).toFixed(1)} s: ${warm.n} warm / ${cold.n} cold sample${cold.n > 1 ? 's' : ''}`;
    const note = [session.note?.(), capped ? cap : undefined].filter(Boolean).join('; ');
    return { ...base, check, warm, cold, batch, ...(note ? { note } : {}) };
  } finally {
    await session.dispose();
  }
}

/** W5: first compile, then cold-cache (never-seen graphs) and warm-cache (same graph again) samples. */
async function runCompileCell(
  w: Workload,
  c: Contender,
  inputs: Float32Array[],
  base: CellResult,
  o: HarnessOptions,
): Promise<CellResult> {
  if (!c.compile) return { ...base, status: 'unsupported', message: 'nothing to compile' };
  const x = inputs[0]!;
  const settled: number[] = [];
  const timed = async (ops = w.chain!) => {
    const t0 = performance.now();
    const out = await c.compile!(w, ops, x);
    const wall = performance.now() - t0;
    // A row timing one stage reports its own figure.
    const [y, ms] = out instanceof Float32Array ? [out, wall] : [out.result, out.ms];
    if (c.settle) {
      await c.settle();
      settled.push(performance.now() - t0);
    }
    // The untimed settling counts against the budget (it is time the cell takes all the same).
    return { ms, spent: performance.now() - t0, check: compare(y, w.reference(inputs, ops), w.tolerance) };
  };
  const first = await timed();
  if (!first.check.ok)
    return {
      ...base,
      status: 'wrong',
      check: first.check,
      message: `wrong result: ${fmtCheck(first.check)}`,
    };
  // Cold-cache (never-seen graph) and warm-cache (same graph again) samples, interleaved, until both
  // have `min` and the budget is spent, or the cap is reached (then at least one of each).
  const { min, max, budgetMs, capMs, warmup = 0 } = o.compileSamples;
  const cold: number[] = [];
  const warm: number[] = [];
  let spent = first.spent;
  // One compile past the cap: the first compile (a never-seen graph too) is the only cold sample.
  const firstIsCold = first.ms >= capMs;
  if (firstIsCold) cold.push(first.ms);
  try {
    // Untimed, checked: the first compile's graph again (the whole pipeline runs, but nothing a native
    // compiler builds: a never-seen graph would cost a C contender a compile per warm-up).
    for (let k = 1; k <= warmup && !firstIsCold && spent < capMs / 2; k++) {
      const r = await timed(w.chain);
      if (!r.check.ok)
        throw Object.assign(new Error(`wrong result: ${fmtCheck(r.check)}`), { check: r.check });
      spent += r.spent;
    }
    for (let k = 0; ; k++) {
      const enough = cold.length >= min && warm.length >= min && (spent >= budgetMs || cold.length >= max);
      const capped = cold.length >= 1 && warm.length >= 1 && spent >= capMs;
      if (enough || capped) break;
      for (const [list, ops] of [
        [cold, firstIsCold ? undefined : w.chainVariant!(k)],
        [warm, w.chain],
      ] as const) {
        if (!ops || (list === cold && cold.length >= max) || (list === warm && warm.length >= max)) continue;
        const r = await timed(ops);
        if (!r.check.ok)
          throw Object.assign(new Error(`wrong result: ${fmtCheck(r.check)}`), { check: r.check });
        list.push(r.ms);
        spent += r.spent;
        o.progress.tick();
      }
    }
  } catch (e) {
    const check = (e as { check?: Check }).check;
    if (check) return { ...base, status: 'wrong', check, message: errorText(e) };
    throw e;
  }
  const capped = cold.length < min || warm.length < min;
  const notes = [
    ...(capped
      ? [
          `capped at ${(capMs / 1000).toFixed(0)} s: ${cold.length} cold${firstIsCold ? ' (the first compile)' : ''} / ${warm.length} warm sample${warm.length > 1 ? 's' : ''}`,
        ]
      : []),
    ...(settled.length > 0
      ? [`best tier ready ${formatTime(summarize(settled).median)} after the call (median, untimed)`]
      : []),
  ];
  return {
    ...base,
    check: first.check,
    firstMs: first.ms,
    warm: summarize(warm),
    cold: summarize(cold),
    batch: 1,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

/** Ratios against the baseline and the fraction of the machine limit, filled in once every cell ran. */
export function annotate(
  cells: CellResult[],
  workloads: Workload[],
  limits: Probe[],
  baseline: string,
): void {
  for (const w of workloads) {
    const base = cells.find((c) => c.workload === w.id && c.contender === baseline && c.status === 'ok');
    for (const cell of cells.filter((c) => c.workload === w.id && c.status === 'ok')) {
      cell.ratioWarm = ratio(cell.warm?.median, base?.warm?.median);
      cell.ratioCold = ratio(cell.cold?.median, base?.cold?.median);
      if (w.limit === 'none' || !cell.warm) continue;
      const seconds = cell.warm.median * 1e-3;
      const probe = limitFor(limits, w.limit === 'fma' ? 'GFLOP/s' : 'GB/s', cell.threads);
      cell.achieved = (w.limit === 'fma' ? w.flops : w.bytes) / seconds / 1e9;
      if (probe?.value) cell.fractionOfLimit = cell.achieved / probe.value;
    }
  }
}

export async function runHarness(o: HarnessOptions): Promise<BenchResults> {
  const started = new Date();
  const t0 = performance.now();
  const steps = o.limits ? limitSteps(o.limits, o.nativeDir) : [];
  o.progress.setTotal(2 * steps.length + o.contenders.length + o.workloads.length * o.contenders.length);
  const contention = measureCpuContention();

  // Limits are probed before the libraries load and again at the end; the better of the two counts
  // (other load on the machine can only make a probe slower).
  let limits: Probe[] = [];
  const probeLimits = (when: string) => {
    for (const s of steps) {
      o.progress.start(`${s.label} (${when})`);
      const p = s.run();
      const prev = limits.find((q) => q.id === p.id);
      if (!prev) limits.push(p);
      else if (p.value !== undefined && (prev.value === undefined || p.value > prev.value))
        limits = limits.map((q) => (q === prev ? p : q));
      if (p.error && when === 'start')
        o.progress.log(`  ${p.name} (${p.threads}t): not available: ${p.error}`);
      o.progress.step();
    }
  };
  probeLimits('start');

  const loadErrors = new Map<string, string>();
  for (const c of o.contenders) {
    o.progress.start(`load ${c.label}`);
    try {
      await c.load();
    } catch (e) {
      loadErrors.set(c.id, errorText(e));
      o.progress.log(`  ${c.label}: not available: ${errorText(e)}`);
    }
    o.progress.step();
  }

  const cells: CellResult[] = [];
  for (const w of o.workloads) {
    const inputs = w.makeInputs();
    const ref = w.reference(inputs);
    for (const c of o.contenders) {
      o.progress.start(`${w.id} ${w.name}: ${c.label}`);
      const cellStart = performance.now();
      const loadError = loadErrors.get(c.id);
      let cell: CellResult;
      if (loadError !== undefined) {
        cell = {
          workload: w.id,
          contender: c.id,
          label: c.label,
          group: c.group,
          threads: c.threads,
          status: 'unavailable',
          message: `not available: ${loadError}`,
        };
      } else {
        try {
          cell = await runCell(w, c, inputs, ref, o);
        } catch (e) {
          cell = {
            workload: w.id,
            contender: c.id,
            label: c.label,
            group: c.group,
            threads: c.threads,
            status: 'error',
            message: `error: ${errorWhere(e)}`,
          };
        }
      }
      cell.wallS = (performance.now() - cellStart) / 1000;
      if (cell.status === 'wrong' || cell.status === 'error')
        o.progress.log(`  ${w.id} ${c.label}: ${cell.message}`);
      cells.push(cell);
      o.progress.step();
      await breathe();
    }
  }

  probeLimits('end');
  annotate(cells, o.workloads, limits, o.baseline);
  return {
    version: 1,
    startedAt: started.toISOString(),
    durationS: (performance.now() - t0) / 1000,
    mode: o.mode,
    machine: { ...o.machine, contention: contention() },
    limits,
    baseline: o.baseline,
    workloads: o.workloads.map((w) => ({
      id: w.id,
      name: w.name,
      description: w.description,
      bytes: w.bytes,
      flops: w.flops,
      limit: w.limit,
      perRun: w.perRun,
      ...(w.figureSuffix ? { figureSuffix: w.figureSuffix } : {}),
    })),
    cells,
  };
}
