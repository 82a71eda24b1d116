import type { ChainOp, Contender, Session, Workload } from '../types.js';
import { LN_EPS } from '../workloads/normalize.js';
import { paradoxTrainSession } from './train-step-paradox.js';
import { errorText, unsupportedUnless } from './util.js';

/**
 * Paradox adapters. Everything @paradox/* is imported dynamically, so the harness runs (and reports
 * 'not available: <error>') while the packages are still being written, and lights up when they land.
 */
export interface ParadoxModules {
  tracer: any;
  backendMod: any;
  /** @paradox/jit, or why it did not load (eager rows work without it). */
  jitMod?: any;
  jitError?: string;
  /** Registered backend names, default first. */
  backends: string[];
  /** Why an optional backend package did not load. */
  skipped: Record<string, string>;
}

let modulesPromise: Promise<ParadoxModules> | undefined;
/** @paradox/tracer once loaded: W7's windowed ops (conv, maxPool) are free functions, not methods. */
let tracerModule: any;

/** Optional backends: imported when their package loads; a failure is recorded, not fatal. */
const OPTIONAL_BACKENDS: Record<string, () => Promise<unknown>> = {
  wgsl: () => import('@paradox/backend-wgsl'),
  wasm: () => import('@paradox/backend-wasm'),
  c: () => import('@paradox/backend-c'),
};

async function loadJit(): Promise<any> {
  const jitMod: any = await import('@paradox/jit');
  if (typeof jitMod.jit !== 'function') throw new Error('@paradox/jit does not export jit()');
  return jitMod;
}

export function loadParadox(): Promise<ParadoxModules> {
  modulesPromise ??= (async () => {
    const tracer: any = await import('@paradox/tracer');
    tracerModule = tracer;
    const backendMod: any = await import('@paradox/backend');
    await import('@paradox/backend-js');
    const missing = [
      typeof tracer.tensor !== 'function' && '@paradox/tracer does not export tensor()',
      typeof backendMod.listBackends !== 'function' && '@paradox/backend does not export listBackends()',
    ].filter(Boolean);
    if (missing.length) throw new Error(missing.join('; '));
    let jitMod: any;
    let jitError: string | undefined;
    try {
      jitMod = await loadJit();
    } catch (e) {
      jitError = errorText(e);
    }
    const skipped: Record<string, string> = {};
    for (const [name, load] of Object.entries(OPTIONAL_BACKENDS)) {
      try {
        await load();
      } catch (e) {
        skipped[name] = errorText(e);
      }
    }
    // backend-wasm registers above js where SIMD is available; the bench keeps js the default so the
    // js rows measure js alone (wasm rows make wasm the default while they run, see setup()).
    if (backendMod.listBackends().includes('wasm'))
      backendMod.registerBackend(backendMod.getBackend('wasm'), { ...REGISTERED.wasm, replace: true });
    const backends = (backendMod.listBackends() as Array<string | { name: string }>).map((b) =>
      typeof b === 'string' ? b : b.name,
    );
    if (!backends.includes('js'))
      throw new Error(`backend 'js' is not registered (registered: ${backends.join(', ') || 'none'})`);
    return { tracer, backendMod, jitMod, jitError, backends, skipped };
  })();
  return modulesPromise;
}

function isSync(m: ParadoxModules, backend: string): boolean {
  try {
    return m.backendMod.getBackend(backend).capabilities?.sync !== false;
  } catch {
    return true;
  }
}

/** A host Float32Array of the tensor's values. */
export function read(m: ParadoxModules, backend: string, y: any): Float32Array | Promise<Float32Array> {
  return isSync(m, backend) ? (y.dataSync() as Float32Array) : (y.data() as Promise<Float32Array>);
}

function chain(ops: readonly ChainOp[], x: any): any {
  let v = x;
  for (const op of ops) {
    switch (op.op) {
      case 'mul':
        v = v.mul(op.c);
        break;
      case 'add':
        v = v.add(op.c);
        break;
      case 'sub':
        v = v.sub(op.c);
        break;
      default:
        v = v[op.op]();
    }
  }
  return v;
}

/** The workload as a user writes it with Paradox tensors. */
export function paradoxForward(w: Workload, ops: readonly ChainOp[] | undefined, args: any[]): any {
  switch (w.id) {
    case 'W1': {
      const x = args[0];
      return x.mul(2).add(1).relu().mul(x.sigmoid()).sub(0.5);
    }
    case 'W2': {
      const [x, w1, b1, w2, b2] = args;
      return x.matmul(w1).add(b1).relu().matmul(w2).add(b2).softmax(-1);
    }
    case 'W3':
    case 'W5':
      return chain(ops!, args[0]);
    case 'W4a':
      return args[0].softmax(-1);
    case 'W4b':
      return args[0].layerNorm({ eps: LN_EPS });
    case 'W7': {
      const [x, w1, b1, w2, b2, w3, b3] = args;
      const { conv, maxPool } = tracerModule;
      const block = (h: any, w: any, bias: any) =>
        maxPool(
          conv(h, w, {
            pads: [
              [1, 1],
              [1, 1],
            ],
            bias,
          }).relu(),
          [2, 2],
          { strides: [2, 2] },
        );
      return block(block(x, w1, b1), w2, b2)
        .flatten(1)
        .matmul(w3)
        .add(b3);
    }
  }
}

/**
 * Backend registrations as their packages make them (restored after an eager cell on a non-default
 * backend); wasm is kept below js here (see loadParadox).
 */
const REGISTERED: Record<string, { priority: number; slowCompile?: boolean }> = {
  js: { priority: 100 },
  wgsl: { priority: 10 },
  wasm: { priority: 50 },
  c: { priority: 200, slowCompile: true },
};

/**
 * Makes `backend` the default for eager ops by re-registering it with a top priority (the registry
 * has no "set default"); returns the undo.
 */
export function makeDefault(m: ParadoxModules, backend: string): () => void {
  if (m.backendMod.listBackends()[0] === backend) return () => {};
  const b = m.backendMod.getBackend(backend);
  m.backendMod.registerBackend(b, { priority: 1e9, replace: true });
  return () =>
    m.backendMod.registerBackend(b, { ...(REGISTERED[backend] ?? { priority: 0 }), replace: true });
}

/**
 * jit options for the bench: the named backend, and `fallback: 'error'` so a function the backend cannot
 * run shows up as an error in its row instead of being timed as eager.
 */
export const jitOptions = (backend: string) => ({ backend, fallback: 'error', retraceWarning: false });

/** Paradox eager or jit on one registered backend. */
export function paradox(mode: 'eager' | 'jit', backend: string, loadError?: string): Contender {
  let m: ParadoxModules;
  return {
    id: `paradox-${mode}-${backend}`,
    label: `Paradox ${mode} (${backend})`,
    group: 'paradox',
    threads: 1,
    baseline: mode === 'jit' && backend === 'js',
    fullOnly: backend !== 'js',
    async load() {
      if (loadError) throw new Error(loadError);
      m = await loadParadox();
      if (mode === 'jit' && !m.jitMod) throw new Error(m.jitError ?? '@paradox/jit did not load');
      if (!m.backends.includes(backend)) {
        throw new Error(
          m.skipped[backend] ??
            `backend '${backend}' is not registered (registered: ${m.backends.join(', ')})`,
        );
      }
      if (
        mode === 'eager' &&
        m.backends[0] !== backend &&
        typeof m.backendMod.registerBackend !== 'function'
      ) {
        throw new Error(`eager ops run on the default backend ('${m.backends[0]}'), not '${backend}'`);
      }
    },
    unsupported: unsupportedUnless(
      mode === 'jit'
        ? ['W1', 'W2', 'W3', 'W4a', 'W4b', 'W5', 'W6', 'W7']
        : ['W1', 'W2', 'W3', 'W4a', 'W4b', 'W7'],
      'eager only: nothing to compile',
    ),
    async setup(w, inputs): Promise<Session> {
      if (w.id === 'W6') {
        const upload = (arrays: Float32Array[], shapes: number[][]) => {
          const restore = backend === 'wasm' ? makeDefault(m, backend) : () => {};
          try {
            return arrays.map((a, i) => m.tracer.tensor(a, shapes[i], 'float32'));
          } finally {
            restore();
          }
        };
        return paradoxTrainSession(
          backend,
          inputs,
          upload,
          w.inputs.map((i) => i.shape),
        );
      }
      // Eager ops run on the default (highest-priority) backend; make this one the default meanwhile.
      // wasm jit rows too, so their inputs live on wasm as they would for a wasm user (no per-call transfer).
      const restore = mode === 'eager' || backend === 'wasm' ? makeDefault(m, backend) : () => {};
      const { tensor } = m.tracer;
      const shapes = w.inputs.map((i) => i.shape);
      const upload = (arrays: Float32Array[]) => arrays.map((a, i) => tensor(a, shapes[i], 'float32'));
      const fn =
        mode === 'jit'
          ? m.jitMod.jit((...a: any[]) => paradoxForward(w, w.chain, a), jitOptions(backend))
          : (...a: any[]) => paradoxForward(w, w.chain, a);
      const bound = upload(inputs);
      let last: Float32Array = new Float32Array(0);
      const compute = (t: any[]): void | Promise<void> => {
        const y = fn(...t);
        const r = read(m, backend, y);
        if (r instanceof Promise) {
          return r.then((d) => {
            last = d;
            y.dispose?.();
          });
        }
        last = r;
        y.dispose?.();
      };
      return {
        run: () => compute(bound),
        result: () => last,
        runFresh(fresh) {
          const t = upload(fresh);
          const r = compute(t);
          const free = () => {
            for (const x of t) x.dispose?.();
          };
          if (r instanceof Promise) return r.then(free);
          free();
        },
        dispose() {
          for (const x of bound) x.dispose?.();
          restore();
        },
      };
    },
    compile:
      mode === 'jit'
        ? async (w, ops, x) => {
            const f = m.jitMod.jit((a: any) => paradoxForward(w, ops, [a]), jitOptions(backend));
            const xt = m.tracer.tensor(x, [x.length], 'float32');
            const y = f(xt);
            const out = await read(m, backend, y);
            y.dispose?.();
            xt.dispose?.();
            return out;
          }
        : undefined,
  };
}

/**
 * One eager and one jit row per registered backend (js first). When @paradox/* does not load yet, two
 * rows whose load() reports why.
 */
export async function paradoxContenders(
  wanted: readonly string[] = ['js', 'wgsl', 'wasm'],
): Promise<Contender[]> {
  let backends: string[];
  let m: ParadoxModules;
  try {
    m = await loadParadox();
    backends = [...new Set(['js', ...wanted.filter((b) => m.backends.includes(b) || b in m.skipped)])];
  } catch (e) {
    const msg = errorText(e);
    return [paradox('eager', 'js', msg), paradox('jit', 'js', msg)];
  }
  return [
    ...backends.flatMap((b) => [paradox('eager', b), paradox('jit', b)]),
    paradoxNoCopy(m, 'eager'),
    ...(m.jitMod ? [paradoxNoCopy(m, 'jit')] : []),
  ];
}

/**
 * Paradox eager or jit on js without the copy-out: each run disposes the previous output (its memory
 * goes back to the backend's pool) and leaves the new result in its tensor, read only when checked.
 * This is what the hand-written loop does (it writes into a reused output array), so these rows
 * compare the computation itself; the plain rows add `dataSync()`'s copy into a fresh array, whose
 * page faults cost 3-20 ms per 16 MiB here depending on what the allocator has at hand. Eager
 * intermediates stay undisposed, as users write them.
 */
export function paradoxNoCopy(m: ParadoxModules, mode: 'eager' | 'jit'): Contender {
  return {
    id: `paradox-${mode}-js-nocopy`,
    label: `Paradox ${mode} (js), no copy-out`,
    group: 'paradox',
    threads: 1,
    async load() {},
    unsupported: unsupportedUnless(['W1', 'W3', 'W4a', 'W4b'], 'elementwise/normalization workloads only'),
    async setup(w, inputs): Promise<Session> {
      const forward = (...a: any[]) => paradoxForward(w, w.chain, a);
      const fn = mode === 'jit' ? m.jitMod.jit(forward, jitOptions('js')) : forward;
      const upload = (arrays: Float32Array[]) =>
        arrays.map((a, i) => m.tracer.tensor(a, w.inputs[i]!.shape, 'float32'));
      const bound = upload(inputs);
      let last: any;
      const compute = (t: any[]) => {
        last?.dispose();
        last = fn(...t);
      };
      return {
        run: () => compute(bound),
        result: () => last.dataSync() as Float32Array,
        runFresh(fresh) {
          const t = upload(fresh);
          compute(t);
          for (const x of t) x.dispose();
        },
        dispose() {
          last?.dispose();
          for (const x of bound) x.dispose();
        },
      };
    },
  };
}
