import type { FunctionBody } from '../encoder/function-body.js';
import { I32 } from '../encoder/function-body.js';
import { Op } from '../encoder/opcodes.js';
import type { IndexForm } from './kernel-plan.js';

/** Locals 0 and 1 of every kernel function: the range [lo, hi) of its outermost domain loop. */
export const LO = 0;
export const HI = 1;

/**
 * Emits `for (counter = start; counter < end; counter++) body` as block/loop. `extent` is the
 * constant trip count when known (> 0, so the entry test is skipped); null: test on entry.
 */
export function emitLoop(
  b: FunctionBody,
  counter: number,
  start: () => void,
  end: () => void,
  body: () => void,
  step = 1,
  knownNonEmpty = false,
): void {
  start();
  b.set(counter).block();
  if (!knownNonEmpty) {
    b.get(counter);
    end();
    b.op(Op.i32GeS).brIf(0);
  }
  b.loop();
  body();
  b.get(counter).i32(step).op(Op.i32Add).tee(counter);
  end();
  b.op(Op.i32LtS).brIf(0).end().end();
}

/** A vector loop over [start, end) of loop-nest level L (a reduction level when `reduction`), stepping `forms` there; `extent` is the level's. */
export interface LevelLoop {
  L: number;
  reduction: boolean;
  forms: IndexForm[];
  extent: number;
  start: () => void;
  end: () => void;
}

/**
 * A loop over [start, end) whose first (end - start) & ~3 iterations run four at a time (`vector`),
 * the rest one at a time (`scalar`, left out when the caller knows there is no rest); `between`
 * runs after the vector part (folding accumulators).
 */
export function emitVectorLoop(
  b: FunctionBody,
  counter: number,
  start: () => void,
  end: () => void,
  parts: { vector: () => void; between?: () => void; scalar?: () => void },
  /** Points per vector iteration: 4, or 8/16 when the body is unrolled. */
  width = 4,
): void {
  const vend = b.local(I32);
  start();
  b.tee(counter);
  end();
  start();
  b.op(Op.i32Sub)
    .i32(~(width - 1))
    .op(Op.i32And)
    .op(Op.i32Add)
    .set(vend);
  b.block().get(counter).get(vend).op(Op.i32GeS).brIf(0).loop();
  parts.vector();
  b.get(counter).i32(width).op(Op.i32Add).tee(counter).get(vend).op(Op.i32LtS).brIf(0).end().end();
  parts.between?.();
  if (!parts.scalar) return;
  b.block().get(counter);
  end();
  b.op(Op.i32GeS).brIf(0).loop();
  parts.scalar();
  b.get(counter).i32(1).op(Op.i32Add).tee(counter);
  end();
  b.op(Op.i32LtS).brIf(0).end().end();
}

/**
 * Copies of a vector loop's body (on independent points), from its extent (no remainder allowed)
 * and the inlined exp/tanh/sigmoid per point: their ~23-op dependent chains need 8 copies in flight
 * to run at throughput (softmax's exp pass: 8 copies 0.1 ms faster per 1M points than 4), which is
 * worth the code only for a few of them.
 */
export function unrollCopies(extent: number, inlinedMath: number): number {
  if (inlinedMath > 0 && inlinedMath <= 4 && extent % 32 === 0) return 8;
  return extent % 16 === 0 ? 4 : extent % 8 === 0 ? 2 : 1;
}

/**
 * Accumulator sets an unrolled vector reduction keeps (copy u updates set u % sets): a set is one
 * v128 for sum, three for max/min, all tied up across the loop, and an 8-copy exp loop already
 * spills. Two sets halve the chains' step rate, which only a cheap sum body notices (one add per
 * vector with 3-4 cycles latency: it keeps a set per copy). Softmax 1M: ~1.01 -> ~0.94 ms (its max
 * pass ~0.12 -> ~0.09 ms). A sum sharing sets adds its copies' values pairwise, then once into the
 * set (`VectorEmitter.accUpdatePairwise`): its chain gets one add per loop step, not four.
 */
export function accumulatorSets(fn: string, copies: number, inlinedMath: number): number {
  if (fn === 'sum' && inlinedMath === 0) return copies;
  return Math.min(2, copies);
}
