import { F32, type FunctionBody } from '../encoder/function-body.js';
import { Op, SimdOp as S } from '../encoder/opcodes.js';

/**
 * float32 division by a value that does not vary along a vector loop (softmax's `e / sum`, `x / c`)
 * as a multiply by its reciprocal, computed once before the loop: f32x4.div is ~10x the cost of a
 * multiply on x64 (W4a's store pass: ~0.14 ms of the 1.16 ms kernel). `x * (1 / b)` is within 1.5
 * float32 ulp of `x / b` (two roundings) when 1 / b is a normal float, and equal for b = +-0, +-inf
 * and NaN; it is not used when b is subnormal or |b| > 2^126 (1 / b would overflow or lose bits):
 * a divisor known only at run time is tested per loop entry and the loop rendered a second time
 * with the exact division for that case. Scalar code (tails, scalar loops) keeps the exact division.
 */

/** Smallest and largest |b| whose reciprocal is a normal float. */
const SAFE_MIN = 2 ** -126;
const SAFE_MAX = 2 ** 126;

/** Whether `x * (1 / b)` may stand for `x / b` for a divisor known at compile time. */
export function reciprocalSafe(b: number): boolean {
  const a = Math.abs(b);
  return !(a > 0 && a < SAFE_MIN) && !(a > SAFE_MAX && a < Infinity);
}

/** Pushes splat(1 / b) for the f32 scalar in local `b`. */
export function pushReciprocalSplat(body: FunctionBody, b: number): void {
  body.f32(1).get(b).op(Op.f32Div).simd(S.f32x4Splat);
}

/** Pushes an i32: 1 when every f32 local in `divisors` is a safe divisor (`reciprocalSafe`). */
export function pushReciprocalsSafe(body: FunctionBody, divisors: readonly number[]): void {
  const a = body.local(F32);
  divisors.forEach((d, i) => {
    body.get(d).op(Op.f32Abs).tee(a).f32(0).op(Op.f32Gt).get(a).f32(SAFE_MIN).op(Op.f32Lt).op(Op.i32And);
    body.get(a).f32(SAFE_MAX).op(Op.f32Gt).get(a).f32(Infinity).op(Op.f32Lt).op(Op.i32And);
    body.op(Op.i32Or);
    if (i > 0) body.op(Op.i32Or);
  });
  body.op(Op.i32Eqz);
}

/** What a vector emitter needs to run a loop with reciprocal divisions. */
export interface ReciprocalUser {
  /** Divisions this loop would turn into multiplies. */
  readonly reciprocals: number;
  /** Scalar f32 locals of the divisors known only at run time. */
  readonly runtimeDivisors: readonly number[];
  useReciprocals: boolean;
}

/**
 * Emits a vector loop (`emit`) with reciprocal divisions where `copies` (the unrolled copies of one
 * vector emitter) have some: directly when every divisor is a safe constant, else as
 * `if (divisors safe) loop-with-multiplies else loop-with-divisions`.
 */
export function withReciprocals(
  body: FunctionBody,
  copies: readonly ReciprocalUser[],
  emit: () => void,
): void {
  const first = copies[0];
  if (!first || first.reciprocals === 0) {
    emit();
    return;
  }
  const set = (on: boolean) => {
    for (const c of copies) c.useReciprocals = on;
  };
  set(true);
  if (first.runtimeDivisors.length === 0) {
    emit();
    set(false);
    return;
  }
  pushReciprocalsSafe(body, first.runtimeDivisors);
  body.if();
  emit();
  body.else();
  set(false);
  emit();
  body.end();
}
