import {
  type BinaryOp,
  type DType,
  isFloat,
  type MergeSyntax,
  type ReduceFn,
  reduceDef,
  type UnaryOp,
} from '@paradox/ir';
import { constant, round } from './dtypes.js';
import { f32Literal } from './literals.js';

/**
 * WGSL syntax of every scalar op: one rule per op, a missing rule is a compile error. Operands are
 * names of generated `let`s holding register values (see dtypes.ts); `d` is the operand dtype.
 * Float rules call helpers.ts where WGSL builtins are undefined for NaN/Inf/-0 or differ from the
 * reference numerics. float16 computes in f32 and rounds each result (`round`).
 */
type Rule1 = (a: string, d: DType) => string;
type Rule2 = (a: string, b: string, d: DType) => string;

const float =
  (f: (a: string) => string): Rule1 =>
  (a, d) =>
    round(d, f(a));

export const UNARY: { [P in UnaryOp]: Rule1 } = {
  neg: (a) => `(-${a})`,
  abs: (a, d) => (isFloat(d) ? `f_abs(${a})` : `abs(${a})`),
  exp: float((a) => `f_exp(${a})`),
  log: float((a) => `f_log(${a})`),
  sqrt: float((a) => `f_sqrt(${a})`),
  rsqrt: float((a) => `(1.0f / f_sqrt(${a}))`),
  sin: float((a) => `f_sin(${a})`),
  cos: float((a) => `f_cos(${a})`),
  tanh: float((a) => `f_tanh(${a})`),
  sigmoid: float((a) => `f_sigmoid(${a})`),
  relu: (a, d) => (isFloat(d) ? `f_relu(${a})` : `max(${a}, 0i)`),
  floor: (a, d) => (isFloat(d) ? `f_floor(${a})` : a),
  ceil: (a, d) => (isFloat(d) ? `f_ceil(${a})` : a),
  sign: (a, d) => (isFloat(d) ? `f_sign(${a})` : `i_sign(${a})`),
  not: (a) => `(!${a})`,
};

/** Comparisons on bool compare 0/1 (WGSL orders only numbers). Float `!=` is spelled `!(==)` so NaN != x holds. */
const cmp =
  (op: string): Rule2 =>
  (a, b, d) =>
    d === 'bool' ? `(u32(${a}) ${op} u32(${b}))` : `(${a} ${op} ${b})`;

const arith =
  (op: string): Rule2 =>
  (a, b, d) =>
    round(d, `(${a} ${op} ${b})`);

export const BINARY: { [P in BinaryOp]: Rule2 } = {
  add: arith('+'),
  sub: arith('-'),
  mul: arith('*'),
  div: (a, b, d) => (isFloat(d) ? round(d, `(${a} / ${b})`) : `i_div(${a}, ${b})`),
  pow: (a, b, d) => (isFloat(d) ? round(d, `f_pow(${a}, ${b})`) : `i_pow(${a}, ${b})`),
  mod: (a, b, d) => (isFloat(d) ? round(d, `f_mod(${a}, ${b})`) : `i_mod(${a}, ${b})`),
  maximum: (a, b, d) =>
    isFloat(d) ? `f_max(${a}, ${b})` : d === 'bool' ? `(${a} | ${b})` : `max(${a}, ${b})`,
  minimum: (a, b, d) =>
    isFloat(d) ? `f_min(${a}, ${b})` : d === 'bool' ? `(${a} & ${b})` : `min(${a}, ${b})`,
  eq: cmp('=='),
  ne: (a, b, d) => (d === 'bool' ? `(${a} != ${b})` : `(!(${a} == ${b}))`),
  lt: cmp('<'),
  le: cmp('<='),
  gt: cmp('>'),
  ge: cmp('>='),
  // Operands are let names, so the non-short-circuit forms are equal and add no branch.
  and: (a, b) => `(${a} & ${b})`,
  or: (a, b) => `(${a} | ${b})`,
};

/** Conversion `from` -> `to`: float->int32 saturates (NaN 0), anything->bool is != 0 (NaN and subnormals true). */
export function cast(a: string, from: DType, to: DType): string {
  if (from === to) return a;
  // On the bits: a CPU adapter compares a subnormal equal to 0 (denormals-are-zero), NaN is nonzero.
  if (to === 'bool') return isFloat(from) ? `((bitcast<u32>(${a}) << 1u) != 0u)` : `(${a} != 0i)`;
  if (from === 'bool') return isFloat(to) ? `select(0.0f, 1.0f, ${a})` : `select(0i, 1i, ${a})`;
  if (to === 'int32') return `f_to_i32(${a})`;
  // int32 -> float, float32 <-> float16 (registers are f32 for both).
  return round(to, from === 'int32' ? `f32(${a})` : a);
}

/** Accumulators: init value and combine step per reduce fn and register dtype (argmax is in reduce-ops.ts). */
export interface ReduceRule {
  init(d: DType): string;
  combine(acc: string, v: string, d: DType): string;
}

/** The registry's identity for the fold, as the registers hold it (floats are f32 registers). */
const init =
  (fn: ReduceFn) =>
  (d: DType): string => {
    const v = reduceDef(fn).identity(d);
    return isFloat(d) ? f32Literal(v, `${fn} identity`) : constant(d, v, `${fn} identity`);
  };

export const REDUCE: { [F in Exclude<ReduceFn, 'argmax'>]: ReduceRule } = {
  sum: { init: init('sum'), combine: (acc, v, d) => round(d, `(${acc} + ${v})`) },
  prod: { init: init('prod'), combine: (acc, v, d) => round(d, `(${acc} * ${v})`) },
  max: {
    init: init('max'),
    combine: (acc, v, d) => BINARY.maximum(acc, v, d),
  },
  min: {
    init: init('min'),
    combine: (acc, v, d) => BINARY.minimum(acc, v, d),
  },
};

/** WGSL spelling of the operations the registry's argmax merge is written in (values as registers). */
const WGSL_RULES: MergeSyntax<string, string, string> = {
  gt: (a, b) => `(${a} > ${b})`,
  eq: (a, b) => `(${a} == ${b})`,
  isNaN: (a) => `is_nan(${a})`,
  notNaN: (a) => `!is_nan(${a})`,
  and: (a, b) => `(${a} & ${b})`,
  or: (a, b) => `(${a} | ${b})`,
  before: (i, j) => `(${i} < ${j})`,
};

/**
 * argmax: does (v, vi) beat (best, bi)? The registry's merge rule, a total order on (value,
 * position), so serial loops and tree reductions agree. bools compare as u32 (WGSL has no bool `>`).
 */
export function argmaxBeats(v: string, vi: string, best: string, bi: string, d: DType): string {
  const value = (x: string): string => (d === 'bool' ? `u32(${x})` : x);
  return reduceDef('argmax').merges!(
    { value: value(best), index: bi },
    { value: value(v), index: vi },
    isFloat(d),
    WGSL_RULES,
  );
}

/** Initial argmax state: the lowest value with the largest position, so any element beats it. */
export const argmaxInit = init('argmax');
