import type { ContractionShape, KernelAnalysis, Lines, LoopVars } from '@paradox/codegen-c/render';
import type { AffineLoad } from '@paradox/ir';
import { type CFrame, PARALLEL_FOR } from './frame.js';

/**
 * How the micro-kernel reads one operand. A strided load (ir's `affineLoad`) is read in place:
 * the weights of `x @ w` are a run input, so a per-run copy of them into panels costs as much
 * memory traffic as the matmul's own reads. Anything else (guarded views, fused prologues) is
 * packed through its load expression. Either way one pass folds `max |x|` (as bit patterns, in
 * vector lanes) into `mu<side>`, which decides whether the FMAs are exact enough.
 */
export interface OperandCode {
  /** Read in place (strided), not packed. */
  direct: boolean;
  /** Per batch, before the tiles: the pass that folds the max (and packs when needed). */
  prepare: Lines;
  /** Floats of the kernel's static pack buffer for this operand (0: none). */
  packFloats: number;
}

export interface MatmulSizes {
  M: number;
  N: number;
  K: number;
}

/** `mu = max(mu, |value| as bits)`: NaN patterns lie above Inf's. */
export const foldMax = (mu: string, value: string) =>
  `{ const unsigned u = px_f_bits(${value}) & 0x7fffffffu; ${mu} = u > ${mu} ? u : ${mu}; }`;

/** `base + sum stride * batch axis` of an affine load, the batch axis variables recorded in `vars`. */
export function batchBase(
  load: AffineLoad,
  batchAxes: number,
  vars: LoopVars,
  lit: (v: number) => string,
): string {
  const terms = [lit(load.form.c)];
  for (let a = 0; a < batchAxes; a++) {
    const s = load.form.ax[a] ?? 0;
    if (s !== 0) terms.push(`${vars.axis(a)} * ${lit(s)}`);
  }
  return terms.join(' + ');
}

/** Whether the lhs (rows m, reduction k) is read in place. */
export function lhsDirect(shape: ContractionShape): boolean {
  return shape.lhsLoad !== undefined && shape.lhsLoad.form.rx.length === 1;
}

/** Whether the rhs is read in place: its n stride must be 1 (a panel row is NR contiguous floats). */
export function rhsDirect(shape: ContractionShape): boolean {
  const f = shape.rhsLoad?.form;
  return f !== undefined && f.rx.length === 1 && f.ax[shape.n] === 1;
}

/** A max pass over rows of a strided operand: `rows` x `cols` at `base + row * rs + col * cs`. */
export function maxPass(
  out: Lines,
  frame: CFrame,
  parallel: boolean,
  mu: string,
  pointer: string,
  rows: number,
  rowStride: number,
  cols: number,
  colStride: number,
): void {
  const I = frame.indexType;
  const lit = frame.literal;
  if (parallel) out.push(`${PARALLEL_FOR} reduction(max:${mu})`);
  out.block(`for (${I} r = 0; r < ${lit(rows)}; ++r)`, () => {
    out.push(`const float* row = ${pointer} + r * ${lit(rowStride)};`);
    out.push(`#pragma omp simd reduction(max:${mu})`);
    out.block(`for (${I} c = 0; c < ${lit(cols)}; ++c)`, () =>
      out.push(foldMax(mu, `row[c * ${lit(colStride)}]`)),
    );
  });
}

/** Sizes of a contraction kernel's M, N and K. */
export function matmulSizes(analysis: KernelAnalysis, shape: ContractionShape): MatmulSizes {
  const { domain } = analysis.kernel;
  return { M: domain[shape.m]!, N: domain[shape.n]!, K: analysis.kernel.reduce!.shape[0]! };
}
