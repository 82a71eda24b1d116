import type { Session } from '../types.js';
import { ADAM } from '../workloads/train-step.js';

type TF = typeof import('@tensorflow/tfjs');
type T = import('@tensorflow/tfjs').Tensor;
type Scalar = import('@tensorflow/tfjs').Scalar;
type Jax = typeof import('@jax-js/jax');
type Arr = import('@jax-js/jax').Array;

const KEYS = ['w1', 'b1', 'w2', 'b2'] as const;
type Key = (typeof KEYS)[number];

/** The updated parameters w1, b1, w2, b2 as one array (W6's result). */
function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * W6 on TensorFlow.js: `tf.valueAndGrads` of the cross-entropy, then Adam as tf ops (what
 * `tf.train.adam` runs per variable, written out so it starts from W6's moments), in one tf.tidy.
 */
export function tfjsTrainSession(tf: TF, inputs: Float32Array[], shapes: number[][]): Session {
  type Bound = { x: T; y: T; p: T[]; m: T[]; v: T[]; t: number };
  const bind = (arrays: Float32Array[]): Bound => {
    const t = arrays.map((a, i) => tf.tensor(a, shapes[i]!, 'float32'));
    return { x: t[0]!, y: t[1]!, p: t.slice(2, 6), m: t.slice(6, 10), v: t.slice(10, 14), t: 0 };
  };
  const lossOf = (x: T, y: T) => (w1: T, b1: T, w2: T, b2: T) =>
    tf.neg(
      tf.mean(
        tf.sum(tf.mul(tf.logSoftmax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)), y), 1),
      ),
    ) as Scalar;
  const { lr, beta1, beta2, eps } = ADAM;
  const step = (b: Bound) => {
    const t = b.t + 1;
    const [value, p, m, v] = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads(lossOf(b.x, b.y) as (...a: T[]) => Scalar)(b.p);
      const m = grads.map((g, i) => tf.add(tf.mul(b.m[i]!, beta1), tf.mul(g, 1 - beta1)));
      const v = grads.map((g, i) => tf.add(tf.mul(b.v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const p = b.p.map((w, i) =>
        tf.sub(
          w,
          tf.div(tf.mul(m[i]!, lr / (1 - beta1 ** t)), tf.add(tf.sqrt(tf.div(v[i]!, 1 - beta2 ** t)), eps)),
        ),
      );
      return [value, p, m, v] as [T, T[], T[], T[]];
    });
    for (const old of [...b.p, ...b.m, ...b.v]) old.dispose();
    Object.assign(b, { p, m, v, t });
    value.dataSync();
    value.dispose();
  };
  const dispose = (b: Bound | undefined) => {
    if (b) for (const x of [b.x, b.y, ...b.p, ...b.m, ...b.v]) x.dispose();
  };
  const bound = bind(inputs);
  let last = bound;
  let fresh: Bound | undefined;
  return {
    run() {
      step(bound);
      last = bound;
    },
    result: () => concat(last.p.map((x) => x.dataSync() as Float32Array)),
    runFresh(arrays) {
      dispose(fresh);
      fresh = bind(arrays);
      step(fresh);
      last = fresh;
    },
    dispose() {
      dispose(bound);
      dispose(fresh);
    },
  };
}

/**
 * W6 on jax-js: `jit` of `valueAndGrad` plus Adam in jax.numpy (as optax.adam), the step count a
 * traced scalar, in jax-js's ownership style (`.ref` for a second use).
 */
export function jaxTrainSession(jax: Jax, inputs: Float32Array[], shapes: number[][]): Session {
  const { numpy: np, nn, tree } = jax;
  type Params = Record<Key, Arr>;
  const loss = (p: Params, x: Arr, y: Arr): Arr =>
    nn
      .logSoftmax(np.matmul(nn.relu(np.matmul(x, p.w1).add(p.b1)), p.w2).add(p.b2))
      .mul(y)
      .sum(1)
      .mean()
      .neg();
  const { lr, beta1, beta2, eps } = ADAM;
  const step = jax.jit((p: Params, m: Params, v: Params, count: Arr, x: Arr, y: Arr) => {
    const [value, g] = jax.valueAndGrad(loss)(tree.ref(p), x, y) as [Arr, Params];
    const t = count.add(1);
    const c1 = np.power(np.array(beta1), t.ref).neg().add(1);
    const c2 = np.power(np.array(beta2), t.ref).neg().add(1);
    const p2 = {} as Params;
    const m2 = {} as Params;
    const v2 = {} as Params;
    for (const k of KEYS) {
      const gk = g[k];
      m2[k] = m[k].mul(beta1).add(gk.ref.mul(1 - beta1));
      v2[k] = v[k].mul(beta2).add(gk.ref.mul(gk).mul(1 - beta2));
      const update = m2[k].ref
        .div(c1.ref)
        .div(np.sqrt(v2[k].ref.div(c2.ref)).add(eps))
        .mul(lr);
      p2[k] = p[k].sub(update);
    }
    c1.dispose();
    c2.dispose();
    return [value, p2, m2, v2, t] as unknown as Arr;
  });
  type Bound = { x: Arr; y: Arr; p: Params; m: Params; v: Params; count: Arr };
  const bind = (arrays: Float32Array[]): Bound => {
    const a = arrays.map((d, i) => np.array(d, { shape: shapes[i]! }));
    const obj = (s: Arr[]) => Object.fromEntries(KEYS.map((k, i) => [k, s[i]!])) as Params;
    return {
      x: a[0]!,
      y: a[1]!,
      p: obj(a.slice(2, 6)),
      m: obj(a.slice(6, 10)),
      v: obj(a.slice(10, 14)),
      count: np.array(0),
    };
  };
  const run = (b: Bound) => {
    // The step consumes its arguments (jax-js ownership); the batch is reused, so it passes refs.
    const [value, p, m, v, count] = step(b.p, b.m, b.v, b.count, b.x.ref, b.y.ref) as unknown as [
      Arr,
      Params,
      Params,
      Params,
      Arr,
    ];
    Object.assign(b, { p, m, v, count });
    value.dataSync();
  };
  const dispose = (b: Bound | undefined) => {
    if (b)
      for (const x of [
        b.x,
        b.y,
        b.count,
        ...Object.values(b.p),
        ...Object.values(b.m),
        ...Object.values(b.v),
      ])
        x.dispose();
  };
  const bound = bind(inputs);
  let last = bound;
  let fresh: Bound | undefined;
  return {
    run() {
      run(bound);
      last = bound;
    },
    result: () => concat(KEYS.map((k) => last.p[k].ref.dataSync() as Float32Array)),
    runFresh(arrays) {
      dispose(fresh);
      fresh = bind(arrays);
      run(fresh);
      last = fresh;
    },
    dispose() {
      dispose(bound);
      dispose(fresh);
      step.dispose();
    },
  };
}
