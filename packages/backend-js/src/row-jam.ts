import { loadsStoredBuffer } from '@paradox/ir';
import type { KernelAnalysis } from './kernel-analysis.js';

/** Rows of the innermost domain loop whose reductions one loop interleaves. */
const JAM = 4;

/** Shortest reduction worth the larger loop body. */
const MIN_ROW = 32;

/**
 * How many rows of the innermost domain loop (extent `extent`) one reduction loop folds at once
 * (1: a loop per row). A float32 sum or product steps through `Math.fround(acc + v)`, the
 * reference's rounding, whose latency chains one iteration to the next; folding several rows in one
 * loop overlaps their chains while each row still folds its own values in order, so results are
 * the same bits. Needs rows that do not read what other rows store (ir's loadsStoredBuffer).
 */
export function jammedRows(a: KernelAnalysis, extent: number, rowSize: number): number {
  if (extent < JAM || rowSize < MIN_ROW) return 1;
  const chained = a.exprs.some(
    (e, i) =>
      e.op === 'reduce' &&
      a.facts.used[i] &&
      (e.fn === 'sum' || e.fn === 'prod') &&
      a.exprs[e.a]!.dtype === 'float32',
  );
  return chained && !loadsStoredBuffer(a.kernel) ? JAM : 1;
}
