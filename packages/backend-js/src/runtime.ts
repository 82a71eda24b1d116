import { randomNormal, randomUniform, SCALAR_SEMANTICS } from '@paradox/ir';
import { exp32, tanh32 } from './math32.js';

/**
 * Helpers generated kernels call for the rarer ops whose exact semantics take more than an expression
 * (they match @paradox/ir's reference numerics). Passed to every kernel factory as `rt`.
 */
export const runtime = {
  exp32,
  tanh32,
  // The reference semantics themselves (@paradox/ir), so kernels and the interpreter cannot disagree.
  idiv: SCALAR_SEMANTICS.floorDivInt32,
  imod: SCALAR_SEMANTICS.modInt32,
  fmod: SCALAR_SEMANTICS.modFloat,
  ipow: SCALAR_SEMANTICS.powInt32,
  fpow: SCALAR_SEMANTICS.powFloat,
  toInt32: SCALAR_SEMANTICS.toInt32,
  /** Whether a K-step float32 dot product over values of `a` and `b` could overflow (or meets Inf/NaN). */
  mayOverflowF32: (a: ArrayLike<number>, b: ArrayLike<number>, k: number): boolean => {
    const maxAbs = (v: ArrayLike<number>) => {
      let m = 0;
      for (let i = 0; i < v.length; i++) {
        const x = Math.abs(v[i]!);
        if (x > m) m = x;
        else if (Number.isNaN(x)) return Number.NaN;
      }
      return m;
    };
    return !(maxAbs(a) * maxAbs(b) * k < 1e38);
  },
  uniform: randomUniform,
  normal: randomNormal,
};

export type Runtime = typeof runtime;
