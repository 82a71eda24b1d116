import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChainOp, Contender, Session, Workload } from '../types.js';
import { LN_EPS } from '../workloads/normalize.js';
import { cnnInputsNhwc } from './tfjs-layout.js';
import { tfjsTrainSession } from './train-step-peers.js';
import { simpleSession, unsupportedUnless } from './util.js';

type TF = typeof import('@tensorflow/tfjs');
type T = import('@tensorflow/tfjs').Tensor;

let tfPromise: Promise<TF> | undefined;
let wasmReady: Promise<void> | undefined;

/** @tensorflow/tfjs, once; its "use tfjs-node" hint goes to stderr with every other log. */
export function loadTf(): Promise<TF> {
  tfPromise ??= import('@tensorflow/tfjs').then(
    (m) => ((m as any).default?.tensor ? (m as any).default : m) as TF,
  );
  return tfPromise;
}

/** Registers the wasm backend with its .wasm files read from the package's dist folder (Node has no fetch of file paths). */
async function loadWasm(tf: TF): Promise<void> {
  wasmReady ??= (async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
    wasm.setWasmPaths(dir);
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
  })();
  return wasmReady;
}

function chainTf(tf: TF, ops: readonly ChainOp[], x: T): T {
  let v = x;
  for (const op of ops) {
    switch (op.op) {
      case 'mul':
        v = tf.mul(v, op.c);
        break;
      case 'add':
        v = tf.add(v, op.c);
        break;
      case 'sub':
        v = tf.sub(v, op.c);
        break;
      case 'tanh':
        v = tf.tanh(v);
        break;
      case 'sigmoid':
        v = tf.sigmoid(v);
        break;
      case 'relu':
        v = tf.relu(v);
        break;
      case 'neg':
        v = tf.neg(v);
        break;
      case 'abs':
        v = tf.abs(v);
        break;
    }
  }
  return v;
}

/** The workload as tfjs ops on already-made tensors (called inside tf.tidy). */
function forward(tf: TF, w: Workload, t: T[]): T {
  switch (w.id) {
    case 'W1': {
      const x = t[0]!;
      return tf.sub(tf.mul(tf.relu(tf.add(tf.mul(x, 2), 1)), tf.sigmoid(x)), 0.5);
    }
    case 'W2': {
      const [x, w1, b1, w2, b2] = t as [T, T, T, T, T];
      return tf.softmax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2));
    }
    case 'W3':
      return chainTf(tf, w.chain!, t[0]!);
    case 'W4a':
      return tf.softmax(t[0]!, -1);
    case 'W4b': {
      const x = t[0]!;
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LN_EPS)));
    }
    case 'W7': {
      // NHWC images, HWIO filters (see tfjs-layout.ts).
      const [x, w1, b1, w2, b2, w3, b3] = t as [T, T, T, T, T, T, T];
      const block = (h: T, f: T, b: T) =>
        tf.maxPool(tf.relu(tf.add(tf.conv2d(h as any, f as any, 1, 'same'), b)) as any, 2, 2, 'valid') as T;
      const h = block(block(x, w1, b1), w2, b2);
      return tf.add(tf.matMul(tf.reshape(h, [h.shape[0]!, -1]), w3), b3);
    }
    default:
      throw new Error(`tfjs: no implementation of ${w.id}`);
  }
}

/** tfjs with one of its pure-JS 'cpu' or 'wasm' (XNNPACK, SIMD; single-threaded in Node) backends. */
export function tfjs(backend: 'cpu' | 'wasm'): Contender {
  let tf: TF;
  return {
    id: `tfjs-${backend}`,
    label: `tfjs ${backend}`,
    group: 'peer',
    threads: 1,
    async load() {
      tf = await loadTf();
      if (backend === 'wasm') await loadWasm(tf);
      if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend("${backend}") returned false`);
    },
    unsupported: unsupportedUnless(
      ['W1', 'W2', 'W3', 'W4a', 'W4b', 'W6', 'W7'],
      'eager only: no graph compiler to time',
    ),
    async setup(w, inputs): Promise<Session> {
      await tf.setBackend(backend);
      await tf.ready();
      const shapes = w.inputs.map((i) => i.shape);
      if (w.id === 'W6') return tfjsTrainSession(tf, inputs, shapes);
      return simpleSession({
        inputs,
        upload: (arrays) => {
          const native = w.id === 'W7' ? cnnInputsNhwc(arrays, shapes) : { arrays, shapes };
          return native.arrays.map((a, i) => tf.tensor(a, native.shapes[i]!, 'float32'));
        },
        compute(t) {
          const y = tf.tidy(() => forward(tf, w, t));
          const data = y.dataSync() as Float32Array;
          y.dispose();
          return data;
        },
        free(t) {
          for (const x of t) x.dispose();
        },
      });
    },
  };
}
