/**
 * Worker threads for the pool, in Node (worker_threads, evaluated source) and in browsers (a Blob
 * URL worker; only when the page is crossOriginIsolated, so shared memory exists, and
 * Atomics.waitAsync is there). Both run the same job: instantiate the modules they are sent over
 * the shared memory (helpers are stubs: kernels that call them never run on workers), wait on their
 * control slot for (module, kernel, lo, hi, addresses...), run `k<kernel>(lo, hi, ...addresses)`,
 * and set DONE (1 ok, 2 trapped).
 */

/** What a worker gets at start. `layout` names the Int32 fields of its control slot. */
export interface WorkerInit {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
  helpers: string[];
  layout: Record<
    'SEQ' | 'DONE' | 'MODULE' | 'KERNEL' | 'LO' | 'HI' | 'NARGS' | 'ARGS' | 'SLOT' | 'LOADED',
    number
  >;
}

export interface PoolWorker {
  postMessage(message: unknown): void;
  terminate(): void;
}

export type SpawnWorker = ((init: WorkerInit) => PoolWorker) & {
  /**
   * Workers that take messages asynchronously (browsers): they report each module they have
   * instantiated in LOADED, and the pool gives them only modules they have (a browser does not
   * start a worker, nor deliver to it, while the page's thread is busy in one task).
   */
  reportsLoaded?: boolean;
};

const SETUP = `
const ctrl = new Int32Array(init.control);
const L = init.layout;
const base = init.slot * L.SLOT;
const stub = () => { throw new Error('helper called on a worker'); };
const imports = { env: { memory: init.memory }, h: Object.fromEntries(init.helpers.map((n) => [n, stub])) };
const modules = new Map();
const receive = (msg) => {
  if (msg.type === 'module') {
    modules.set(msg.id, new WebAssembly.Instance(msg.module, imports).exports);
    Atomics.store(ctrl, base + L.LOADED, msg.id);
  } else if (msg.type === 'drop') modules.delete(msg.id);
};
const runJob = (exports) => {
  let status = 1;
  try {
    const args = [ctrl[base + L.LO], ctrl[base + L.HI]];
    for (let i = 0; i < ctrl[base + L.NARGS]; i++) args.push(ctrl[base + L.ARGS + i]);
    exports['k' + ctrl[base + L.KERNEL]](...args);
  } catch {
    status = 2;
  }
  Atomics.store(ctrl, base + L.DONE, status);
  Atomics.notify(ctrl, base + L.DONE);
};
`;

/** Node: a blocking loop; messages (modules) are pulled synchronously before each job. */
const NODE_SOURCE = `
const { parentPort, workerData: init, receiveMessageOnPort } = require('node:worker_threads');
${SETUP}
let seq = 0;
for (;;) {
  Atomics.wait(ctrl, base + L.SEQ, seq);
  seq = Atomics.load(ctrl, base + L.SEQ);
  if (seq < 0) break;
  for (let m = receiveMessageOnPort(parentPort); m; m = receiveMessageOnPort(parentPort)) receive(m.message);
  runJob(modules.get(ctrl[base + L.MODULE]));
}
`;

/** Browser: waits with Atomics.waitAsync so messages (modules) keep arriving between jobs. */
const BROWSER_SOURCE = `
let init;
onmessage = (event) => {
  if (event.data.type !== 'init') return;
  init = event.data;
  ${SETUP}
  onmessage = (e) => receive(e.data);
  const next = (seq) => {
    const w = Atomics.waitAsync(ctrl, base + L.SEQ, seq);
    if (w.async) w.value.then(() => step());
    else step();
  };
  const step = () => {
    const seq = Atomics.load(ctrl, base + L.SEQ);
    if (seq < 0) return;
    const exports = modules.get(ctrl[base + L.MODULE]);
    // The module's message may still be queued behind this wake-up: let it arrive first.
    if (!exports) return void setTimeout(step, 0);
    runJob(exports);
    next(seq);
  };
  next(0);
};
`;

interface NodeWorkerLike {
  postMessage(message: unknown): void;
  unref(): void;
  terminate(): unknown;
}
type NodeWorkerCtor = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorkerLike;

function nodeSpawner(): SpawnWorker | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  let Worker: NodeWorkerCtor | undefined;
  try {
    Worker = (proc.getBuiltinModule('node:worker_threads') as { Worker?: NodeWorkerCtor }).Worker;
  } catch {
    return undefined;
  }
  if (!Worker) return undefined;
  const W = Worker;
  return (init) => {
    const w = new W(NODE_SOURCE, { eval: true, workerData: init });
    // Idle workers must not keep the process alive.
    w.unref();
    return { postMessage: (m) => w.postMessage(m), terminate: () => void w.terminate() };
  };
}

function browserSpawner(): SpawnWorker | undefined {
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    Worker?: new (url: string) => PoolWorker;
    Blob?: typeof Blob;
    URL?: typeof URL;
  };
  const waitAsync = (Atomics as { waitAsync?: unknown }).waitAsync;
  if (g.crossOriginIsolated !== true || !g.Worker || !g.Blob || !g.URL || typeof waitAsync !== 'function')
    return undefined;
  const url = g.URL.createObjectURL(new g.Blob([BROWSER_SOURCE], { type: 'text/javascript' }));
  const Worker = g.Worker;
  const spawn: SpawnWorker = (init) => {
    const w = new Worker(url);
    w.postMessage({ type: 'init', ...init });
    return w;
  };
  spawn.reportsLoaded = true;
  return spawn;
}

/** How to start pool workers here, or undefined where threads are unavailable. */
export function workerSpawner(): SpawnWorker | undefined {
  if (typeof SharedArrayBuffer !== 'function') return undefined;
  return nodeSpawner() ?? browserSpawner();
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread): else it spins. */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}
