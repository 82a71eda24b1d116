import { errorText } from '../contenders/util.js';
import type { Probe } from '../types.js';
import { jsTriad } from './js-stream.js';
import { buildNativeProbe, findCompiler, nativeFma, nativeTriad } from './native.js';

export interface LimitsPlan {
  /** Doubles per STREAM array (three arrays). */
  triadN: number;
  triadReps: number;
  /** Iterations of the FMA loop (16 chains x lanes per iteration). */
  fmaIters: number;
  threads: number[];
}

export const FULL_LIMITS: LimitsPlan = {
  triadN: 2 ** 25,
  triadReps: 5,
  fmaIters: 40_000_000,
  threads: [1, 2],
};
export const QUICK_LIMITS: LimitsPlan = {
  triadN: 2 ** 23,
  triadReps: 5,
  fmaIters: 10_000_000,
  threads: [1, 2],
};

/** One step per probe, so the caller can show progress. */
export function limitSteps(plan: LimitsPlan, nativeDir: string): { label: string; run(): Probe }[] {
  const compiler = findCompiler();
  let bin: string | undefined;
  let buildError: string | undefined;
  const native = (): string => {
    if (!compiler) throw new Error('no C++ compiler on PATH (tried g++, c++, clang++)');
    if (buildError) throw new Error(buildError);
    if (!bin) {
      try {
        bin = buildNativeProbe(nativeDir, compiler.path);
      } catch (e) {
        buildError = `compile failed: ${errorText(e)}`;
        throw new Error(buildError);
      }
    }
    return bin;
  };
  const failed = (id: string, name: string, unit: Probe['unit'], threads: number, e: unknown): Probe => ({
    id,
    name,
    unit,
    threads,
    detail: '',
    error: errorText(e),
  });
  const steps: { label: string; run(): Probe }[] = [
    {
      label: 'limits: STREAM triad (JS)',
      run: () => {
        try {
          return jsTriad(plan.triadN, plan.triadReps);
        } catch (e) {
          return failed('js-triad', 'STREAM triad, JS Float64Array', 'GB/s', 1, e);
        }
      },
    },
  ];
  const cc = compiler?.path ?? 'cc';
  for (const t of plan.threads) {
    steps.push({
      label: `limits: STREAM triad (C++, ${t} thread${t > 1 ? 's' : ''})`,
      run: () => {
        try {
          return nativeTriad(native(), plan.triadN, plan.triadReps, t, cc);
        } catch (e) {
          return failed(`c-triad-${t}t`, 'STREAM triad, C++ -O3 -march=native', 'GB/s', t, e);
        }
      },
    });
  }
  for (const t of plan.threads) {
    steps.push({
      label: `limits: FMA peak (C++, ${t} thread${t > 1 ? 's' : ''})`,
      run: () => {
        try {
          return nativeFma(native(), plan.fmaIters, t, cc);
        } catch (e) {
          return failed(`c-fma-${t}t`, 'FMA peak, C++ -O3 -march=native', 'GFLOP/s', t, e);
        }
      },
    });
  }
  return steps;
}

/**
 * The limit for a contender computing with `threads` threads. Bandwidth: the best triad measured with at
 * most that many threads (fewer threads are always an option). FMA: the best single-core peak times
 * `threads` (peak is per core; a multi-thread probe is shown but, being the one most disturbed by other
 * load on the machine, not used as the limit unless it is higher).
 */
export function limitFor(probes: readonly Probe[], unit: Probe['unit'], threads: number): Probe | undefined {
  const ok = probes.filter((p) => p.unit === unit && p.value !== undefined && p.threads <= threads);
  if (unit === 'GB/s') return ok.sort((a, b) => b.value! - a.value!)[0];
  const scaled = ok.map((p) =>
    p.threads === threads
      ? p
      : {
          ...p,
          value: (p.value! / p.threads) * threads,
          threads,
          detail: `${p.detail}; per-core peak x${threads}`,
        },
  );
  return scaled.sort((a, b) => b.value! - a.value!)[0];
}
