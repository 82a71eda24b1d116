import type { BufferDecl, IndexExpr, Kernel, KernelProgram, Store } from '@paradox/ir';
import { exprIndices, indexFitsInt32, kernelFacts } from '@paradox/ir';
import type { IndexSpace } from './index_expr.js';

/**
 * What every C-family template needs about one kernel, computed once. The kernel must come from a
 * program `verifyProgram` accepted (every backend's `checkProgram`, or the render entry points):
 * nothing here re-checks structure or index ranges. The facts that are not C's own (which exprs vary
 * over the reduction domain, reduction passes) come from @paradox/ir's `kernelFacts`.
 *
 * Reductions run in sequential *passes* over the reduction domain: a reduce expr whose operand
 * depends on another reduce's result (softmax's sum of exp(x - max)) runs in a later pass.
 */
export interface KernelAnalysis {
  kernel: Kernel;
  space: IndexSpace;
  /** Domain points (product of `domain`; 1 for rank 0). */
  domainSize: number;
  /** Reduction points (product of `reduce.shape`; 0 without `reduce`). */
  reduceSize: number;
  hasReduce: boolean;
  /** expr depends on a reduction-axis index, so it is evaluated per reduction point. */
  perReductionPoint: boolean[];
  /** Number of reduction passes that must be complete before the expr can be evaluated. */
  after: number[];
  /** Reduce exprs of each pass, in pass order. */
  passes: number[][];
  domainStores: Store[];
  reductionStores: Store[];
  /** Distinct buffers the kernel touches, in first-use order (the kernel's parameters). */
  buffers: BufferDecl[];
  stored: Set<number>;
  /** Some index or size exceeds int32: the kernel uses 64-bit index math. */
  wide: boolean;
}

const INT32_MAX = 2147483647;
/** Headroom for grid-stride counters (i + blockDim * gridDim must not overflow). */
const STRIDE_HEADROOM = 1 << 24;

export function analyzeKernel(
  kernel: Kernel,
  program: KernelProgram,
  _position: number,
  forceWide = false,
): KernelAnalysis {
  const reduceShape = kernel.reduce?.shape ?? [];
  const space: IndexSpace = { domain: kernel.domain, reduce: reduceShape };
  const facts = kernelFacts(kernel);
  const decls = new Map(program.buffers.map((b) => [b.id, b]));
  const buffers: BufferDecl[] = [];
  const useBuffer = (id: number): void => {
    const decl = decls.get(id)!;
    if (!buffers.includes(decl)) buffers.push(decl);
  };
  const indexExprs: IndexExpr[] = [];
  for (const e of kernel.exprs) {
    if (e.op === 'load') useBuffer(e.buffer);
    indexExprs.push(...exprIndices(e));
  }
  const stored = new Set<number>();
  for (const s of kernel.stores) {
    useBuffer(s.buffer);
    stored.add(s.buffer);
    indexExprs.push(s.index);
  }

  const passes: number[][] = Array.from({ length: facts.passes }, () => []);
  kernel.exprs.forEach((e, i) => {
    if (e.op === 'reduce') passes[facts.after[i]! - 1]!.push(i);
  });

  const domainSize = kernel.domain.reduce((a, b) => a * b, 1);
  const reduceSize = kernel.reduce ? reduceShape.reduce((a, b) => a * b, 1) : 0;
  const wide =
    forceWide ||
    domainSize + STRIDE_HEADROOM > INT32_MAX ||
    reduceSize + STRIDE_HEADROOM > INT32_MAX ||
    buffers.some((b) => b.size > INT32_MAX) ||
    !indexExprs.every((e) => indexFitsInt32(e, space));

  return {
    kernel,
    space,
    domainSize,
    reduceSize,
    hasReduce: kernel.reduce !== undefined,
    perReductionPoint: facts.rdep,
    after: facts.after,
    passes,
    domainStores: kernel.stores.filter((s) => (s.phase ?? 'domain') === 'domain'),
    reductionStores: kernel.stores.filter((s) => s.phase === 'reduction'),
    buffers,
    stored,
    wide,
  };
}
