import type { IndexExpr, Kernel } from '../kernel.js';
import { indexCoefficients } from './index-expr.js';
import { domainPointExprs, indexAxes, kernelFacts } from './kernel-facts.js';
import { exprIndices } from './phases.js';

/**
 * A reducing kernel read as a batched matrix product: per batch point (the domain axes before
 * `m`), out[m, n...] = epilogue(sum over the whole reduction domain of lhs * rhs), where lhs does
 * not vary along the column axes `n` and rhs does not vary along the row axis `m`. Matmul is the
 * case n = [last axis]; a convolution is m = output channel, n = the spatial axes, lhs = the
 * weights and rhs the (guarded) window of the input, i.e. an implicit GEMM whose K is the flat
 * reduction domain (input channel x kernel window).
 */
export interface ContractionView {
  /** The sum reduce, its lhs (rows) and rhs (columns) operands. */
  acc: number;
  lhs: number;
  rhs: number;
  /** Domain axis of the rows. */
  m: number;
  /** Domain axes of the columns: every axis after m, flattened row-major. */
  n: number[];
  /**
   * Every index after the sum (epilogue loads, guards and stores) that reads a column axis is
   * affine and reads them only as their row-major flat position (times a common stride), so an
   * epilogue may name the flat column for the last axis and 0 for the others: a convolution's
   * NCHW store stays one contiguous run per row.
   */
  flatColumns: boolean;
}

/**
 * The kernel as a ContractionView, or undefined when it is not one: its only reduction is one
 * `sum` of a product of two same-dtype operands (nothing else varies over the reduction domain),
 * every store runs after it (domain phase), and some row axis splits the domain so that one
 * factor ignores the column axes after it and the other the row axis. The row axis is taken as
 * late as possible (the fewest column axes).
 */
export function contractionView(kernel: Kernel): ContractionView | undefined {
  const rank = kernel.domain.length;
  if (!kernel.reduce || rank < 2 || kernel.stores.some((s) => (s.phase ?? 'domain') !== 'domain'))
    return undefined;
  const facts = kernelFacts(kernel);
  const reduces = kernel.exprs.flatMap((e, i) => (e.op === 'reduce' && facts.used[i] ? [i] : []));
  if (reduces.length !== 1) return undefined;
  const acc = reduces[0]!;
  const sum = kernel.exprs[acc]!;
  if (sum.op !== 'reduce' || sum.fn !== 'sum' || sum.dtype === 'bool') return undefined;
  const product = kernel.exprs[sum.a]!;
  if (product.op !== 'binary' || product.fn !== 'mul' || product.dtype !== sum.dtype) return undefined;
  const [a, b] = [product.a, product.b];
  if (kernel.exprs[a]!.dtype !== sum.dtype || kernel.exprs[b]!.dtype !== sum.dtype) return undefined;
  for (let m = rank - 2; m >= 0; m--) {
    const n = Array.from({ length: rank - 1 - m }, (_, i) => m + 1 + i);
    const fits = (lhs: number, rhs: number) =>
      n.every((k) => !facts.axes[lhs]!.has(k)) && !facts.axes[rhs]!.has(m);
    if (fits(a, b)) return { acc, lhs: a, rhs: b, m, n, flatColumns: flatColumns(kernel, n) };
    if (fits(b, a)) return { acc, lhs: b, rhs: a, m, n, flatColumns: flatColumns(kernel, n) };
  }
  return undefined;
}

/** Whether each epilogue index reads the column axes `n` only as s * (their row-major flat position). */
function flatColumns(kernel: Kernel, n: readonly number[]): boolean {
  const rank = kernel.domain.length;
  const indices: IndexExpr[] = kernel.stores.map((s) => s.index);
  domainPointExprs(kernel).forEach((perPoint, i) => {
    if (perPoint) indices.push(...exprIndices(kernel.exprs[i]!));
  });
  return indices.every((ix) => {
    const axes = indexAxes(ix);
    if (!n.some((a) => axes.has(a))) return true;
    const co = indexCoefficients(ix, rank);
    if (!co) return false;
    let stride = co.axes[n[n.length - 1]!]!;
    for (let j = n.length - 1; j >= 0; j--) {
      if (co.axes[n[j]!] !== stride) return false;
      stride *= kernel.domain[n[j]!]!;
    }
    return true;
  });
}
