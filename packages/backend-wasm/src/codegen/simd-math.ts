import { type FunctionBody, V128 } from '../encoder/function-body.js';
import { SimdOp } from '../encoder/opcodes.js';

/**
 * Float32 exp, log, tanh and sigmoid on f32x4 as module functions (v128) -> v128, after Cephes'
 * expf/logf/tanhf (range reduction + minimax polynomial, about 1-2 ulp; no FMA, so the same results on
 * every engine). Scalar code calls them through a splat and lane 0, so scalar and vector results
 * agree bit for bit.
 */
export type MathFn = 'exp' | 'log' | 'tanh' | 'sigmoid';
export const MATH_FNS: MathFn[] = ['exp', 'log', 'tanh', 'sigmoid'];

const S = SimdOp;
const F32X4_NEAREST = 0x6a;
const I32X4_SHR_S = S.i32x4ShrS;

/** Horner: leaves c0*x^n + ... + cn on the stack, x in local `x`. */
function horner(b: FunctionBody, x: number, coefs: number[]): void {
  b.v128Splat(coefs[0]!);
  for (const c of coefs.slice(1)) b.get(x).simd(S.f32x4Mul).v128Splat(c).simd(S.f32x4Add);
}

/**
 * Multiplies the f32x4 on the stack by 2^n (i32x4 n in [-150, 128]) as two factors 2^(n>>1) and
 * 2^(n - n>>1), both normal floats, so results near the overflow and underflow ends stay exact.
 */
function scaleByPow2(b: FunctionBody, n: number, tmp: number): void {
  b.get(n).i32(1).simd(I32X4_SHR_S).tee(tmp);
  b.i32x4Splat(127).simd(S.i32x4Add).i32(23).simd(S.i32x4Shl).simd(S.f32x4Mul);
  b.get(n).get(tmp).simd(S.i32x4Sub).i32x4Splat(127).simd(S.i32x4Add).i32(23).simd(S.i32x4Shl);
  b.simd(S.f32x4Mul);
}

/** exp(x): x = n ln2 + r, |r| <= ln2/2; exp(r) = 1 + r + r^2 P(r). Overflow gives inf, underflow 0. */
export function emitExpBody(b: FunctionBody): void {
  const x = 0;
  const n = b.local(V128);
  const nf = b.local(V128);
  const r = b.local(V128);
  const t = b.local(V128);
  // Clamp (NaN passes through min/max); past 88.72 the result overflows to inf by itself.
  b.get(x).v128Splat(88.8).simd(S.f32x4Min).v128Splat(-104).simd(S.f32x4Max).set(x);
  b.get(x)
    .v128Splat(Math.LOG2E)
    .simd(S.f32x4Mul)
    .simd(F32X4_NEAREST)
    .tee(nf)
    .simd(S.i32x4TruncSatF32x4S)
    .set(n);
  b.get(x).get(nf).v128Splat(0.693359375).simd(S.f32x4Mul).simd(S.f32x4Sub);
  b.get(nf).v128Splat(-2.1219444e-4).simd(S.f32x4Mul).simd(S.f32x4Sub).set(r);
  horner(
    b,
    r,
    [1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1],
  );
  b.get(r).get(r).simd(S.f32x4Mul).simd(S.f32x4Mul).get(r).simd(S.f32x4Add).v128Splat(1).simd(S.f32x4Add);
  scaleByPow2(b, n, t);
}

/** log(x) = e ln2 + log(m), m in [sqrt(1/2), sqrt(2)); log(0) = -inf, log(<0) = NaN, log(inf) = inf. */
export function emitLogBody(b: FunctionBody): void {
  const x = 0;
  const bits = b.local(V128);
  const e = b.local(V128);
  const m = b.local(V128);
  const z = b.local(V128);
  const small = b.local(V128);
  const y = b.local(V128);
  // Subnormals: scale by 2^23 first (the exponent is corrected below).
  b.get(x).v128Splat(1.17549435e-38).simd(S.f32x4Lt).set(small);
  b.get(x).v128Splat(8388608).simd(S.f32x4Mul).get(x).get(small).simd(S.v128Bitselect).set(bits);
  b.get(bits).i32(23).simd(0xad /* i32x4.shr_u */).i32x4Splat(126).simd(S.i32x4Sub);
  b.get(small).i32x4Splat(23).simd(S.v128And).simd(S.i32x4Sub).set(e);
  b.get(bits)
    .i32x4Splat(0x807fffff | 0)
    .simd(S.v128And)
    .i32x4Splat(0x3f000000)
    .simd(S.v128Or)
    .set(m);
  // m < sqrt(1/2): m = 2m - 1, e -= 1; else m = m - 1.
  b.get(m).v128Splat(0.707106781186547524).simd(S.f32x4Lt).set(small);
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

/** sigmoid(x) = 1 / (1 + exp(-x)); `exp` is the module's vector exp. */
export function emitSigmoidBody(b: FunctionBody, exp: number): void {
  b.v128Splat(1).v128Splat(1).get(0).simd(S.f32x4Neg).call(exp).simd(S.f32x4Add).simd(S.f32x4Div);
}

/** tanh: an odd polynomial for |x| < 0.625, else sign(x) (1 - 2 / (exp(2|x|) + 1)). */
export function emitTanhBody(b: FunctionBody, exp: number): void {
  const x = 0;
  const a = b.local(V128);
  const z = b.local(V128);
  const big = b.local(V128);
  b.v128Splat(1).v128Splat(2);
  b.get(x).simd(S.f32x4Abs).tee(a).v128Splat(2).simd(S.f32x4Mul).call(exp).v128Splat(1).simd(S.f32x4Add);
  b.simd(S.f32x4Div).simd(S.f32x4Sub);
  b.get(x)
    .i32x4Splat(0x80000000 | 0)
    .simd(S.v128And)
    .simd(S.v128Or)
    .set(big);
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
