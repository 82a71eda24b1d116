import { randomNormal, randomUniform, SCALAR_SEMANTICS } from '@paradox/ir';
import { F64, I32, type ValType } from '../encoder/module.js';

/**
 * JavaScript functions every module imports (as 'h' / name) for the ops whose exact semantics
 * take more than a few instructions and are rare in hot loops: integer division and powers,
 * float modulo and power, the trigonometric functions, random draws. They follow @paradox/ir's
 * reference numerics (the arithmetic ones are ir's own `SCALAR_SEMANTICS`). Float arguments and results are f64; callers demote to f32.
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
  fpow: { params: [F64, F64], result: F64, fn: SCALAR_SEMANTICS.powFloat },
  fmod: { params: [F64, F64], result: F64, fn: SCALAR_SEMANTICS.modFloat },
  idiv: { params: [I32, I32], result: I32, fn: SCALAR_SEMANTICS.floorDivInt32 },
  imod: { params: [I32, I32], result: I32, fn: SCALAR_SEMANTICS.modInt32 },
  ipow: { params: [I32, I32], result: I32, fn: SCALAR_SEMANTICS.powInt32 },
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
