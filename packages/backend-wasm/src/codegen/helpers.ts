import { randomNormal, randomUniform } from '@paradox/ir';
import { F64, I32, type ValType } from '../encoder/module.js';

/**
 * JavaScript functions every module imports (as 'h' / name) for the ops whose exact semantics
 * take more than a few instructions and are rare in hot loops: integer division and powers,
 * float modulo and power, the trigonometric functions, random draws. They follow @paradox/ir's
 * reference numerics. Float arguments and results are f64; callers demote to f32.
 */
interface Helper {
  params: ValType[];
  result: ValType;
  fn: (...args: number[]) => number;
}

const HELPERS = {
  exp: { params: [F64], result: F64, fn: Math.exp },
  log: { params: [F64], result: F64, fn: Math.log },
  sin: { params: [F64], result: F64, fn: Math.sin },
  cos: { params: [F64], result: F64, fn: Math.cos },
  tanh: { params: [F64], result: F64, fn: Math.tanh },
  /** C pow: x**0 = 1 and 1**y = 1 even for NaN; (-1)**+-inf = 1. */
  fpow: {
    params: [F64, F64],
    result: F64,
    fn: (a: number, b: number) => {
      if (b === 0 || a === 1) return 1;
      if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
      return a ** b;
    },
  },
  /** Python modulo on floats (x mod 0 = NaN; a zero result takes the divisor's sign). */
  fmod: {
    params: [F64, F64],
    result: F64,
    fn: (a: number, b: number) => {
      const r = a % b;
      if (r === 0) return b < 0 ? -0 : 0;
      return r < 0 !== b < 0 ? r + b : r;
    },
  },
  /** numpy floor division on int32; x / 0 = 0. */
  idiv: {
    params: [I32, I32],
    result: I32,
    fn: (a: number, b: number) => (b === 0 ? 0 : Math.floor(a / b) | 0),
  },
  /** Python modulo (sign of the divisor) on int32; x mod 0 = 0. */
  imod: {
    params: [I32, I32],
    result: I32,
    fn: (a: number, b: number) => {
      if (b === 0) return 0;
      const r = a % b;
      return (r !== 0 && r < 0 !== b < 0 ? r + b : r) | 0;
    },
  },
  /** Integer power with wraparound; negative exponents give 0 except for bases 1 and -1. */
  ipow: {
    params: [I32, I32],
    result: I32,
    fn: (a: number, b: number) => {
      if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
      let result = 1;
      let base = a | 0;
      for (let e = b; e > 0; e = Math.floor(e / 2)) {
        if (e & 1) result = Math.imul(result, base);
        base = Math.imul(base, base);
      }
      return result;
    },
  },
  uniform: { params: [F64, I32], result: F64, fn: randomUniform },
  normal: { params: [F64, I32], result: F64, fn: randomNormal },
} satisfies Record<string, Helper>;

export type HelperName = keyof typeof HELPERS;
export const HELPER_NAMES = Object.keys(HELPERS) as HelperName[];

export function helperSignature(name: HelperName): { params: ValType[]; results: ValType[] } {
  const h: Helper = HELPERS[name];
  return { params: h.params, results: [h.result] };
}

/** The import object's 'h' namespace. */
export function helperImports(): Record<string, (...args: number[]) => number> {
  return Object.fromEntries(HELPER_NAMES.map((n) => [n, (HELPERS[n] as Helper).fn]));
}
