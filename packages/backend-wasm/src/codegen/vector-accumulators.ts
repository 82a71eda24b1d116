import { reduceDef } from '@paradox/ir';
import type { FunctionBody } from '../encoder/function-body.js';
import { Op, SimdOp as S } from '../encoder/opcodes.js';

/** The float32 reductions a vector loop accumulates in f32x4 lanes. */
export type VectorReduceFn = 'sum' | 'max' | 'min';

/**
 * f32x4 accumulators. max/min run on ordered integer keys (`orderedKey`): one i32x4.max_s/min_s per
 * step, where f32x4.max/min (NaN and signed-zero rules) are ~8 dependent instructions on x64, which
 * made a row max loop-latency bound (softmax: 0.19 ms of 1.25 per 1M points). NaN operands are
 * tracked in a separate lane mask (`nan`) and restored at the fold, so results match the scalar
 * f32.max/min rules: NaN wins, max(-0, +0) = +0, min(-0, +0) = -0.
 */
export interface VectorAccumulator {
  fn: VectorReduceFn;
  acc: number;
  /** max/min: lanes that saw a NaN (all ones). */
  nan?: number;
}

/**
 * Pushes the integer key of the f32x4 in local `v`: the bits with the magnitude bits flipped for
 * negative numbers, so i32 order is float order (-0 just below +0). Its own inverse.
 */
function orderedKey(b: FunctionBody, v: number): void {
  b.get(v).get(v).i32(31).simd(S.i32x4ShrS).i32(1).simd(S.i32x4ShrU).simd(S.v128Xor);
}

export function accInit(b: FunctionBody, a: VectorAccumulator): void {
  b.v128Splat(reduceDef(a.fn).identity('float32')).set(a.acc);
  if (a.fn === 'sum') return;
  orderedKey(b, a.acc);
  b.set(a.acc).i32x4Splat(0).set(a.nan!);
}

export function accUpdate(b: FunctionBody, a: VectorAccumulator, operand: number): void {
  if (a.fn === 'sum') {
    b.get(a.acc).get(operand).simd(S.f32x4Add).set(a.acc);
    return;
  }
  b.get(a.acc);
  orderedKey(b, operand);
  b.simd(a.fn === 'max' ? S.i32x4MaxS : S.i32x4MinS).set(a.acc);
  b.get(a.nan!).get(operand).get(operand).simd(S.f32x4Ne).simd(S.v128Or).set(a.nan!);
}

/** Pushes the four lanes' results as floats (max/min: NaN where a lane saw one). */
export function accValue(b: FunctionBody, a: VectorAccumulator): void {
  if (a.fn === 'sum') {
    b.get(a.acc);
    return;
  }
  b.v128Splat(Number.NaN);
  orderedKey(b, a.acc);
  b.get(a.nan!).simd(S.v128Bitselect);
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
