import '@paradox/backend-js';
import { type Tensor, tensor } from '@paradox/tracer';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { grad } from '../src/index.js';
import { arg } from './helpers.js';
import { runParadox, runTfjs, stepsArbitrary } from './programs.js';

// A peer library: TensorFlow.js's tf.grads on the same random programs (float32 on its cpu backend).
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('grad vs TensorFlow.js tf.grads', () => {
  it('agree on random programs', () => {
    fc.assert(
      fc.property(stepsArbitrary(fc), fc.nat(1000), (steps, seed) => {
        const inputs = [arg([2, 3], seed + 1), arg([2, 3], seed + 2), arg([3, 3], seed + 3, -1, 1)];
        const ours = grad((x0: Tensor, x1: Tensor, w: Tensor) => runParadox(steps, x0, x1, w), {
          argnums: [0, 1, 2],
        })(...(inputs.map((a) => tensor(a.values, a.shape)) as [Tensor, Tensor, Tensor])) as Tensor[];
        const theirs = tf.tidy(() =>
          tf
            .grads((x0: tf.Tensor, x1: tf.Tensor, w: tf.Tensor) => runTfjs(tf, steps, x0, x1, w))(
              inputs.map((a) => tf.tensor(a.values, a.shape)),
            )
            .map((g) => g.dataSync()),
        );
        ours.forEach((g, i) => {
          const want = theirs[i]!;
          Array.from(g.dataSync()).forEach((v, j) => {
            const err = Math.abs(v - want[j]!);
            if (!(err <= 1e-4 * (1 + Math.abs(want[j]!)))) {
              expect.fail(`input ${i}[${j}]: paradox ${v}, tfjs ${want[j]} (steps ${JSON.stringify(steps)})`);
            }
          });
        });
      }),
      { seed: 19, numRuns: 60 },
    );
  });
});
