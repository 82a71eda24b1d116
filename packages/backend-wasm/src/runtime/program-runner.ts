import type { ProgramModule } from '../codegen/program-module.js';
import type { Arena } from './arena.js';
import type { ThreadPool } from './thread-pool.js';

/**
 * Runs every kernel of a program. The caller writes the addresses of the program's inputs then
 * outputs into `argv` (made once: a warm run allocates nothing here), then calls `run()`.
 */
export interface ProgramRunner {
  /** The module's arguments: input addresses, output addresses, this thread's scratch region. */
  readonly argv: number[];
  run(): void;
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
  const argv = new Array<number>(built.ioCount + 1).fill(0);
  argv[built.ioCount] = scratch[0]!;
  if (!threaded) {
    return {
      argv,
      run: () => Reflect.apply(runAll, undefined, argv),
      dispose: release,
    };
  }
  const id = pool.share(module);
  const fns = kernels.map((_, k) => instance.exports[`k${k}`] as KernelFn);
  return {
    argv,
    run() {
      kernels.forEach((k, i) => {
        if (k.extent === 0) return;
        const fn = fns[i]!;
        if (parallel[i]) pool.run(id, i, k.extent, k.align, argv, (lo, hi) => fn(lo, hi, ...argv), scratch);
        else fn(0, k.extent, ...argv);
      });
    },
    dispose() {
      pool.drop(id);
      release();
    },
  };
}
