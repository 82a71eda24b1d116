import type { ProgramModule } from '../codegen/program-module.js';
import type { Arena } from './arena.js';
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
  built: ProgramModule,
  arena: Arena,
  pool: ThreadPool | undefined,
  minParallelWork: number,
): ProgramRunner {
  const { kernels } = built;
  const runAll = instance.exports.run as (...addresses: number[]) => void;
  const parallel = kernels.map(
    (k) => pool !== undefined && !k.usesHelpers && k.work >= minParallelWork && k.extent > 1,
  );
  const threaded = pool !== undefined && parallel.some(Boolean);
  // One scratch region per thread that may run a kernel (row caches).
  const scratch =
    built.scratchBytes > 0
      ? Array.from({ length: threaded ? pool.threads : 1 }, () => arena.alloc(built.scratchBytes))
      : [0];
  const release = () => {
    if (built.scratchBytes > 0) for (const s of scratch) arena.release(s);
  };
  if (!threaded) {
    // One argument array per program, scratch last: a run allocates nothing.
    const args: number[] = [];
    return {
      run(addresses) {
        for (let i = 0; i < addresses.length; i++) args[i] = addresses[i]!;
        args[addresses.length] = scratch[0]!;
        runAll.apply(undefined, args);
      },
      dispose: release,
    };
  }
  const id = pool.share(module);
  const fns = kernels.map((_, k) => instance.exports[`k${k}`] as KernelFn);
  return {
    run(addresses) {
      const args = [...addresses, scratch[0]!];
      kernels.forEach((k, i) => {
        if (k.extent === 0) return;
        const fn = fns[i]!;
        if (parallel[i]) pool.run(id, i, k.extent, k.align, args, (lo, hi) => fn(lo, hi, ...args), scratch);
        else fn(0, k.extent, ...args);
      });
    },
    dispose() {
      pool.drop(id);
      release();
    },
  };
}
