import { BackendError } from '@paradox/backend';
import { HELPER_NAMES } from '../codegen/helpers.js';

/** Int32 fields of one worker's slot in the control array. */
const SEQ = 0;
const DONE = 1;
const MODULE = 2;
const KERNEL = 3;
const LO = 4;
const HI = 5;
const NARGS = 6;
const ARGS = 7;
/** Most addresses a kernel call passes (program inputs + outputs). */
export const MAX_THREAD_ARGS = 249;
const SLOT = ARGS + MAX_THREAD_ARGS;

/** A worker failed a kernel (it trapped). */
export class WasmThreadError extends BackendError {
  override name = 'WasmThreadError';
}

/**
 * The worker: instantiates the modules it is sent over the same shared memory (helpers are stubs:
 * kernels that call them never run on workers), then waits on its control slot for
 * (module, kernel, lo, hi, addresses...) and runs `k<kernel>(lo, hi, ...addresses)`. Plain JS text,
 * evaluated by worker_threads, so it needs no file of its own.
 */
const WORKER_SOURCE = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const { memory, control, slot, helpers, layout } = workerData;
const ctrl = new Int32Array(control);
const base = slot * layout.SLOT;
const stub = () => { throw new Error('helper called on a worker'); };
const imports = { env: { memory }, h: Object.fromEntries(helpers.map((n) => [n, stub])) };
const modules = new Map();
const pull = () => {
  for (let m = receiveMessageOnPort(parentPort); m; m = receiveMessageOnPort(parentPort)) {
    const msg = m.message;
    if (msg.type === 'module') modules.set(msg.id, new WebAssembly.Instance(msg.module, imports).exports);
    else modules.delete(msg.id);
  }
};
let seq = 0;
for (;;) {
  Atomics.wait(ctrl, base + layout.SEQ, seq);
  seq = Atomics.load(ctrl, base + layout.SEQ);
  if (seq < 0) break;
  pull();
  let status = 1;
  try {
    const args = [ctrl[base + layout.LO], ctrl[base + layout.HI]];
    for (let i = 0; i < ctrl[base + layout.NARGS]; i++) args.push(ctrl[base + layout.ARGS + i]);
    modules.get(ctrl[base + layout.MODULE])['k' + ctrl[base + layout.KERNEL]](...args);
  } catch {
    status = 2;
  }
  Atomics.store(ctrl, base + layout.DONE, status);
  Atomics.notify(ctrl, base + layout.DONE);
}
`;

interface NodeWorker {
  postMessage(message: unknown): void;
  unref(): void;
  terminate(): Promise<number>;
}

type WorkerCtor = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;

/** Node's Worker when this runtime has worker_threads and shared memory; undefined elsewhere (browsers). */
function nodeWorker(): WorkerCtor | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof SharedArrayBuffer !== 'function' || typeof proc?.getBuiltinModule !== 'function')
    return undefined;
  try {
    return (proc.getBuiltinModule('node:worker_threads') as { Worker?: WorkerCtor }).Worker;
  } catch {
    return undefined;
  }
}

/** Whether worker threads over shared memory can be used here. */
export function threadsAvailable(): boolean {
  if (!nodeWorker()) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
    return true;
  } catch {
    return false;
  }
}

/**
 * Worker threads sharing the backend's memory. A parallel kernel call splits its outer range: the
 * calling thread runs the first part, each worker one more, and the call returns when all are done
 * (Atomics.wait on the calling thread: Node allows it), so runs stay synchronous.
 */
export class ThreadPool {
  private readonly workers: NodeWorker[] = [];
  private readonly ctrl: Int32Array;
  private nextModule = 1;
  private closed = false;

  private constructor(
    Worker: WorkerCtor,
    memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    const control = new SharedArrayBuffer(4 * SLOT * threads);
    this.ctrl = new Int32Array(control);
    const layout = { SEQ, DONE, MODULE, KERNEL, LO, HI, NARGS, ARGS, SLOT };
    for (let slot = 1; slot < threads; slot++) {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { memory, control, slot, helpers: HELPER_NAMES, layout },
      });
      // Idle workers must not keep the process alive.
      w.unref();
      this.workers.push(w);
    }
  }

  /** A pool of `threads` (calling thread included), or undefined where threads are unavailable. */
  static create(memory: WebAssembly.Memory, threads: number): ThreadPool | undefined {
    const Worker = nodeWorker();
    if (!Worker || threads < 2) return undefined;
    return new ThreadPool(Worker, memory, threads);
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
    const parts = this.threads;
    const step = Math.ceil(extent / parts / align) * align;
    const busy: number[] = [];
    for (let t = 1; t < parts; t++) {
      const lo = Math.min(extent, t * step);
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
        while (Atomics.load(this.ctrl, base + DONE) === 0) Atomics.wait(this.ctrl, base + DONE, 0);
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
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
