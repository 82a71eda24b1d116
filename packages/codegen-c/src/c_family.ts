import { MalformedProgramError } from '@paradox/backend';
import type { BinaryOp, DType, UnaryOp } from '@paradox/ir';

/**
 * What CUDA C and plain C share: scalar types, literals, and the syntax of every elementwise op.
 * A target supplies a `CDialect` for the few spellings that differ (float bit casts, rsqrt, the
 * qualifier of helper functions). Every function here takes operand *names* (identifiers or
 * literals made by the compiler), never text taken from the IR.
 */
export interface CDialect {
  /** A float32 given by its IEEE bits (used for NaN and infinities), e.g. `__uint_as_float(0x7f800000u)`. */
  floatFromBits(bits: number): string;
  /** 1/sqrt(x) for a float operand. */
  rsqrt(x: string): string;
  /** Prefix of helper function definitions, e.g. `__device__ __forceinline__` or `static inline`. */
  helperQualifier: string;
  /**
   * float32 transcendental functions the target implements itself (e.g. vectorisable
   * polynomials, `px_expf`); the others are the C library's (`expf`, ...).
   */
  math?: Partial<Record<'exp' | 'log' | 'sin' | 'cos' | 'tanh' | 'sigmoid', (x: string) => string>>;
  /**
   * exp of an operand known to be <= 0 or NaN (EmitContext.nonPositive: softmax's x - max(x)),
   * where the target has a cheaper form than `math.exp` with the same results there.
   */
  expNonPositive?: (x: string) => string;
  /**
   * float32 division inside a reduction's loops by a value that does not vary there (softmax's
   * `e / sum`) may multiply by the reciprocal, computed once per loop entry (see ExprEmitter.hoist):
   * within 1.5 ulp of the quotient (two roundings), and the exact division where 1 / b would not be a
   * normal float. For targets where division costs many multiplies (x86: vdivps).
   */
  reciprocalDivision?: boolean;
}

/** Type of a value held in a register. */
export function registerType(dtype: DType): string {
  switch (dtype) {
    case 'float32':
      return 'float';
    case 'int32':
      return 'int';
    case 'bool':
      return 'bool';
    default:
      throw new MalformedProgramError(`dtype '${String(dtype)}' has no C register type in this backend`);
  }
}

/** Type of an element in memory (bool is one byte, like the host's Uint8Array). */
export function storageType(dtype: DType): string {
  return dtype === 'bool' ? 'unsigned char' : registerType(dtype);
}

// ---------------------------------------------------------------------------------------------
// Literals.

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** The float32 nearest `value` as a C literal: shortest round-trip decimal; NaN/Inf through the dialect. */
export function floatLiteral(value: number, dialect: CDialect): string {
  if (typeof value !== 'number') throw new MalformedProgramError(`constant ${String(value)} is not a number`);
  const f = Math.fround(value);
  if (Number.isNaN(f)) return dialect.floatFromBits(0x7fc00000);
  if (f === Infinity) return dialect.floatFromBits(0x7f800000);
  if (f === -Infinity) return dialect.floatFromBits(0xff800000);
  if (Object.is(f, -0)) return '(-0.0f)';
  let text = '';
  for (let digits = 1; digits <= 9; digits++) {
    text = String(Number(f.toPrecision(digits)));
    if (Math.fround(Number(text)) === f) break;
  }
  if (!/[.e]/.test(text)) text += '.0';
  else if (/e/.test(text) && !/\./.test(text.split('e')[0]!)) text = text.replace('e', '.0e');
  text += 'f';
  return f < 0 ? `(${text})` : text;
}

/** A 32-bit signed integer literal (INT32_MIN spelled so that no compiler warns). */
export function intLiteral(value: number): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    throw new MalformedProgramError(`int32 constant ${String(value)} is not a 32-bit integer`);
  }
  if (value === INT32_MIN) return '(-2147483647 - 1)';
  return value < 0 ? `(${value})` : String(value);
}

/** An index-arithmetic literal: int, or long long when `wide` (64-bit index math). */
export function indexLiteral(value: number, wide: boolean): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new MalformedProgramError(`index constant ${String(value)} is not a safe integer`);
  }
  if (!wide) return intLiteral(value);
  return value < 0 ? `(${value}LL)` : `${value}LL`;
}

/** An unsigned 32-bit literal (random seeds, hash constants). */
export function uintLiteral(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new MalformedProgramError(`u32 constant ${String(value)} is out of range`);
  }
  return `0x${value.toString(16)}u`;
}

/** A constant of `dtype`. */
export function constLiteral(value: number, dtype: DType, dialect: CDialect): string {
  if (typeof value !== 'number') throw new MalformedProgramError(`constant ${String(value)} is not a number`);
  switch (dtype) {
    case 'float32':
      return floatLiteral(value, dialect);
    case 'int32':
      return intLiteral(value);
    case 'bool':
      return value !== 0 ? 'true' : 'false';
    default:
      return registerType(dtype);
  }
}

// ---------------------------------------------------------------------------------------------
// Elementwise op syntax. Semantics follow @paradox/ir's numerics (numpy-like): int arithmetic
// wraps (done in unsigned, where C would have undefined behaviour), int division floors and
// x / 0 = 0, modulo takes the divisor's sign, maximum/minimum propagate NaN.

/** Helpers an op needs from the prelude (see helpers.ts). */
export type HelperName =
  | 'idiv'
  | 'imod'
  | 'fmod'
  | 'ipow'
  | 'f2i'
  | 'mix32'
  | 'random_uniform'
  | 'random_normal'
  | 'floordiv32'
  | 'floormod32'
  | 'floordiv64'
  | 'floormod64'
  | 'recip_ok';

export interface OpSyntax {
  text: string;
  helpers?: HelperName[];
}

const wrapInt = (expr: string): string => `(int)(${expr})`;
const truthyFloat = (x: string): string => `(${x} != 0.0f && ${x} == ${x})`;

/** `fn(x)` for an operand of `dtype` (float32, int32 or bool; the result has the same dtype except `not`). */
export function unarySyntax(fn: UnaryOp, x: string, dtype: DType, dialect: CDialect): OpSyntax {
  if (dtype === 'float32') {
    const m = dialect.math ?? {};
    const table: Record<UnaryOp, string> = {
      neg: `-${x}`,
      abs: `fabsf(${x})`,
      exp: m.exp?.(x) ?? `expf(${x})`,
      log: m.log?.(x) ?? `logf(${x})`,
      sqrt: `sqrtf(${x})`,
      rsqrt: dialect.rsqrt(x),
      sin: m.sin?.(x) ?? `sinf(${x})`,
      cos: m.cos?.(x) ?? `cosf(${x})`,
      tanh: m.tanh?.(x) ?? `tanhf(${x})`,
      sigmoid: m.sigmoid?.(x) ?? `1.0f / (1.0f + expf(-${x}))`,
      // x < 0 selects +0; NaN and x >= 0 pass, and `+ 0.0f` turns -0 into +0 (the reference's relu):
      // one compare and a masked add once vectorised, where `x > 0 || x != x` takes two compares and
      // a mask merge (W3's chain: 12 -> 6 cycles of latency per relu).
      relu: `(${x} < 0.0f ? 0.0f : ${x}) + 0.0f`,
      floor: `floorf(${x})`,
      ceil: `ceilf(${x})`,
      sign: `${x} > 0.0f ? 1.0f : (${x} < 0.0f ? -1.0f : ${x})`,
      not: `!${truthyFloat(x)}`,
    };
    return { text: checkedEntry(table, fn, 'unary') };
  }
  // int32 and bool share integer semantics (bool values are 0 or 1).
  const i = dtype === 'bool' ? `(int)${x}` : x;
  const viaFloat = (f: string): OpSyntax => ({ text: `px_f2i(${f}((float)${i}))`, helpers: ['f2i'] });
  switch (fn) {
    case 'neg':
      return { text: wrapInt(`0u - (unsigned)${i}`) };
    case 'abs':
      return { text: `${i} < 0 ? ${wrapInt(`0u - (unsigned)${i}`)} : ${i}` };
    case 'relu':
      return { text: `${i} > 0 ? ${i} : 0` };
    case 'sign':
      return { text: `(${i} > 0) - (${i} < 0)` };
    case 'floor':
    case 'ceil':
      return { text: x };
    case 'not':
      return { text: `${i} == 0` };
    case 'exp':
    case 'log':
    case 'sqrt':
    case 'sin':
    case 'cos':
    case 'tanh':
      return viaFloat(`${fn}f`);
    case 'rsqrt':
      return { text: `px_f2i(${dialect.rsqrt(`(float)${i}`)})`, helpers: ['f2i'] };
    case 'sigmoid':
      return { text: `px_f2i(1.0f / (1.0f + expf(-(float)${i})))`, helpers: ['f2i'] };
    default:
      throw new MalformedProgramError(`unknown unary op '${String(fn)}'`);
  }
}

/** `a fn b` for operands of `dtype`; comparisons, `and` and `or` yield bool. */
export function binarySyntax(fn: BinaryOp, a: string, b: string, dtype: DType): OpSyntax {
  const compare: Partial<Record<BinaryOp, string>> = {
    eq: '==',
    ne: '!=',
    lt: '<',
    le: '<=',
    gt: '>',
    ge: '>=',
  };
  const cmp = compare[fn];
  if (cmp !== undefined) return { text: `${a} ${cmp} ${b}` };
  if (fn === 'and' || fn === 'or') {
    const truthy = (x: string): string =>
      dtype === 'float32' ? truthyFloat(x) : dtype === 'bool' ? x : `${x} != 0`;
    return { text: `${truthy(a)} ${fn === 'and' ? '&&' : '||'} ${truthy(b)}` };
  }
  if (dtype === 'float32') {
    const table: Partial<Record<BinaryOp, OpSyntax>> = {
      add: { text: `${a} + ${b}` },
      sub: { text: `${a} - ${b}` },
      mul: { text: `${a} * ${b}` },
      div: { text: `${a} / ${b}` },
      pow: { text: `powf(${a}, ${b})` },
      mod: { text: `px_fmod(${a}, ${b})`, helpers: ['fmod'] },
      maximum: { text: floatMinMax('max', a, b) },
      minimum: { text: floatMinMax('min', a, b) },
    };
    return checkedEntry(table, fn, 'binary');
  }
  const ia = dtype === 'bool' ? `(int)${a}` : a;
  const ib = dtype === 'bool' ? `(int)${b}` : b;
  const table: Partial<Record<BinaryOp, OpSyntax>> = {
    add: { text: wrapInt(`(unsigned)${ia} + (unsigned)${ib}`) },
    sub: { text: wrapInt(`(unsigned)${ia} - (unsigned)${ib}`) },
    mul: { text: wrapInt(`(unsigned)${ia} * (unsigned)${ib}`) },
    div: { text: `px_idiv(${ia}, ${ib})`, helpers: ['idiv'] },
    mod: { text: `px_imod(${ia}, ${ib})`, helpers: ['imod'] },
    pow: { text: `px_ipow(${ia}, ${ib})`, helpers: ['ipow'] },
    maximum: { text: `${ia} > ${ib} ? ${ia} : ${ib}` },
    minimum: { text: `${ia} < ${ib} ? ${ia} : ${ib}` },
  };
  return checkedEntry(table, fn, 'binary');
}

/**
 * maximum/minimum of floats as the reference computes them: NaN in either operand wins (the
 * first one), and between zeros max(+0, -0) = +0, min(+0, -0) = -0 whatever the order. For
 * two zeros, a + b has exactly max's sign and -(-a - b) min's. Branch-free selects, so loops
 * using it still vectorise.
 */
export function floatMinMax(kind: 'max' | 'min', a: string, b: string): string {
  const zeros = kind === 'max' ? `${a} + ${b}` : `-(-${a} - ${b})`;
  const cmp = kind === 'max' ? '>' : '<';
  return `(${a} != ${a} ? ${a} : (${a} == 0.0f && ${b} == 0.0f) ? ${zeros} : (${a} ${cmp} ${b} ? ${a} : ${b}))`;
}

/** Conversion of `x` from `from` to `to` (float->int truncates, saturates, NaN -> 0; x -> bool is x != 0). */
export function castSyntax(x: string, from: DType, to: DType): OpSyntax {
  if (from === to) return { text: x };
  if (to === 'bool') return { text: from === 'float32' ? `${x} != 0.0f` : `${x} != 0` };
  if (to === 'int32')
    return from === 'float32' ? { text: `px_f2i(${x})`, helpers: ['f2i'] } : { text: `(int)${x}` };
  if (to === 'float32') return { text: from === 'bool' ? `${x} ? 1.0f : 0.0f` : `(float)${x}` };
  throw new MalformedProgramError(`no cast from ${String(from)} to ${String(to)}`);
}

function checkedEntry<K extends string, V>(table: Partial<Record<K, V>>, key: K, kind: string): V {
  const v = Object.hasOwn(table, key) ? table[key] : undefined;
  if (v === undefined) throw new MalformedProgramError(`unknown ${kind} op '${String(key)}'`);
  return v;
}
