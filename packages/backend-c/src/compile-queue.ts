import { availableParallelism } from 'node:os';

/**
 * Bounds how many compiler processes run at once: many signatures tiering up together wait in
 * line instead of starting a process each (which would starve the running program of cores).
 */
export class CompileQueue {
  private active = 0;
  /** Most tasks that ever ran at once (tests check the bound holds). */
  peak = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    /** Most tasks running at once; settable later, taking effect for tasks not yet started. */
    public limit: number,
  ) {}

  get running(): number {
    return this.active;
  }

  /** Runs `task` once fewer than `limit` tasks run; settles as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    while (this.active >= Math.max(1, this.limit)) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Compiler processes at once: PARADOX_COMPILE_JOBS (a positive integer), else half the cores (at
 * least one), which leaves the rest to the program running meanwhile.
 */
export function defaultCompileJobs(): number {
  const env = Number(process.env.PARADOX_COMPILE_JOBS);
  return Number.isInteger(env) && env > 0 ? env : Math.max(1, Math.floor(availableParallelism() / 2));
}

/** The process-wide queue of background C compiles (`defaultCompileJobs()` at once). */
export const compileQueue = new CompileQueue(defaultCompileJobs());
