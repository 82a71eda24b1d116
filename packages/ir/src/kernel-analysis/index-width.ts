import type { IndexExpr } from '../kernel.js';
import { type IndexRanges, indexRange } from './index-simplify.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Whether `e`, evaluated as written (every subexpression an intermediate), stays within int32 over
 * the kernel's loops: the fact a renderer with 32-bit integer index math (C, CUDA) needs to choose
 * between int and 64-bit indices. Iterative, so a deep index expression is fine.
 */
export function indexFitsInt32(e: IndexExpr, ranges: IndexRanges): boolean {
  const stack: IndexExpr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    const [lo, hi] = indexRange(x, ranges);
    if (lo < INT32_MIN || hi > INT32_MAX) return false;
    if (x.k === 'add') stack.push(x.a, x.b);
    else if (x.k === 'mul' || x.k === 'div' || x.k === 'mod') stack.push(x.a);
  }
  return true;
}
