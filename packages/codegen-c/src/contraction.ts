import { type AffineLoad, affineLoad, exprCone, exprIndices, forEachLeaf, type Kernel } from '@paradox/ir';
import type { KernelAnalysis } from './analysis.js';
import { type EmitContext, ExprEmitter } from './emitter.js';
import type { IndexNames } from './index_expr.js';
import { LoopVars } from './loop_vars.js';
import { Lines } from './source_writer.js';

/** The parts of a contraction kernel the tiled template needs, or why it cannot be tiled. */
export interface ContractionShape {
  lhs: number;
  rhs: number;
  acc: number;
  m: number;
  n: number;
  /** The operands as strided loads (ir's `affineLoad`), when they are: a template may read them in place. */
  lhsLoad?: AffineLoad;
  rhsLoad?: AffineLoad;
}

/**
 * Checks that a contraction kernel has the shape the tiled template assumes: one sum over one
 * reduction axis (K) of lhs * rhs, lhs independent of N, rhs independent of M, nothing else
 * per reduction point, and only domain-phase stores. Returns undefined otherwise (the kernel is
 * then rendered by a generic reduction template, which is always correct).
 */
export function tileableContraction(analysis: KernelAnalysis): ContractionShape | undefined {
  const { kernel } = analysis;
  const c = kernel.contraction;
  const rank = kernel.domain.length;
  if (!c || kernel.kind !== 'contraction' || rank < 2 || kernel.reduce?.shape.length !== 1) return undefined;
  if (c.m !== rank - 2 || c.n !== rank - 1) return undefined;
  if (analysis.reductionStores.length > 0 || analysis.passes.length !== 1 || analysis.passes[0]!.length !== 1)
    return undefined;
  const acc = kernel.exprs[c.acc];
  if (acc?.op !== 'reduce' || acc.fn !== 'sum' || analysis.passes[0]![0] !== c.acc) return undefined;
  const product = kernel.exprs[acc.a];
  if (product?.op !== 'binary' || product.fn !== 'mul') return undefined;
  if (!((product.a === c.lhs && product.b === c.rhs) || (product.a === c.rhs && product.b === c.lhs)))
    return undefined;
  const dtype = acc.dtype;
  if (product.dtype !== dtype || kernel.exprs[c.lhs]?.dtype !== dtype || kernel.exprs[c.rhs]?.dtype !== dtype)
    return undefined;
  if (dtype === 'bool') return undefined;
  if (axesUsed(kernel, c.lhs).has(c.n) || axesUsed(kernel, c.rhs).has(c.m)) return undefined;
  const lhsLoad = affineLoad(kernel, c.lhs);
  const rhsLoad = affineLoad(kernel, c.rhs);
  return { lhs: c.lhs, rhs: c.rhs, acc: c.acc, m: c.m, n: c.n, lhsLoad, rhsLoad };
}

/** Domain axes the index expressions of `root` and everything it depends on use. */
function axesUsed(kernel: Kernel, root: number): Set<number> {
  const axes = new Set<number>();
  for (const i of exprCone(kernel, root)) {
    for (const index of exprIndices(kernel.exprs[i]!)) {
      forEachLeaf(index, (leaf) => {
        if (leaf.k === 'axis') axes.add(leaf.axis);
      });
    }
  }
  return axes;
}

/** A contraction's operand and epilogue code, for a template to place in its loops. */
export interface StagedContraction {
  /** Batch axis variables the code uses (`a<k>`, to declare from the flat `batch` index). */
  batchVars: LoopVars;
  /** `value = <lhs element>;` for row `m` and reduction index `k`. */
  lhs: Lines;
  /** `value = <rhs element>;` for reduction index `k` and column `n`. */
  rhs: Lines;
  /** The epilogue exprs and stores of output element (`m`, `n`), the accumulator named `accumulator`. */
  epilogue: Lines;
}

/**
 * Renders the parts every tiled contraction template shares: each operand element through the
 * operand's own load expression (so views, guards and fused prologues work unchanged), and the
 * epilogue per output element. Loop variables: `m`, `n`, `k`, batch axes from `batchVars`.
 */
export function stageContraction(
  ctx: EmitContext,
  shape: ContractionShape,
  accumulator: string,
): StagedContraction {
  const batchVars = new LoopVars();
  const names = (m: string, n: string): IndexNames => ({
    axis: (a) => (a === shape.m ? m : a === shape.n ? n : batchVars.axis(a)),
    raxis: () => 'k',
  });
  const stage = (expr: number, m: string, n: string): Lines => {
    const lines = new Lines();
    const emitter = new ExprEmitter(ctx, lines, names(m, n));
    lines.push(`value = ${emitter.value(expr)};`);
    return lines;
  };
  const lhs = stage(shape.lhs, 'm', 'n_unused');
  const rhs = stage(shape.rhs, 'm_unused', 'n');
  const epilogue = new Lines();
  const epi = new ExprEmitter(ctx, epilogue, names('m', 'n'));
  epi.bind(shape.acc, accumulator);
  for (const s of ctx.analysis.domainStores) epi.store(s);
  return { batchVars, lhs, rhs, epilogue };
}
