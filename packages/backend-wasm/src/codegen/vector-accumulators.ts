import { reduceDef } from '@paradox/ir';
import { type FunctionBody, V128 } from '../encoder/function-body.js';
import { Op, SimdOp as S } from '../encoder/opcodes.js';

/** The float32 reductions a vector loop accumulates in f32x4 lanes. */
export type VectorReduceFn = 'sum' | 'max' | 'min';

/**
 * f32x4 accumulators. max/min run on the raw float bits as integers, three single-instruction
 * steps per vector (f32x4.max/min, with their NaN and signed-zero rules, are ~8 dependent
 * instructions on x64; an ordered-key transform plus a NaN mask took 6):
 * - `acc` = i32x4.max_s: the max when a lane saw a value with the sign bit clear (non-negative
 *   floats order as signed ints above every negative one; a positive NaN lies above +inf);
 * - `lo` = i32x4.min_u: the max when every value was negative (the smallest magnitude), the min
 *   when none was (non-negative floats order as unsigned ints);
 * - `hi` = i32x4.max_u: the min when some value was negative (the largest magnitude); at or above
 *   0xff800001 it is a negative NaN.
 * Results match the scalar f32.max/min rules: NaN wins, max(-0, +0) = +0, min(-0, +0) = -0.
 */
export interface VectorAccumulator {
  fn: VectorReduceFn;
  acc: number;
  /** max/min: i32x4.min_u and i32x4.max_u of the bits. */
  lo?: number;
  hi?: number;
}

const NEG_INF_BITS = 0xff800000 | 0;
const POS_INF_BITS = 0x7f800000;

export function accInit(b: FunctionBody, a: VectorAccumulator): void {
  if (a.fn === 'sum') {
    b.v128Splat(reduceDef(a.fn).identity('float32')).set(a.acc);
    return;
  }
  // The identity (-inf for max, +inf for min) in `lo`: an empty lane reads it back.
  b.i32x4Splat(0x80000000 | 0).set(a.acc);
  b.i32x4Splat(a.fn === 'max' ? NEG_INF_BITS : POS_INF_BITS).set(a.lo!);
  b.i32x4Splat(0).set(a.hi!);
}

export function accUpdate(b: FunctionBody, a: VectorAccumulator, operand: number): void {
  if (a.fn === 'sum') {
    b.get(a.acc).get(operand).simd(S.f32x4Add).set(a.acc);
    return;
  }
  b.get(a.acc).get(operand).simd(S.i32x4MaxS).set(a.acc);
  b.get(a.lo!).get(operand).simd(S.i32x4MinU).set(a.lo!);
  b.get(a.hi!).get(operand).simd(S.i32x4MaxU).set(a.hi!);
}

/**
 * Adds `operands` (a sum's values from several unrolled copies) pairwise, then the total into
 * `a`: one loop-carried add per loop step instead of one per copy, so a sum beside inlined math no
 * longer waits on its own chain (sum of exp over 1M points: ~0.76 -> ~0.67 ms).
 */
export function accUpdatePairwise(b: FunctionBody, a: VectorAccumulator, operands: readonly number[]): void {
  let level = [...operands];
  while (level.length > 1) {
    const next: number[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const t = b.local(V128);
      b.get(level[i]!)
        .get(level[i + 1]!)
        .simd(S.f32x4Add)
        .set(t);
      next.push(t);
    }
    if (level.length % 2) next.push(level[level.length - 1]!);
    level = next;
  }
  b.get(a.acc).get(level[0]!).simd(S.f32x4Add).set(a.acc);
}

/** Pushes the four lanes' results as floats (NaN where a lane saw one). */
export function accValue(b: FunctionBody, a: VectorAccumulator): void {
  if (a.fn === 'sum') {
    b.get(a.acc);
    return;
  }
  if (a.fn === 'max') {
    // Some value >= +0: max_s (a positive NaN included); else min_u. A negative NaN: max_u.
    b.v128Splat(Number.NaN);
    b.get(a.acc).get(a.lo!).get(a.acc).i32x4Splat(-1).simd(S.i32x4GtS).simd(S.v128Bitselect);
    b.get(a.hi!).i32x4Splat(NEG_INF_BITS).simd(S.i32x4GtU).simd(S.v128Bitselect);
    return;
  }
  // Some value <= -0: max_u (a negative NaN included); else min_u. A positive NaN: max_s.
  b.v128Splat(Number.NaN);
  b.get(a.hi!).get(a.lo!).get(a.hi!).i32x4Splat(0).simd(S.i32x4LtS).simd(S.v128Bitselect);
  b.get(a.acc).i32x4Splat(POS_INF_BITS).simd(S.i32x4GtS).simd(S.v128Bitselect);
}

/** Folds the four lanes into the scalar accumulator `scalar` (lane order). */
export function accFold(b: FunctionBody, a: VectorAccumulator, scalar: number): void {
  if (a.fn !== 'sum') {
    accValue(b, a);
    b.set(a.acc);
  }
  for (let lane = 0; lane < 4; lane++) {
    b.get(scalar).get(a.acc).lane(S.f32x4ExtractLane, lane);
    b.op(a.fn === 'sum' ? Op.f32Add : a.fn === 'max' ? Op.f32Max : Op.f32Min).set(scalar);
  }
}
