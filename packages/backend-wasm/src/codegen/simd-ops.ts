import type { BinaryOp, UnaryOp } from '@paradox/ir';
import { SimdOp as S } from '../encoder/opcodes.js';
import type { Dt, OpContext } from './scalar-ops.js';
import { EMIT_MATH, type MathFn } from './simd-math.js';

/**
 * SIMD128 rules: operands are v128 locals holding 4 lanes of their dtype (float32 as f32x4, int32 as
 * i32x4, bool as an i32x4 mask of 0 / -1). A missing rule (or one that returns false for a dtype)
 * means the op is not vectorized: the whole loop then stays scalar. Lane results equal the scalar
 * rules' (same IEEE operations; exp/log/tanh/sigmoid are the same module functions).
 */
export interface VectorContext extends OpContext {
  math(fn: MathFn): number;
  /** Inline exp/tanh/sigmoid (fast loops) rather than call them (small code for long chains). */
  inlineMath?: boolean;
}

type VUnary = (c: VectorContext, a: number, d: Dt) => boolean;
type VBinary = (c: VectorContext, a: number, b: number, d: Dt) => boolean;

const byType =
  (f: number | undefined, i: number | undefined, bool: number | undefined = i): VUnary =>
  (c, a, d) => {
    const op = d === 'float32' ? f : d === 'int32' ? i : bool;
    if (op === undefined) return false;
    c.b.get(a).simd(op);
    return true;
  };

/** exp, tanh and sigmoid inline when the context allows (constants stay in registers); log is a call. */
const math =
  (fn: MathFn): VUnary =>
  (c, a, d) => {
    if (d !== 'float32') return false;
    if (fn === 'log' || !c.inlineMath) c.b.get(a).call(c.math(fn));
    else EMIT_MATH[fn](c.b, a);
    return true;
  };

const identityForInts =
  (f: number): VUnary =>
  (c, a, d) => {
    c.b.get(a);
    if (d === 'float32') c.b.simd(f);
    return d !== 'bool';
  };

export const VUNARY: Partial<Record<UnaryOp, VUnary>> = {
  neg: byType(S.f32x4Neg, S.i32x4Neg, undefined),
  abs: byType(S.f32x4Abs, S.i32x4Abs, undefined),
  exp: math('exp'),
  log: math('log'),
  tanh: math('tanh'),
  sigmoid: math('sigmoid'),
  sqrt: byType(S.f32x4Sqrt, undefined, undefined),
  floor: identityForInts(S.f32x4Floor),
  ceil: identityForInts(S.f32x4Ceil),
  // max(x, +0): NaN stays NaN, -0 becomes +0 (as the scalar rule).
  relu: (c, a, d) => {
    if (d === 'bool') return false;
    c.b.get(a);
    if (d === 'float32') c.b.v128Splat(0).simd(S.f32x4Max);
    else c.b.i32x4Splat(0).simd(S.i32x4MaxS);
    return true;
  },
  not: (c, a, d) => {
    if (d !== 'bool') return false;
    c.b.get(a).simd(S.v128Not);
    return true;
  },
};

const binary =
  (f: number | undefined, i: number | undefined, bool: number | undefined = undefined): VBinary =>
  (c, a, b, d) => {
    const op = d === 'float32' ? f : d === 'int32' ? i : bool;
    if (op === undefined) return false;
    c.b.get(a).get(b).simd(op);
    return true;
  };

export const VBINARY: Partial<Record<BinaryOp, VBinary>> = {
  add: binary(S.f32x4Add, S.i32x4Add),
  sub: binary(S.f32x4Sub, S.i32x4Sub),
  mul: binary(S.f32x4Mul, S.i32x4Mul),
  div: binary(S.f32x4Div, undefined),
  // On bool masks maximum is or, minimum is and.
  maximum: binary(S.f32x4Max, S.i32x4MaxS, S.v128Or),
  minimum: binary(S.f32x4Min, S.i32x4MinS, S.v128And),
  eq: binary(S.f32x4Eq, S.i32x4Eq, S.i32x4Eq),
  ne: binary(S.f32x4Ne, S.i32x4Ne, S.i32x4Ne),
  lt: binary(S.f32x4Lt, S.i32x4LtS),
  le: binary(S.f32x4Le, S.i32x4LeS),
  gt: binary(S.f32x4Gt, S.i32x4GtS),
  ge: binary(S.f32x4Ge, S.i32x4GeS),
  and: binary(undefined, undefined, S.v128And),
  or: binary(undefined, undefined, S.v128Or),
};

/** Vector cast; false when not vectorized. */
export function vectorCast(c: VectorContext, a: number, from: Dt, to: Dt): boolean {
  const b = c.b.get(a);
  if (from === to) return true;
  if (to === 'float32') {
    if (from === 'bool') b.v128Splat(1).simd(S.v128And);
    else b.simd(S.f32x4ConvertI32x4S);
  } else if (to === 'int32') {
    if (from === 'bool') b.i32x4Splat(1).simd(S.v128And);
    else b.simd(S.i32x4TruncSatF32x4S);
  } else if (from === 'float32') b.v128Splat(0).simd(S.f32x4Ne);
  else b.i32x4Splat(0).simd(S.i32x4Ne);
  return true;
}

/** Pushes 4 copies of a scalar local of dtype `d` (bool 0/1 becomes a 0/-1 mask). */
export function splat(c: OpContext, local: number, d: Dt): void {
  if (d === 'float32') c.b.get(local).simd(S.f32x4Splat);
  else if (d === 'int32') c.b.get(local).simd(S.i32x4Splat);
  else c.b.i32(0).get(local).op(0x6b /* i32.sub */).simd(S.i32x4Splat);
}
