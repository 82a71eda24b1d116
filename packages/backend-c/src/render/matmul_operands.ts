import type { ContractionShape, KernelAnalysis, Lines, LoopVars } from '@paradox/codegen-c/render';
import type { AffineLoad } from '@paradox/ir';
import { type CFrame, PARALLEL_FOR } from './frame.js';

// How the micro-kernel reads its operands. A strided load (ir's `affineLoad`) is read in place: the
// weights of `x @ w` are a run input, so a per-run copy of them into panels costs as much memory
// traffic as the matmul's own reads. Anything else (guarded views such as a convolution's window,
// regrouping views, gathers) is packed through its load expression. Either way one pass folds
// `max |x|` (as bit patterns, in vector lanes) into `mu<side>`, which decides whether the FMAs are
// exact enough.

export interface MatmulSizes {
  M: number;
  /** Columns: the product of the column axes. */
  N: number;
  /** The flat reduction domain. */
  K: number;
  /** Batch points: the product of the axes before the row axis. */
  batches: number;
}

/** Sizes of a contraction kernel. */
export function matmulSizes(analysis: KernelAnalysis, shape: ContractionShape): MatmulSizes {
  const { domain, reduce } = analysis.kernel;
  const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
  return {
    M: domain[shape.m]!,
    N: product(shape.n.map((a) => domain[a]!)),
    K: product(reduce!.shape),
    batches: product(domain.slice(0, shape.m)),
  };
}

/** `mu = max(mu, |value| as bits)`: NaN patterns lie above Inf's. */
export const foldMax = (mu: string, value: string) =>
  `{ const unsigned u = px_f_bits(${value}) & 0x7fffffffu; ${mu} = u > ${mu} ? u : ${mu}; }`;

/** `base + sum stride * batch axis` of an affine load, the batch axis variables recorded in `vars`. */
export function batchBase(
  load: AffineLoad,
  shape: ContractionShape,
  vars: LoopVars,
  lit: (v: number) => string,
): string {
  const terms = [lit(load.form.c)];
  for (let a = 0; a < shape.m; a++) {
    const s = load.form.ax[a] ?? 0;
    if (s !== 0) terms.push(`${vars.axis(a)} * ${lit(s)}`);
  }
  return terms.join(' + ');
}

/**
 * The stride of the flat reduction index k in an affine load, when its reduction strides are
 * those of a row-major walk of `reduceShape` (so element k is at `k * stride`), else undefined.
 */
export function flatKStride(load: AffineLoad, reduceShape: readonly number[]): number | undefined {
  const rx = load.form.rx;
  const stride = rx[reduceShape.length - 1] ?? 0;
  let expected = stride;
  for (let j = reduceShape.length - 1; j >= 0; j--) {
    if ((rx[j] ?? 0) !== expected && reduceShape[j]! > 1) return undefined;
    expected *= reduceShape[j]!;
  }
  return stride;
}

/** The lhs read in place: its row stride and flat-k stride, or undefined (packed). */
export function lhsInPlace(
  shape: ContractionShape,
  reduceShape: readonly number[],
): { rowStride: number; kStride: number } | undefined {
  const load = shape.lhsLoad;
  const kStride = load && flatKStride(load, reduceShape);
  return load && kStride !== undefined ? { rowStride: load.form.ax[shape.m] ?? 0, kStride } : undefined;
}

/** The rhs read in place (one column axis of stride 1: a panel row is NR contiguous floats): its row (k) stride. */
export function rhsInPlace(shape: ContractionShape, reduceShape: readonly number[]): number | undefined {
  const load = shape.rhsLoad;
  if (!load || shape.n.length !== 1 || load.form.ax[shape.n[0]!] !== 1) return undefined;
  return flatKStride(load, reduceShape);
}

/** Elements from which a max pass is spread over threads. */
const PARALLEL_PASS = 1 << 17;

/** A max pass over a strided operand: `rows` x `cols` at `pointer + row * rowStride + col * colStride`. */
export function maxPass(
  out: Lines,
  frame: CFrame,
  parallel: boolean,
  mu: string,
  pointer: string,
  [rows, rowStride]: [number, number],
  [cols, colStride]: [number, number],
): void {
  const I = frame.indexType;
  const lit = frame.literal;
  // A pass over a small operand (a dense layer's input) costs less than waking the threads.
  if (parallel && rows * cols >= PARALLEL_PASS) out.push(`${PARALLEL_FOR} reduction(max:${mu})`);
  out.block(`for (${I} r = 0; r < ${lit(rows)}; ++r)`, () => {
    out.push(`const float* row = ${pointer} + r * ${lit(rowStride)};`);
    out.push(`#pragma omp simd reduction(max:${mu})`);
    out.block(`for (${I} c = 0; c < ${lit(cols)}; ++c)`, () =>
      out.push(foldMax(mu, `row[c * ${lit(colStride)}]`)),
    );
  });
}
