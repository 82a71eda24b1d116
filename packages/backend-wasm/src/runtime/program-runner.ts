import type { KernelRange } from '../codegen/program-module.js';
import type { ThreadPool } from './thread-pool.js';

/** Runs every kernel of a program given the addresses of its inputs then outputs. */
export interface ProgramRunner {
  run(addresses: number[]): void;
  dispose(): void;
}

type KernelFn = (lo: number, hi: number, ...addresses: number[]) => void;

/**
 * Single-threaded: one call of the module's `run`. With a pool: kernels big enough
 * (`work >= minParallelWork`) that call no JS helper are split over the pool's threads, one kernel
 * at a time in program order; the rest run here.
 */
export function programRunner(
  instance: WebAssembly.Instance,
  module: WebAssembly.Module,
  kernels: KernelRange[],
  pool: ThreadPool | undefined,
  minParallelWork: number,
): ProgramRunner {
  const runAll = instance.exports.run as (...addresses: number[]) => void;
  const parallel = kernels.map(
    (k) => pool !== undefined && !k.usesHelpers && k.work >= minParallelWork && k.extent > 1,
  );
  if (!pool || !parallel.some(Boolean)) return { run: (addresses) => runAll(...addresses), dispose() {} };
  const id = pool.share(module);
  const fns = kernels.map((_, k) => instance.exports[`k${k}`] as KernelFn);
  return {
    run(addresses) {
      kernels.forEach((k, i) => {
        if (k.extent === 0) return;
        const fn = fns[i]!;
        if (parallel[i]) pool.run(id, i, k.extent, k.align, addresses, (lo, hi) => fn(lo, hi, ...addresses));
        else fn(0, k.extent, ...addresses);
      });
    },
    dispose: () => pool.drop(id),
  };
}
