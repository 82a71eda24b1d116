import { interpreterExecutor, setEagerExecutor, type Tensor } from '@paradox/tracer';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { arg, checkDerivatives } from './helpers.js';
import { runParadox, stepsArbitrary } from './programs.js';

beforeAll(() => setEagerExecutor(interpreterExecutor));

describe('random programs (fast-check)', () => {
  it('grad and jvp of every program match finite differences', () => {
    fc.assert(
      fc.property(stepsArbitrary(fc), fc.nat(1000), (steps, seed) => {
        checkDerivatives(
          (x0: Tensor, x1: Tensor, w: Tensor) => runParadox(steps, x0, x1, w),
          [arg([2, 3], seed + 1, -1.5, 1.5), arg([2, 3], seed + 2, -1.5, 1.5), arg([3, 3], seed + 3, -1, 1)],
          { tol: 1e-2 },
        );
      }),
      { seed: 19, numRuns: 40 },
    );
  });
});
