import { type AffineLoad, affineLoad, contractionView } from '@paradox/ir';
import type { KernelAnalysis } from './analysis.js';
import { indexLiteral } from './c_family.js';
import { type EmitContext, ExprEmitter } from './emitter.js';
import type { IndexNames } from './index_expr.js';
import { LoopVars } from './loop_vars.js';
import { Lines } from './source_writer.js';

/** The parts of a contraction kernel the tiled template needs (ir's `contractionView`, plus operand layouts). */
export interface ContractionShape {
  lhs: number;
  rhs: number;
  acc: number;
  /** Row axis; batch axes are the ones before it. */
  m: number;
  /** Column axes (every axis after m), flattened row-major into the column index `n`. */
  n: number[];
  /** The epilogue reads the column axes only as their flat position (ir's ContractionView). */
  flatColumns: boolean;
  /** The operands as strided loads (ir's `affineLoad`), when they are: a template may read them in place. */
  lhsLoad?: AffineLoad;
  rhsLoad?: AffineLoad;
}

/**
 * The kernel as a tiled contraction (a matmul, or a convolution as an implicit GEMM; see ir's
 * `contractionView`), or undefined (the kernel is then rendered by a generic reduction template,
 * which is always correct). Only domain-phase stores; the reduction domain is flattened into K.
 */
export function tileableContraction(analysis: KernelAnalysis): ContractionShape | undefined {
  const { kernel } = analysis;
  if (kernel.kind !== 'contraction' && kernel.kind !== 'reduce') return undefined;
  const view = contractionView(kernel);
  if (!view || analysis.passes.length !== 1 || analysis.passes[0]!.length !== 1) return undefined;
  const lhsLoad = affineLoad(kernel, view.lhs);
  const rhsLoad = affineLoad(kernel, view.rhs);
  return { ...view, lhsLoad, rhsLoad };
}

/** A contraction's operand and epilogue code, for a template to place in its loops. */
export interface StagedContraction {
  /** Batch axis variables the code uses (`a<k>`, to declare from the flat `batch` index). */
  batchVars: LoopVars;
  /** `value = <lhs element>;` for row `m` and flat reduction index `k`. */
  lhs: Lines;
  /**
   * `value = <rhs element>;` for flat reduction index `k` and the column axes: `n` when there is
   * one, else `n<axis>` per column axis (the template's loops name them).
   */
  rhs: Lines;
  /** The epilogue exprs and stores of output element (`m`, flat column `n`), the accumulator named `accumulator`. */
  epilogue: Lines;
}

/** C name of column axis `axis` in staged code. */
export function columnName(shape: ContractionShape, axis: number): string {
  return shape.n.length === 1 ? 'n' : `n${axis}`;
}

/**
 * Renders the parts every tiled contraction template shares: each operand element through the
 * operand's own load expression (so views, guards and fused prologues work unchanged), and the
 * epilogue per output element. Loop variables: `m`, `n` (or `n<axis>`), `k`, batch axes from
 * `batchVars`; reduction axes are declared from the flat `k`, and in the epilogue column axes
 * from the flat `n` (or, with `flatColumns`, the flat `n` stands for them all).
 */
export function stageContraction(
  ctx: EmitContext,
  shape: ContractionShape,
  accumulator: string,
): StagedContraction {
  const { kernel } = ctx.analysis;
  const { wide } = ctx.analysis;
  const I = wide ? 'long long' : 'int';
  const lit = (v: number) => indexLiteral(v, wide);
  const reduceShape = kernel.reduce!.shape;
  const batchVars = new LoopVars();
  const last = shape.n[shape.n.length - 1]!;
  // Column axes: named by the pack's loops, unused by the lhs, or (flat epilogue) the flat n for
  // the last axis and 0 for the others.
  const names = (m: string, columns: boolean | 'flat', raxes: Set<number>): IndexNames => ({
    axis: (a) => {
      if (a === shape.m) return m;
      if (!shape.n.includes(a)) return batchVars.axis(a);
      if (columns === 'flat') return a === last ? 'n' : '0';
      return columns ? columnName(shape, a) : 'n_unused';
    },
    raxis: (r) => {
      raxes.add(r);
      return reduceShape.length === 1 ? 'k' : `r${r}`;
    },
  });
  const stage = (expr: number, m: string, columns: boolean): Lines => {
    const raxes = new Set<number>();
    const body = new Lines();
    const emitter = new ExprEmitter(ctx, body, names(m, columns, raxes));
    body.push(`value = ${emitter.value(expr)};`);
    const lines = new Lines();
    if (reduceShape.length > 1) declareFlat(lines, reduceShape, raxes, 'k', 'r', I, lit);
    return lines.append(body);
  };
  const lhs = stage(shape.lhs, 'm', false);
  const rhs = stage(shape.rhs, 'm_unused', true);
  const epilogue = new Lines();
  const body = new Lines();
  const epi = new ExprEmitter(ctx, body, names('m', shape.flatColumns ? 'flat' : true, new Set()));
  epi.bind(shape.acc, accumulator);
  for (const s of ctx.analysis.domainStores) epi.store(s);
  if (shape.n.length > 1 && !shape.flatColumns) {
    const extents = shape.n.map((a) => kernel.domain[a]!);
    declareFlat(epilogue, extents, new Set(extents.map((_, i) => i)), 'n', 'n', I, lit, shape.n[0]!);
  }
  epilogue.append(body);
  return { batchVars, lhs, rhs, epilogue };
}

/** `const T <prefix><first + j> = flat / stride_j % extent_j;` for each used j of a row-major shape. */
function declareFlat(
  out: Lines,
  extents: readonly number[],
  used: ReadonlySet<number>,
  flat: string,
  prefix: string,
  I: string,
  lit: (v: number) => string,
  first = 0,
): void {
  let stride = 1;
  const strides = extents.map(() => 0);
  for (let j = extents.length - 1; j >= 0; j--) {
    strides[j] = stride;
    stride *= extents[j]!;
  }
  for (const j of [...used].sort((x, y) => x - y)) {
    const div = strides[j] === 1 ? flat : `${flat} / ${lit(strides[j]!)}`;
    const text = j === 0 ? div : `(${div}) % ${lit(extents[j]!)}`;
    out.push(`const ${I} ${prefix}${first + j} = ${text};`);
  }
}
