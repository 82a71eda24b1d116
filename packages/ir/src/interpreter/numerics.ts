import type { DType } from '../dtype.js';
import { InterpreterError } from '../errors.js';
import type { BinaryOp, UnaryOp } from '../op-types.js';

/**
 * Scalar semantics of every elementwise op, shared by the interpreter, constant folding and backend
 * tests. Values are JS numbers holding a value of `dtype`: floats already rounded to their precision,
 * int32 as a signed 32-bit integer, bool as 0 or 1.
 */

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Rounds a double to the nearest float16 (ties to even), as a double. Overflow gives +-Infinity. */
export function roundToFloat16(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  if (ax >= 65520) return sign * Infinity; // halfway between 65504 (max) and 2^16 rounds up
  let e = Math.floor(Math.log2(ax));
  if (2 ** e > ax) e--;
  else if (2 ** (e + 1) <= ax) e++;
  const quantum = 2 ** (Math.max(e, -14) - 10); // subnormals share the 2^-24 quantum
  const scaled = ax / quantum;
  const lower = Math.floor(scaled);
  const frac = scaled - lower;
  const n = frac > 0.5 || (frac === 0.5 && lower % 2 === 1) ? lower + 1 : lower;
  return sign * n * quantum;
}

/** Converts any numeric value to `dtype`: floats round, float->int32 truncates toward zero (NaN -> 0,
 * out of range saturates), anything->bool is `!= 0` (NaN is true). */
export function castValue(v: number, dtype: DType): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(v);
    case 'float16':
      return roundToFloat16(v);
    case 'int32':
      if (Number.isNaN(v)) return 0;
      if (v <= INT32_MIN) return INT32_MIN;
      if (v >= INT32_MAX) return INT32_MAX;
      return Math.trunc(v) | 0;
    case 'bool':
      return v !== 0 ? 1 : 0;
  }
}

/** Rounds the exact result of a float op to the dtype's precision. */
const roundFloat = (v: number, dtype: DType): number =>
  dtype === 'float16' ? roundToFloat16(v) : Math.fround(v);

const isIntLike = (dtype: DType): boolean => dtype === 'int32' || dtype === 'bool';

const isNaNValue = Number.isNaN;

const FLOAT_UNARY: Record<Exclude<UnaryOp, 'not'>, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => (x > 0 ? x : isNaNValue(x) ? x : 0),
  floor: Math.floor,
  ceil: Math.ceil,
  sign: Math.sign,
};

/** Evaluates a unary op on one value of `dtype` (the operand's dtype, which is also the result's). */
export function evalUnary(fn: UnaryOp, x: number, dtype: DType): number {
  if (fn === 'not') return x ? 0 : 1;
  if (isIntLike(dtype)) {
    switch (fn) {
      case 'neg':
        return -x | 0;
      case 'abs':
        return Math.abs(x) | 0; // abs(INT32_MIN) wraps to itself, as in C and numpy
      case 'relu':
        return x > 0 ? x : 0;
      case 'sign':
        return Math.sign(x);
      case 'floor':
      case 'ceil':
        return x;
      default:
        // The type rules accept transcendental ops on float operands only.
        throw new InterpreterError(`${fn} is not defined on ${dtype} operands (float only)`);
    }
  }
  return roundFloat(FLOAT_UNARY[fn](x), dtype);
}

/** numpy floor division for ints; division by zero gives 0. */
function intDiv(a: number, b: number): number {
  if (b === 0) return 0;
  return Math.floor(a / b) | 0; // a/b is exact enough for |a|,|b| < 2^31 that floor is never off by one
}

/** numpy/Python modulo: the result takes the divisor's sign. Ints: x mod 0 = 0. Floats: x mod 0 = NaN. */
function modulo(a: number, b: number, int: boolean): number {
  if (int && b === 0) return 0;
  let r = a % b;
  if (r !== 0) {
    if (r < 0 !== b < 0) r += b;
  } else {
    r = b < 0 ? -0 : 0;
  }
  return int ? r | 0 : r;
}

/** Integer power with wraparound; negative exponents give 0 except for bases 1 and -1. */
function intPow(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let base = a | 0;
  let e = b;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e = Math.floor(e / 2);
  }
  return result;
}

/** C/numpy pow: x**0 = 1 and 1**y = 1 even for NaN; (-1)**+-inf = 1. */
function floatPow(a: number, b: number): number {
  if (b === 0 || a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return a ** b;
}

const nanOr = (a: number, b: number, f: (a: number, b: number) => number): number =>
  isNaNValue(a) ? a : isNaNValue(b) ? b : f(a, b);

/**
 * Evaluates a binary op on two values of the (already promoted) operand dtype. Comparisons return 0/1
 * (bool); every other op returns a value of `dtype`.
 */
export function evalBinary(fn: BinaryOp, a: number, b: number, dtype: DType): number {
  const int = isIntLike(dtype);
  switch (fn) {
    case 'eq':
      return a === b ? 1 : 0;
    case 'ne':
      return a !== b ? 1 : 0;
    case 'lt':
      return a < b ? 1 : 0;
    case 'le':
      return a <= b ? 1 : 0;
    case 'gt':
      return a > b ? 1 : 0;
    case 'ge':
      return a >= b ? 1 : 0;
    case 'and':
      return a && b ? 1 : 0;
    case 'or':
      return a || b ? 1 : 0;
    case 'maximum':
      return int ? Math.max(a, b) : nanOr(a, b, Math.max);
    case 'minimum':
      return int ? Math.min(a, b) : nanOr(a, b, Math.min);
  }
  if (int) {
    switch (fn) {
      case 'add':
        return (a + b) | 0;
      case 'sub':
        return (a - b) | 0;
      case 'mul':
        return Math.imul(a, b);
      case 'div':
        return intDiv(a, b);
      case 'mod':
        return modulo(a, b, true);
      case 'pow':
        return intPow(a, b);
    }
  }
  switch (fn) {
    case 'add':
      return roundFloat(a + b, dtype);
    case 'sub':
      return roundFloat(a - b, dtype);
    case 'mul':
      return roundFloat(a * b, dtype);
    case 'div':
      return roundFloat(a / b, dtype);
    case 'mod':
      return roundFloat(modulo(a, b, false), dtype);
    case 'pow':
      return roundFloat(floatPow(a, b), dtype);
  }
}

/**
 * The reference semantics of the integer and float ops that take more than an operator, as plain
 * functions: the interpreter computes with them, and backends whose generated code calls JS helpers
 * (backend-js's `rt`, backend-wasm's imports) call these same functions, so they cannot disagree.
 */
export const SCALAR_SEMANTICS = {
  /** numpy floor division on int32; x / 0 = 0. */
  floorDivInt32: intDiv,
  /** Python modulo on int32 (the divisor's sign); x mod 0 = 0. */
  modInt32: (a: number, b: number): number => modulo(a, b, true),
  /** Python modulo on floats: x mod 0 = NaN, a zero result takes the divisor's sign. */
  modFloat: (a: number, b: number): number => modulo(a, b, false),
  /** Integer power with wraparound; negative exponents give 0 except for bases 1 and -1. */
  powInt32: intPow,
  /** C/numpy pow: x**0 = 1 and 1**y = 1 even for NaN; (-1)**+-inf = 1. */
  powFloat: floatPow,
  /** float -> int32: truncation, NaN -> 0, out of range saturates. */
  toInt32: (v: number): number => castValue(v, 'int32'),
} as const;
