import { type ContractionShape, columnName, type Lines } from '@paradox/codegen-c/render';
import { type CFrame, PARALLEL_FOR } from './frame.js';
import { foldMax, type MatmulSizes } from './matmul_operands.js';
import type { TileShape } from './micro_kernel.js';

// The packs write through `PA` and `PB`: this batch's (this thread's) pack buffers.

/** Packs A into panels of MR rows ([panel][k][MR]), rows past M zero, folding max |a| into `mua`. */
export function packA(
  out: Lines,
  frame: CFrame,
  parallel: boolean,
  { M, K }: MatmulSizes,
  { mr }: TileShape,
  lhs: Lines,
): void {
  const I = frame.indexType;
  const lit = frame.literal;
  if (parallel) out.push(`${PARALLEL_FOR} reduction(max:mua)`);
  out.block(`for (${I} ip = 0; ip < MP; ++ip)`, () => {
    out.block(`for (int ii = 0; ii < ${mr}; ++ii)`, () => {
      out.push(`const ${I} m = ip * ${mr} + ii;`);
      out.push('#pragma omp simd reduction(max:mua)');
      out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () => {
        out.push('float value = 0.0f;');
        out.block(`if (m < ${lit(M)})`, () => out.append(lhs));
        out.push(`PA[(ip * ${lit(K)} + k) * ${mr} + ii] = value;`, foldMax('mua', 'value'));
      });
    });
  });
}

/**
 * Packs all of B row-major ([k][NP x NR], the columns past N zero), then folds max |b| into `mub`:
 * the tiles then read it as they read a B in place. One loop per column axis, the innermost a
 * `simd` loop, so a convolution's window (guarded loads along the output row) is copied with
 * vector loads and masks rather than per-element index math (im2col).
 */
export function packRows(
  out: Lines,
  frame: CFrame,
  parallel: boolean,
  { K, N }: MatmulSizes,
  shape: ContractionShape,
  extents: readonly number[],
  rhs: Lines,
): void {
  const I = frame.indexType;
  const lit = frame.literal;
  if (parallel) out.push(PARALLEL_FOR);
  out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () => {
    out.push('float* to = PB + k * LDB;');
    const loop = (j: number, flat: string): void => {
      const name = columnName(shape, shape.n[j]!);
      const next = j === 0 ? name : `(${flat}) * ${lit(extents[j]!)} + ${name}`;
      if (j === extents.length - 1) out.push('#pragma omp simd');
      out.block(`for (${I} ${name} = 0; ${name} < ${lit(extents[j]!)}; ++${name})`, () => {
        if (j < extents.length - 1) return loop(j + 1, next);
        out.push('float value;');
        out.append(rhs);
        out.push(`to[${next}] = value;`);
      });
    };
    loop(0, '');
    out.push(`for (${I} n = ${lit(N)}; n < LDB; ++n) to[n] = 0.0f;`);
  });
  // The max over the packed rows in one flat pass (per-row folds of short rows cost a horizontal
  // reduction each).
  out.push(
    parallel
      ? `${PARALLEL_FOR.replace('parallel for', 'parallel for simd')} reduction(max:mub)`
      : '#pragma omp simd reduction(max:mub)',
  );
  out.block(`for (${I} i = 0; i < ${lit(K)} * LDB; ++i)`, () => out.push(foldMax('mub', 'PB[i]')));
}

/** Packs the partial last panel of a B read in place ([k][NR], columns past N zero), folding its max. */
export function packTail(
  out: Lines,
  frame: CFrame,
  { N, K }: MatmulSizes,
  { nr }: TileShape,
  rhs: Lines,
): void {
  const I = frame.indexType;
  const lit = frame.literal;
  out.block(`if (NF < NP) for (${I} k = 0; k < ${lit(K)}; ++k)`, () => {
    out.push('#pragma omp simd reduction(max:mub)');
    out.block(`for (int jj = 0; jj < ${nr}; ++jj)`, () => {
      out.push(`const ${I} n = NF * ${nr} + jj;`, 'float value = 0.0f;');
      out.block(`if (n < ${lit(N)})`, () => out.append(rhs));
      out.push(`PB[k * ${nr} + jj] = value;`, foldMax('mub', 'value'));
    });
  });
}
