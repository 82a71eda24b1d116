import type { Contender, Session, Workload } from '../types.js';
import { jitOptions, loadParadox, makeDefault, type ParadoxModules, paradoxForward } from './paradox.js';
import { paradoxTrainSession } from './train-step-paradox.js';
import { unsupportedUnless } from './util.js';

/**
 * Paradox jit on the native C backend ('c') with a fixed OpenMP thread count, with and without
 * the copy-out (as the js rows). The copy-out rows read each result with `dataSync({ transfer:
 * true })`, so the user gets a fresh array of their own per run. The backend's thread count is a run-time setting, so every run
 * sets it: rows with 1 and 2 threads share one backend and its compiled programs.
 */
export function paradoxC(threads: number, noCopy: boolean): Contender {
  let m: ParadoxModules;
  let backend: { threads: number; unavailableReason?: string };
  const plural = threads === 1 ? 'thread' : 'threads';
  return {
    id: `paradox-jit-c-${threads}t${noCopy ? '-nocopy' : ''}`,
    label: `Paradox jit (c, ${threads} ${plural})${noCopy ? ', no copy-out' : ''}`,
    group: 'paradox',
    threads,
    async load() {
      m = await loadParadox();
      if (!m.jitMod) throw new Error(m.jitError ?? '@paradox/jit did not load');
      if (!m.backends.includes('c')) throw new Error(m.skipped.c ?? "backend 'c' is not registered");
      backend = m.backendMod.getBackend('c');
      if (backend.unavailableReason) throw new Error(backend.unavailableReason);
    },
    unsupported: noCopy
      ? unsupportedUnless(['W1', 'W3', 'W4a', 'W4b'], 'elementwise/normalization workloads only')
      : unsupportedUnless(['W1', 'W2', 'W3', 'W4a', 'W4b', 'W5', 'W6', 'W7'], 'not supported'),
    async setup(w: Workload, inputs: Float32Array[]): Promise<Session> {
      if (w.id === 'W6') {
        const upload = (arrays: Float32Array[], shapes: number[][]) => {
          const restore = makeDefault(m, 'c');
          try {
            return arrays.map((a, i) => m.tracer.tensor(a, shapes[i], 'float32'));
          } finally {
            restore();
          }
        };
        const shapes = w.inputs.map((i) => i.shape);
        return paradoxTrainSession('c', inputs, upload, shapes, () => {
          backend.threads = threads;
        });
      }
      const fn = m.jitMod.jit((...a: any[]) => paradoxForward(w, w.chain, a), jitOptions('c'));
      // Inputs live on 'c' (tensors are made on the default backend, so 'c' is the default while
      // they are made), as the js rows' inputs live on js: otherwise every run would first copy
      // them from js to c.
      const upload = (arrays: Float32Array[]) => {
        const restore = makeDefault(m, 'c');
        try {
          return arrays.map((a, i) => m.tracer.tensor(a, w.inputs[i]!.shape, 'float32'));
        } finally {
          restore();
        }
      };
      const bound = upload(inputs);
      let lastTensor: any;
      let last: Float32Array = new Float32Array(0);
      const compute = (t: any[]): void => {
        backend.threads = threads;
        if (noCopy) {
          lastTensor?.dispose();
          lastTensor = fn(...t);
          return;
        }
        // The user's read-and-dispose: a fresh array the caller owns, the output's own memory
        // (written by the kernel) handed over without a copy.
        last = fn(...t).dataSync({ transfer: true }) as Float32Array;
      };
      return {
        run: () => compute(bound),
        result: () => (noCopy ? (lastTensor.dataSync() as Float32Array) : last),
        runFresh(fresh) {
          const t = upload(fresh);
          compute(t);
          for (const x of t) x.dispose();
        },
        dispose() {
          lastTensor?.dispose();
          for (const x of bound) x.dispose();
        },
      };
    },
    compile: noCopy
      ? undefined
      : async (w, ops, x) => {
          backend.threads = threads;
          const f = m.jitMod.jit((a: any) => paradoxForward(w, ops, [a]), jitOptions('c'));
          const restore = makeDefault(m, 'c');
          let xt: any;
          try {
            xt = m.tracer.tensor(x, [x.length], 'float32');
          } finally {
            restore();
          }
          const y = f(xt);
          const out = y.dataSync() as Float32Array;
          y.dispose();
          xt.dispose();
          return out;
        },
  };
}

/** The four 'c' rows: 1 and 2 threads, with and without the copy-out. */
export function paradoxCContenders(): Contender[] {
  return [paradoxC(1, false), paradoxC(2, false), paradoxC(1, true), paradoxC(2, true)];
}
