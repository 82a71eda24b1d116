import type { Tensor } from '@paradox/tracer';
import type * as TF from '@tensorflow/tfjs';
import type fcModule from 'fast-check';

/**
 * Random differentiable programs over a pool of values, written once for Paradox and once for
 * TensorFlow.js. Inputs: x0, x1 [2, 3] and w [3, 3]; ops stay smooth (no kinks, no poles) except
 * `maximum`, whose operands are generic floats.
 */
export interface Step {
  op: number;
  a: number;
  b: number;
}

type P = Tensor;
type T = TF.Tensor;
interface OpPair {
  name: string;
  paradox: (a: P, b: P, w: P) => P;
  tfjs: (tf: typeof TF, a: T, b: T, w: T) => T;
}

export const OPS: OpPair[] = [
  { name: 'sin', paradox: (a) => a.sin(), tfjs: (tf, a) => tf.sin(a) },
  { name: 'cos', paradox: (a) => a.cos(), tfjs: (tf, a) => tf.cos(a) },
  { name: 'tanh', paradox: (a) => a.tanh(), tfjs: (tf, a) => tf.tanh(a) },
  { name: 'sigmoid', paradox: (a) => a.sigmoid(), tfjs: (tf, a) => tf.sigmoid(a) },
  { name: 'exp tanh', paradox: (a) => a.tanh().exp(), tfjs: (tf, a) => tf.exp(tf.tanh(a)) },
  {
    name: 'log1p sq',
    paradox: (a) => a.mul(a).add(1).log(),
    tfjs: (tf, a) => tf.log(tf.add(tf.mul(a, a), 1)),
  },
  {
    name: 'sqrt1p sq',
    paradox: (a) => a.mul(a).add(1).sqrt(),
    tfjs: (tf, a) => tf.sqrt(tf.add(tf.mul(a, a), 1)),
  },
  { name: 'add', paradox: (a, b) => a.add(b), tfjs: (tf, a, b) => tf.add(a, b) },
  { name: 'sub', paradox: (a, b) => a.sub(b), tfjs: (tf, a, b) => tf.sub(a, b) },
  { name: 'mul', paradox: (a, b) => a.mul(b), tfjs: (tf, a, b) => tf.mul(a, b) },
  {
    name: 'div',
    paradox: (a, b) => a.div(b.mul(b).add(1)),
    tfjs: (tf, a, b) => tf.div(a, tf.add(tf.mul(b, b), 1)),
  },
  { name: 'maximum', paradox: (a, b) => a.maximum(b), tfjs: (tf, a, b) => tf.maximum(a, b) },
  {
    name: 'row sum',
    paradox: (a) => a.sum(1, true).mul(0.5),
    tfjs: (tf, a) => tf.mul(tf.sum(a, 1, true), 0.5),
  },
  { name: 'softmax', paradox: (a) => a.softmax(), tfjs: (tf, a) => tf.softmax(a) },
  {
    name: 'matmul',
    paradox: (a, _b, w) => (a.shape[1] === 3 ? a.matmul(w) : a.mul(w.sum())),
    tfjs: (tf, a, _b, w) =>
      a.shape[1] === 3 ? tf.matMul(a as TF.Tensor2D, w as TF.Tensor2D) : tf.mul(a, tf.sum(w)),
  },
];

export const stepsArbitrary = (fc: typeof fcModule) =>
  fc.array(fc.record({ op: fc.nat(OPS.length - 1), a: fc.nat(20), b: fc.nat(20) }), {
    minLength: 1,
    maxLength: 6,
  });

/** Runs the steps over the pool (operands picked modulo its size); the loss sums the last value and the inputs. */
export function runParadox(steps: readonly Step[], x0: P, x1: P, w: P): P {
  const pool = [x0, x1];
  for (const s of steps) pool.push(OPS[s.op]!.paradox(pool[s.a % pool.length]!, pool[s.b % pool.length]!, w));
  // Every input reaches the loss (tf.grads rejects an input it does not depend on).
  return pool[pool.length - 1]!.sum().add(x0.add(x1).sum().add(w.sum()).mul(0.1));
}

export function runTfjs(tf: typeof TF, steps: readonly Step[], x0: T, x1: T, w: T): T {
  const pool = [x0, x1];
  for (const s of steps)
    pool.push(OPS[s.op]!.tfjs(tf, pool[s.a % pool.length]!, pool[s.b % pool.length]!, w));
  return tf.add(tf.sum(pool[pool.length - 1]!), tf.mul(tf.add(tf.sum(tf.add(x0, x1)), tf.sum(w)), 0.1));
}
