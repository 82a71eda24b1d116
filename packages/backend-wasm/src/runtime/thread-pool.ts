import { BackendError } from '@paradox/backend';
import { HELPER_NAMES } from '../codegen/helpers.js';
import { canBlock, type PoolWorker, type SpawnWorker, workerSpawner } from './workers.js';

/** Int32 fields of one worker's slot in the control array. */
const SEQ = 0;
const DONE = 1;
const MODULE = 2;
const KERNEL = 3;
const LO = 4;
const HI = 5;
const NARGS = 6;
const LOADED = 7;
const ARGS = 8;
/** Most addresses a kernel call passes (program inputs + outputs). */
export const MAX_THREAD_ARGS = 248;
const SLOT = ARGS + MAX_THREAD_ARGS;

/** A worker failed a kernel (it trapped). */
export class WasmThreadError extends BackendError {
  override name = 'WasmThreadError';
}

/** Whether worker threads over shared memory can be used here. */
export function threadsAvailable(): boolean {
  if (!workerSpawner()) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
    return true;
  } catch {
    return false;
  }
}

/**
 * Worker threads sharing the backend's memory (see workers.ts). A parallel kernel call splits its
 * outer range: the calling thread runs the first part, each worker one more, and the call returns
 * when all are done (Atomics.wait where the thread may block, a spin on a browser's main thread), so
 * runs stay synchronous.
 */
export class ThreadPool {
  private readonly workers: PoolWorker[] = [];
  private readonly block = canBlock();
  private readonly reportsLoaded: boolean;
  /** Kernel calls split over workers so far. */
  dispatched = 0;
  private readonly ctrl: Int32Array;
  private nextModule = 1;
  private closed = false;

  private constructor(
    spawn: SpawnWorker,
    memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    const control = new SharedArrayBuffer(4 * SLOT * threads);
    this.ctrl = new Int32Array(control);
    const layout = { SEQ, DONE, MODULE, KERNEL, LO, HI, NARGS, ARGS, SLOT, LOADED };
    this.reportsLoaded = spawn.reportsLoaded === true;
    for (let slot = 1; slot < threads; slot++)
      this.workers.push(spawn({ memory, control, slot, helpers: HELPER_NAMES, layout }));
  }

  /** A pool of `threads` (calling thread included), or undefined where threads are unavailable. */
  static create(memory: WebAssembly.Memory, threads: number): ThreadPool | undefined {
    const spawn = workerSpawner();
    if (!spawn || threads < 2) return undefined;
    return new ThreadPool(spawn, memory, threads);
  }

  /** Sends a compiled module to every worker; returns its id for `run`. */
  share(module: WebAssembly.Module): number {
    const id = this.nextModule++;
    for (const w of this.workers) w.postMessage({ type: 'module', id, module });
    return id;
  }

  drop(id: number): void {
    for (const w of this.workers) w.postMessage({ type: 'drop', id });
  }

  /**
   * Runs kernel `kernel` of module `id` over [0, extent), split in `threads` parts at multiples of
   * `align`; `local(lo, hi)` runs the calling thread's part. Thread t passes `lastArgs[t]` as the
   * last argument (its own scratch) when given.
   */
  run(
    id: number,
    kernel: number,
    extent: number,
    align: number,
    args: number[],
    local: (lo: number, hi: number) => void,
    lastArgs?: number[],
  ): void {
    if (this.closed || args.length > MAX_THREAD_ARGS) {
      local(0, extent);
      return;
    }
    // Workers that do not have the module yet (browsers, right after compile) get no part.
    const ready = [0];
    for (let t = 1; t < this.threads; t++)
      if (!this.reportsLoaded || Atomics.load(this.ctrl, t * SLOT + LOADED) >= id) ready.push(t);
    const parts = ready.length;
    const step = Math.ceil(extent / parts / align) * align;
    const busy: number[] = [];
    if (parts > 1) this.dispatched++;
    for (let p = 1; p < parts; p++) {
      const t = ready[p]!;
      const lo = Math.min(extent, p * step);
      const hi = Math.min(extent, lo + step);
      if (lo >= hi) break;
      const base = t * SLOT;
      const c = this.ctrl;
      c[base + MODULE] = id;
      c[base + KERNEL] = kernel;
      c[base + LO] = lo;
      c[base + HI] = hi;
      c[base + NARGS] = args.length;
      for (let i = 0; i < args.length; i++) c[base + ARGS + i] = args[i]!;
      if (lastArgs && args.length > 0) c[base + ARGS + args.length - 1] = lastArgs[t] ?? lastArgs[0]!;
      Atomics.store(c, base + DONE, 0);
      Atomics.add(c, base + SEQ, 1);
      Atomics.notify(c, base + SEQ);
      busy.push(base);
    }
    let failed = false;
    try {
      local(0, Math.min(extent, step));
    } finally {
      for (const base of busy) {
        // A browser's main thread may not block: it spins (the run is synchronous either way).
        while (Atomics.load(this.ctrl, base + DONE) === 0)
          if (this.block) Atomics.wait(this.ctrl, base + DONE, 0);
        if (this.ctrl[base + DONE] === 2) failed = true;
      }
    }
    if (failed) throw new WasmThreadError(`wasm: kernel ${kernel} failed on a worker thread`);
  }

  /** Stops the workers; later runs (also of programs compiled before) use the calling thread only. */
  terminate(): void {
    this.closed = true;
    for (let t = 1; t < this.threads; t++) {
      Atomics.store(this.ctrl, t * SLOT + SEQ, -1);
      Atomics.notify(this.ctrl, t * SLOT + SEQ);
    }
    for (const w of this.workers) w.terminate();
    this.workers.length = 0;
  }
}
