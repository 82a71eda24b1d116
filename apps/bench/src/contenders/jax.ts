import type { ChainOp, Contender, Session, Workload } from '../types.js';
import { LN_EPS } from '../workloads/normalize.js';
import { jaxTrainSession } from './train-step-peers.js';
import { unsupportedUnless } from './util.js';

type Jax = typeof import('@jax-js/jax');
type Arr = import('@jax-js/jax').Array;

let jaxPromise: Promise<Jax> | undefined;

/** @jax-js/jax with its wasm device (Node 20 has no global Worker, so it runs single-threaded). */
export function loadJax(): Promise<Jax> {
  jaxPromise ??= (async () => {
    const jax = await import('@jax-js/jax');
    const devices = await jax.init('cpu', 'wasm');
    if (!devices.includes('wasm'))
      throw new Error(`init('cpu','wasm') gave [${devices.join(', ')}], no wasm`);
    jax.defaultDevice('wasm');
    return jax;
  })();
  return jaxPromise;
}

/**
 * The workload in jax-js's ownership style: every function consumes its arguments, so an array used
 * twice is passed as `x.ref` the first time. Takes ownership of `args`.
 */
function forward(jax: Jax, w: Workload, ops: readonly ChainOp[] | undefined, args: Arr[]): Arr {
  const { numpy: np, nn } = jax;
  switch (w.id) {
    case 'W1': {
      const x = args[0]!;
      return nn.relu(x.ref.mul(2).add(1)).mul(nn.sigmoid(x)).sub(0.5);
    }
    case 'W2': {
      const [x, w1, b1, w2, b2] = args as [Arr, Arr, Arr, Arr, Arr];
      return nn.softmax(np.matmul(nn.relu(np.matmul(x, w1).add(b1)), w2).add(b2), -1);
    }
    case 'W3':
    case 'W5': {
      let v = args[0]!;
      for (const op of ops!) {
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
          case 'tanh':
            v = np.tanh(v);
            break;
          case 'sigmoid':
            v = nn.sigmoid(v);
            break;
          case 'relu':
            v = nn.relu(v);
            break;
          case 'neg':
            v = v.neg();
            break;
          case 'abs':
            v = np.absolute(v);
            break;
        }
      }
      return v;
    }
    case 'W4a':
      return nn.softmax(args[0]!, -1);
    case 'W4b':
      return nn.standardize(args[0]!, -1, { epsilon: LN_EPS });
    case 'W6':
      throw new Error('W6 is a training step: see trainSession');
    case 'W7':
      throw new Error('W7: not implemented for jax-js');
  }
}

/** jax-js eager (op by op) or jit (traced once, fused kernels). */
export function jaxJs(mode: 'eager' | 'jit'): Contender {
  let jax: Jax;
  return {
    id: `jax-${mode}`,
    label: `jax-js wasm ${mode}`,
    group: 'peer',
    threads: 1,
    async load() {
      jax = await loadJax();
    },
    unsupported: unsupportedUnless(
      mode === 'jit' ? ['W1', 'W2', 'W3', 'W4a', 'W4b', 'W5', 'W6'] : ['W1', 'W2', 'W3', 'W4a', 'W4b'],
      'eager only: nothing to compile',
    ),
    async setup(w, inputs): Promise<Session> {
      const { numpy: np } = jax;
      const shapes = w.inputs.map((i) => i.shape);
      if (w.id === 'W6') return jaxTrainSession(jax, inputs, shapes);
      const upload = (arrays: Float32Array[]) => arrays.map((a, i) => np.array(a, { shape: shapes[i]! }));
      const fn =
        mode === 'jit'
          ? jax.jit((...a: Arr[]) => forward(jax, w, w.chain, a))
          : (...a: Arr[]) => forward(jax, w, w.chain, a);
      // dataSync() realizes, copies out of wasm memory and disposes the result.
      const compute = (t: Arr[]) => fn(...t.map((a) => a.ref)).dataSync() as Float32Array;
      const bound = upload(inputs);
      let last: Float32Array = new Float32Array(0);
      return {
        run() {
          last = compute(bound);
        },
        result: () => last,
        runFresh(fresh) {
          const t = upload(fresh);
          last = compute(t);
          for (const a of t) a.dispose();
        },
        dispose() {
          for (const a of bound) a.dispose();
          (fn as { dispose?: () => void }).dispose?.();
        },
      };
    },
    compile:
      mode === 'jit'
        ? async (w, ops, x) => {
            const f = jax.jit((a: Arr) => forward(jax, w, ops, [a]));
            const y = f(jax.numpy.array(x)).dataSync() as Float32Array;
            f.dispose();
            return y;
          }
        : undefined,
  };
}
