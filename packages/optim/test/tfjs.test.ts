import '@paradox/backend-js';
import { grad } from '@paradox/autodiff';
import { type Tensor, tensor } from '@paradox/tracer';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adam, type Optimizer, type OptimizerState, sgd } from '../src/index.js';
import { values } from './reference.js';

// A peer library: TensorFlow.js's optimizers minimizing the same loss from the same start.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const N = 10;
const start = values(N, 11);
const target = values(N, 12, -2, 2);
const STEPS = 6;

function ours<S extends OptimizerState>(opt: Optimizer<S>): Float32Array {
  const t = tensor(target);
  const lossGrad = grad((w: Tensor) => w.sub(t).pow(2).sum().add(w.sin().sum()));
  let w = tensor(start);
  let state = opt.init(w);
  for (let s = 0; s < STEPS; s++) [w, state] = opt.update(lossGrad(w) as Tensor, state, w);
  return w.dataSync() as Float32Array;
}

function theirs(opt: tf.Optimizer): Float32Array {
  const w = tf.variable(tf.tensor1d(start));
  const t = tf.tensor1d(target);
  for (let s = 0; s < STEPS; s++) opt.minimize(() => w.sub(t).pow(2).sum().add(w.sin().sum()) as tf.Scalar);
  return w.dataSync() as Float32Array;
}

describe('optimizers vs TensorFlow.js', () => {
  const cases: [string, () => Float32Array, () => Float32Array][] = [
    ['adam', () => ours(adam({ learningRate: 0.1 })), () => theirs(tf.train.adam(0.1, 0.9, 0.999, 1e-8))],
    ['sgd', () => ours(sgd({ learningRate: 0.05 })), () => theirs(tf.train.sgd(0.05))],
    [
      'momentum (nesterov)',
      () => ours(sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true })),
      () => theirs(tf.train.momentum(0.05, 0.9, true)),
    ],
    [
      'momentum',
      () => ours(sgd({ learningRate: 0.05, momentum: 0.7 })),
      () => theirs(tf.train.momentum(0.05, 0.7)),
    ],
  ];
  for (const [name, a, b] of cases) {
    it(`${name}: same parameters after ${STEPS} steps`, () => {
      const got = a();
      const want = b();
      got.forEach((v, i) => {
        expect(v).toBeCloseTo(want[i]!, 4);
      });
      // The steps moved the parameters (the comparison is not between two starting points).
      expect(Math.abs(got[0]! - start[0]!)).toBeGreaterThan(1e-3);
    });
  }
});
