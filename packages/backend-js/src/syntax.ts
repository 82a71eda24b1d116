import {
  type BinaryOp,
  type DType,
  type ReduceFn,
  type RuleSyntax,
  reduceDef,
  type UnaryOp,
} from '@paradox/ir';
import { numberLiteral } from './literals.js';

/**
 * JS syntax of every scalar op, one rule per op (a missing rule is a compile error). Operands are
 * identifiers of generated locals holding a value of their dtype: float32 already rounded
 * (Math.fround after every op whose exact result may not be a float32), int32 as a signed 32-bit
 * integer, bool as 0 or 1. Semantics follow @paradox/ir's reference numerics; `rt` is runtime.ts.
 */
type Dt = Exclude<DType, 'float16'>;

const f32 = (e: string) => `Math.fround(${e})`;
const isInt = (d: Dt) => d !== 'float32';

/** `dtype` is the operand's dtype, which is also the result's. */
export const UNARY: { [P in UnaryOp]: (a: string, dtype: Dt) => string } = {
  neg: (a, d) => (isInt(d) ? `(-${a} | 0)` : `(-${a})`),
  abs: (a, d) => (isInt(d) ? `(Math.abs(${a}) | 0)` : `Math.abs(${a})`),
  exp: (a) => f32(`rt.exp32(${a})`),
  log: (a) => f32(`Math.log(${a})`),
  sqrt: (a) => f32(`Math.sqrt(${a})`),
  rsqrt: (a) => f32(`1 / Math.sqrt(${a})`),
  sin: (a) => f32(`Math.sin(${a})`),
  cos: (a) => f32(`Math.cos(${a})`),
  tanh: (a) => f32(`rt.tanh32(${a})`),
  sigmoid: (a) => f32(`1 / (1 + rt.exp32(-${a}))`),
  // (a + |a|) / 2 is exact on float32 values and has no data-dependent branch (a mispredicted one per
  // element costs more than the rest of a fused chain); NaN stays NaN, -0 becomes +0, -Infinity 0.
  relu: (a, d) =>
    isInt(d) ? `(${a} & ~(${a} >> 31))` : `(${a} !== -Infinity ? (${a} + Math.abs(${a})) * 0.5 : 0)`,
  floor: (a, d) => (isInt(d) ? a : `Math.floor(${a})`),
  ceil: (a, d) => (isInt(d) ? a : `Math.ceil(${a})`),
  sign: (a) => `Math.sign(${a})`,
  not: (a) => `(${a} ^ 1)`,
};

const cmp = (op: string) => (a: string, b: string) => `(${a} ${op} ${b} ? 1 : 0)`;

/** `dtype` is the operands' (shared) dtype; comparisons yield bool, everything else that dtype. */
export const BINARY: { [P in BinaryOp]: (a: string, b: string, dtype: Dt) => string } = {
  add: (a, b, d) => (isInt(d) ? `((${a} + ${b}) | 0)` : f32(`${a} + ${b}`)),
  sub: (a, b, d) => (isInt(d) ? `((${a} - ${b}) | 0)` : f32(`${a} - ${b}`)),
  mul: (a, b, d) => (isInt(d) ? `Math.imul(${a}, ${b})` : f32(`${a} * ${b}`)),
  div: (a, b, d) => (isInt(d) ? `rt.idiv(${a}, ${b})` : f32(`${a} / ${b}`)),
  pow: (a, b, d) => (isInt(d) ? `rt.ipow(${a}, ${b})` : f32(`rt.fpow(${a}, ${b})`)),
  mod: (a, b, d) => (isInt(d) ? `rt.imod(${a}, ${b})` : f32(`rt.fmod(${a}, ${b})`)),
  // Math.max/min propagate NaN and order -0 < +0, as the reference does; on bool they are or/and.
  maximum: (a, b) => `Math.max(${a}, ${b})`,
  minimum: (a, b) => `Math.min(${a}, ${b})`,
  eq: cmp('==='),
  ne: cmp('!=='),
  lt: cmp('<'),
  le: cmp('<='),
  gt: cmp('>'),
  ge: cmp('>='),
  and: (a, b) => `(${a} & ${b})`,
  or: (a, b) => `(${a} | ${b})`,
};

/** Conversion `from` -> `to`: floats round, float->int32 truncates (NaN 0, saturating), ->bool is != 0. */
export const CAST: { [To in Dt]: (a: string, from: Dt) => string } = {
  float32: (a, from) => (from === 'int32' ? f32(a) : a),
  int32: (a, from) => (from === 'float32' ? `rt.toInt32(${a})` : a),
  bool: (a, from) => (from === 'bool' ? a : `(${a} !== 0 ? 1 : 0)`),
};

/**
 * Accumulators. Floats accumulate in double and round once at the end (at least as accurate as the
 * reference's float32 steps; the conformance tolerance covers the difference). `argmax` is rendered
 * by the kernel renderer (it needs a position counter), so only its comparison lives here.
 */
export interface ReduceRule {
  init(dtype: Dt): string;
  /** A statement folding `v` into `acc`. */
  update(acc: string, v: string, dtype: Dt): string;
  result(acc: string, dtype: Dt): string;
}

/** The accumulator's start value: the registry's identity for the fold. */
const init = (fn: ReduceFn) => (d: Dt) => numberLiteral(reduceDef(fn).identity(d), `${fn} identity`);

export const REDUCE: { [F in Exclude<ReduceFn, 'argmax'>]: ReduceRule } = {
  sum: {
    init: init('sum'),
    // float32 steps, as the reference: a float64 sum keeps small terms a float32 sum loses next to
    // huge ones (0 + 6 + 2 + 2^31 - 2^31 is 8 in float64, 0 in float32; fuzz program 3517641349).
    update: (acc, v, d) =>
      isInt(d) ? `${acc} = (${acc} + ${v}) | 0;` : `${acc} = Math.fround(${acc} + ${v});`,
    result: (acc, d) => (isInt(d) ? acc : f32(acc)),
  },
  prod: {
    init: init('prod'),
    update: (acc, v, d) =>
      isInt(d) ? `${acc} = Math.imul(${acc}, ${v});` : `${acc} = Math.fround(${acc} * ${v});`,
    result: (acc, d) => (isInt(d) ? acc : f32(acc)),
  },
  max: {
    init: init('max'),
    update: (acc, v) => `${acc} = Math.max(${acc}, ${v});`,
    result: (acc) => acc,
  },
  min: {
    init: init('min'),
    update: (acc, v) => `${acc} = Math.min(${acc}, ${v});`,
    result: (acc) => acc,
  },
};

const JS_RULES: RuleSyntax<string, string> = {
  gt: (a, b) => `${a} > ${b}`,
  isNaN: (a) => `${a} !== ${a}`,
  notNaN: (a) => `${a} === ${a}`,
  and: (a, b) => `(${a} && ${b})`,
  or: (a, b) => `${a} || ${b}`,
};

/** argmax: the registry's rule spelled in JS (`v` beats `best`, or is the first NaN). */
export const argmaxBeats = (v: string, best: string): string => reduceDef('argmax').takes!(v, best, JS_RULES);
