import { randomNormal, randomUniform } from '@paradox/ir';
import { exp32, tanh32 } from './math32.js';

/**
 * Helpers generated kernels call for the rarer ops whose exact semantics take more than an expression
 * (they match @paradox/ir's reference numerics). Passed to every kernel factory as `rt`.
 */
export const runtime = {
  exp32,
  tanh32,
  /** numpy floor division on int32; x / 0 = 0. */
  idiv: (a: number, b: number): number => (b === 0 ? 0 : Math.floor(a / b) | 0),
  /** Python modulo (sign of the divisor) on int32; x mod 0 = 0. */
  imod: (a: number, b: number): number => {
    if (b === 0) return 0;
    const r = a % b;
    return (r !== 0 && r < 0 !== b < 0 ? r + b : r) | 0;
  },
  /** Python modulo on floats (x mod 0 = NaN; a zero result takes the divisor's sign). */
  fmod: (a: number, b: number): number => {
    const r = a % b;
    if (r === 0) return b < 0 ? -0 : 0;
    return r < 0 !== b < 0 ? r + b : r;
  },
  /** Integer power with wraparound; negative exponents give 0 except for bases 1 and -1. */
  ipow: (a: number, b: number): number => {
    if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
    let result = 1;
    let base = a | 0;
    for (let e = b; e > 0; e = Math.floor(e / 2)) {
      if (e & 1) result = Math.imul(result, base);
      base = Math.imul(base, base);
    }
    return result;
  },
  /** C pow: x**0 = 1 and 1**y = 1 even for NaN; (-1)**+-inf = 1. */
  fpow: (a: number, b: number): number => {
    if (b === 0 || a === 1) return 1;
    if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
    return a ** b;
  },
  /** float -> int32: truncation, NaN -> 0, out of range saturates. */
  toInt32: (v: number): number =>
    Number.isNaN(v) ? 0 : v <= -2147483648 ? -2147483648 : v >= 2147483647 ? 2147483647 : v | 0,
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
