import { type FunctionBody, V128 } from '../encoder/function-body.js';
import { SimdOp as S } from '../encoder/opcodes.js';

/**
 * Float32 exp, log, tanh and sigmoid on f32x4, after Cephes' expf/logf/tanhf (range reduction +
 * minimax polynomial, about 1-2 ulp; no FMA, so the same results on every engine). Each emitter reads
 * its argument from a local (left unchanged) and leaves the result on the stack, so vector loops
 * inline exp/tanh/sigmoid; the module also defines them as functions (v128) -> v128, which scalar
 * code calls through a splat and lane 0, so scalar and vector results agree bit for bit.
 */
export type MathFn = 'exp' | 'log' | 'tanh' | 'sigmoid';

/** Horner: leaves c0*x^n + ... + cn on the stack, x in local `x`. */
function horner(b: FunctionBody, x: number, coefs: number[]): void {
  b.v128Splat(coefs[0]!);
  for (const c of coefs.slice(1)) b.get(x).simd(S.f32x4Mul).v128Splat(c).simd(S.f32x4Add);
}

/** 1.5 * 2^23 + 126: adding it rounds to an integer n and leaves n + 126 in the low mantissa bits. */
const ROUND_MAGIC = 12583038;
/**
 * 2 exp(r) on |r| <= ln2/2 as a degree-6 polynomial (highest first): minimax for relative error
 * (Lawson's algorithm), 0.8 float32 ulp evaluated in float32; doubled so that 2^(n-1), always a
 * normal float up to exp's overflow, is the scale factor.
 */
const EXP_POLY = [
  1.3843607157468796e-3, 8.374195545911789e-3, 4.166800528764725e-2, 1.6666430234909058e-1,
  0.4999999403953552, 1, 1,
].map((c) => 2 * c);

/**
 * x clamps here from below: x * log2e rounds to n = -126 at most (-126.24), so n + 126 >= 0 and
 * the scale's bits (n + 126) << 23 never go negative; n = -126 gives scale +0, a result of +0 where
 * the true value is below 1.7e-38 (under the 1e-37 absolute bound). r stays finite for x = -inf.
 */
const EXP_LOW_CLAMP = -87.5;

/**
 * exp(x) = 2^(n-1) * 2 exp(r), x = n ln2 + r, 23 f32x4/i32x4 operations: n by the magic-number
 * rounding, 2^(n-1) by shifting n + 126 into the exponent bits, r = x - n ln2 in two parts, the
 * polynomial by Horner. x clamps to [-87.5, 88.8] (past 88.72 the product overflows to inf); from
 * the lower clamp n + 126 >= 0, and where it is 0 (x below ~-86.99, true values under 1.7e-38) the
 * scale is +0, so the result is +0; NaN stays NaN (its bits shift to a +0 scale, NaN * 0 = NaN).
 * The clamp replaces an integer max of the scale bits against the magic's (one operation and one
 * v128 constant fewer; the same results bit for bit).
 */
export function emitExp(b: FunctionBody, x: number, known: { nonPositive?: boolean } = {}): void {
  const xc = b.local(V128);
  const k = b.local(V128);
  const r = b.local(V128);
  const s = b.local(V128);
  // pmin/pmax (plain minps/maxps with x first): NaN passes through. An x known <= 0 or NaN (softmax's
  // x - max) skips the upper clamp: the same results, one operation and one v128 constant fewer.
  b.get(x);
  if (!known.nonPositive) b.v128Splat(88.8).simd(S.f32x4Pmin);
  b.v128Splat(EXP_LOW_CLAMP).simd(S.f32x4Pmax).tee(xc);
  b.v128Splat(Math.LOG2E).simd(S.f32x4Mul).v128Splat(ROUND_MAGIC).simd(S.f32x4Add).tee(k);
  b.i32(23).simd(S.i32x4Shl).set(s);
  // r = x - n*C1 - n*C2 with n = k - magic exactly (C1 has few bits: n*C1 is exact).
  b.get(k).v128Splat(ROUND_MAGIC).simd(S.f32x4Sub).set(r);
  b.get(xc).get(r).v128Splat(0.693359375).simd(S.f32x4Mul).simd(S.f32x4Sub);
  b.get(r).v128Splat(-2.1219444e-4).simd(S.f32x4Mul).simd(S.f32x4Sub).set(r);
  horner(b, r, EXP_POLY);
  b.get(s).simd(S.f32x4Mul);
}

/** log(x) = e ln2 + log(m), m in [sqrt(1/2), sqrt(2)); log(0) = -inf, log(<0) = NaN, log(inf) = inf. */
export function emitLog(b: FunctionBody, x: number): void {
  const bits = b.local(V128);
  const e = b.local(V128);
  const m = b.local(V128);
  const z = b.local(V128);
  const small = b.local(V128);
  const y = b.local(V128);
  // Subnormals: scale by 2^23 first (the exponent is corrected below).
  b.get(x).v128Splat(1.17549435e-38).simd(S.f32x4Lt).set(small);
  b.get(x).v128Splat(8388608).simd(S.f32x4Mul).get(x).get(small).simd(S.v128Bitselect).set(bits);
  b.get(bits).i32(23).simd(S.i32x4ShrU).i32x4Splat(126).simd(S.i32x4Sub);
  b.get(small).i32x4Splat(23).simd(S.v128And).simd(S.i32x4Sub).set(e);
  b.get(bits)
    .i32x4Splat(0x807fffff | 0)
    .simd(S.v128And)
    .i32x4Splat(0x3f000000)
    .simd(S.v128Or)
    .set(m);
  // m < sqrt(1/2): m = 2m - 1, e -= 1; else m = m - 1.
  b.get(m).v128Splat(Math.SQRT1_2).simd(S.f32x4Lt).set(small);
  b.get(e).get(small).simd(S.i32x4Add).simd(S.f32x4ConvertI32x4S).set(e);
  b.get(m).get(m).get(small).simd(S.v128And).simd(S.f32x4Add).v128Splat(1).simd(S.f32x4Sub).set(m);
  b.get(m).get(m).simd(S.f32x4Mul).set(z);
  horner(
    b,
    m,
    [
      7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
      2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
    ],
  );
  b.get(m).simd(S.f32x4Mul).get(z).simd(S.f32x4Mul);
  b.get(e).v128Splat(-2.1219444e-4).simd(S.f32x4Mul).simd(S.f32x4Add);
  b.get(z).v128Splat(-0.5).simd(S.f32x4Mul).simd(S.f32x4Add);
  b.get(m).simd(S.f32x4Add).get(e).v128Splat(0.693359375).simd(S.f32x4Mul).simd(S.f32x4Add).set(y);
  // Special cases, last wins: inf -> inf, 0 -> -inf, negative -> NaN, NaN -> NaN.
  b.get(x).get(y).get(x).v128Splat(Infinity).simd(S.f32x4Eq).simd(S.v128Bitselect).set(y);
  b.v128Splat(-Infinity).get(y).get(x).v128Splat(0).simd(S.f32x4Eq).simd(S.v128Bitselect).set(y);
  b.v128Splat(Number.NaN).get(y).get(x).v128Splat(0).simd(S.f32x4Lt).simd(S.v128Bitselect).set(y);
  b.get(x).get(y).get(x).get(x).simd(S.f32x4Ne).simd(S.v128Bitselect);
}

/** sigmoid(x) = 1 / (1 + exp(-x)). */
export function emitSigmoid(b: FunctionBody, x: number): void {
  const neg = b.local(V128);
  b.get(x).simd(S.f32x4Neg).set(neg);
  b.v128Splat(1).v128Splat(1);
  emitExp(b, neg);
  b.simd(S.f32x4Add).simd(S.f32x4Div);
}

/** tanh: an odd polynomial for |x| < 0.625, else sign(x) (1 - 2 / (exp(2|x|) + 1)). */
export function emitTanh(b: FunctionBody, x: number): void {
  const a = b.local(V128);
  const twice = b.local(V128);
  const z = b.local(V128);
  const big = b.local(V128);
  b.get(x).simd(S.f32x4Abs).tee(a).v128Splat(2).simd(S.f32x4Mul).set(twice);
  b.v128Splat(1).v128Splat(2);
  emitExp(b, twice);
  b.v128Splat(1).simd(S.f32x4Add).simd(S.f32x4Div).simd(S.f32x4Sub).set(big);
  b.get(x).get(x).simd(S.f32x4Mul).set(z);
  horner(b, z, [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1]);
  b.get(z).simd(S.f32x4Mul).get(x).simd(S.f32x4Mul).get(x).simd(S.f32x4Add);
  b.get(big).get(a).v128Splat(0.625).simd(S.f32x4Lt).simd(S.v128Bitselect);
  // tanh is odd: the sign of x, also for +-0 (the polynomial's rounding could give +0 for -0).
  b.simd(S.f32x4Abs)
    .get(x)
    .i32x4Splat(0x80000000 | 0)
    .simd(S.v128And)
    .simd(S.v128Or);
}

export const EMIT_MATH: Record<MathFn, (b: FunctionBody, x: number) => void> = {
  exp: emitExp,
  log: emitLog,
  tanh: emitTanh,
  sigmoid: emitSigmoid,
};
