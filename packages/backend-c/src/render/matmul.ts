import {
  type ContractionShape,
  declareAxes,
  type EmitContext,
  type KernelAnalysis,
  Lines,
  stageContraction,
  tileableContraction,
} from '@paradox/codegen-c/render';
import { type CFrame, PARALLEL_FOR, PARALLEL_MIN_WORK } from './frame.js';
import {
  batchBase,
  foldMax,
  lhsDirect,
  type MatmulSizes,
  matmulSizes,
  maxPass,
  rhsDirect,
} from './matmul_operands.js';
import { MAX_MR, MAX_NR } from './matmul_prelude.js';
import { renderTile, type TileShape, tileShape } from './micro_kernel.js';

export { MATMUL_PRELUDE } from './matmul_prelude.js';

/** Pack buffers above this many floats per kernel fall back to the reduction template. */
const MAX_PACK = 1 << 26;

/** A float32 contraction the packed micro-kernel handles, or undefined. */
export function tileableMatmul(analysis: KernelAnalysis): ContractionShape | undefined {
  const shape = tileableContraction(analysis);
  if (!shape || analysis.kernel.exprs[shape.acc]!.dtype !== 'float32') return undefined;
  const { M, N, K } = matmulSizes(analysis, shape);
  if ((M + MAX_MR) * K > MAX_PACK || Math.ceil(N / MAX_NR) * MAX_NR * K > MAX_PACK) return undefined;
  return shape;
}

/**
 * Register-blocked matmul with the epilogue fused, per batch. Operands that are strided loads are
 * read in place (B's rows are NR contiguous floats per panel, A is broadcast from its rows); others
 * are packed through their load expression (views, guards and fused prologues work unchanged): B
 * into panels of NR columns ([panel][k][NR], zero-padded; a direct B packs only a partial last
 * panel), A into panels of MR rows ([panel][k][MR]). Each MR x NR tile accumulates over all of K in
 * 2 x MR native vector accumulators (one broadcast of A times two vectors of B per row and k: FMAs),
 * and the epilogue (`relu(acc + bias)`) runs on the tile before its stores. Tiles are spread over
 * threads.
 */
export function renderMatmul(frame: CFrame, ctx: EmitContext, shape: ContractionShape): Lines {
  const { analysis } = ctx;
  const { kernel } = analysis;
  const I = frame.indexType;
  const lit = frame.literal;
  const rank = kernel.domain.length;
  const batchExtents = kernel.domain.slice(0, rank - 2);
  const batches = batchExtents.reduce((a, b) => a * b, 1);
  const sizes = matmulSizes(analysis, shape);
  const { M, N, K } = sizes;
  const name = frame.name;
  const tile = tileShape(N);
  const { mr, nr } = tile;
  const aDirect = lhsDirect(shape);
  const bDirect = rhsDirect(shape);

  const { batchVars, lhs: lhsLines, rhs: rhsLines, epilogue } = stageContraction(ctx, shape, 'tile[ii][jj]');
  const aBase = aDirect ? batchBase(shape.lhsLoad!, rank - 2, batchVars, lit) : '';
  const bBase = bDirect ? batchBase(shape.rhsLoad!, rank - 2, batchVars, lit) : '';
  const aParam = aDirect ? frame.param(shape.lhsLoad!.buffer) : '';
  const bParam = bDirect ? frame.param(shape.rhsLoad!.buffer) : '';

  const parallel = M * N * K >= PARALLEL_MIN_WORK;
  const out = new Lines();
  if (!aDirect) out.push(`static float ${name}_pa[${(M + MAX_MR) * K || 1}] __attribute__((aligned(64)));`);
  const bPack = bDirect ? MAX_NR * K : Math.ceil(N / MAX_NR) * MAX_NR * K;
  out.push(`static float ${name}_pb[${bPack || 1}] __attribute__((aligned(64)));`);
  out.block(frame.signature, () => {
    if (analysis.domainSize === 0) return;
    out.push(`const ${I} NP = (${lit(N)} + ${nr} - 1) / ${nr}, MP = (${lit(M)} + ${mr} - 1) / ${mr};`);
    // Full B panels read in place (none when B is packed).
    out.push(`const ${I} NF = ${bDirect ? `${lit(N)} / ${nr}` : lit(0)};`);
    out.block(`for (${I} batch = 0; batch < ${lit(batches)}; ++batch)`, () => {
      declareAxes(out, batchExtents, batchVars.axes, 'batch', 'a', I, lit);
      // Largest |element| of each operand as float bits: decides below whether FMAs are exact enough.
      out.push('unsigned mua = 0u, mub = 0u;');
      if (aDirect) {
        out.push(`const float* A = ${aParam} + (${aBase});`);
        const f = shape.lhsLoad!.form;
        maxPass(out, frame, parallel, 'mua', 'A', M, f.ax[shape.m]!, K, f.rx[0]!);
      } else packA(out, frame, parallel, sizes, tile, lhsLines);
      if (bDirect) {
        out.push(`const float* B = ${bParam} + (${bBase});`);
        const f = shape.rhsLoad!.form;
        maxPass(out, frame, parallel, 'mub', 'B', K, f.rx[0]!, N, 1);
      }
      packB(out, frame, parallel, sizes, tile, rhsLines, bDirect);
      // Below 1e38 no product or partial sum can overflow, so a fused multiply-add rounds to the
      // reference's result within tolerance; otherwise each product is rounded before its sum, as
      // the reference does (an overflowing product is Inf, and Inf - Inf is NaN).
      out.push(`const int fused = (double)PX_BOUND(mua) * (double)PX_BOUND(mub) * ${lit(K)}.0 < 1e38;`);
      if (parallel) out.push(PARALLEL_FOR);
      out.block(`for (${I} t = 0; t < NP * MP; ++t)`, () => {
        // Consecutive tiles share a B panel, which stays in cache.
        out.push(`const ${I} jp = t / MP, ip = t % MP;`);
        renderTile(out, frame, {
          sizes,
          tile,
          b: bDirect ? `jp < NF ? B + jp * ${nr} : ${name}_pb` : `${name}_pb + jp * ${lit(K)} * ${nr}`,
          ldb: bDirect ? `jp < NF ? ${lit(shape.rhsLoad!.form.rx[0]!)} : ${nr}` : nr,
          a: aDirect
            ? { rows: 'A', rowStride: shape.lhsLoad!.form.ax[shape.m]!, kStride: shape.lhsLoad!.form.rx[0]! }
            : { packed: `${name}_pa + ip * ${lit(K)} * ${mr}` },
          epilogue,
        });
      });
    });
  });
  return out;
}

/** Packs A into panels of MR rows ([panel][k][MR]), rows past M zero, folding max |a|. */
function packA(
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
        out.push(`${frame.name}_pa[(ip * ${lit(K)} + k) * ${mr} + ii] = value;`, foldMax('mua', 'value'));
      });
    });
  });
}

/**
 * Packs B's panels from NF on ([panel - NF][k][NR], columns past N zero): every panel when B is
 * packed (folding max |b|), only a partial last one when B is read in place (its max is folded).
 */
function packB(
  out: Lines,
  frame: CFrame,
  parallel: boolean,
  { N, K }: MatmulSizes,
  { nr }: TileShape,
  rhs: Lines,
  direct: boolean,
): void {
  const I = frame.indexType;
  const lit = frame.literal;
  const loops = () => {
    if (parallel && !direct) out.push(`${PARALLEL_FOR} reduction(max:mub)`);
    out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () => {
      out.block(`for (${I} jp = NF; jp < NP; ++jp)`, () => {
        out.push(direct ? '#pragma omp simd' : '#pragma omp simd reduction(max:mub)');
        out.block(`for (int jj = 0; jj < ${nr}; ++jj)`, () => {
          out.push(`const ${I} n = jp * ${nr} + jj;`, 'float value = 0.0f;');
          out.block(`if (n < ${lit(N)})`, () => out.append(rhs));
          out.push(`${frame.name}_pb[((jp - NF) * ${lit(K)} + k) * ${nr} + jj] = value;`);
          if (!direct) out.push(foldMax('mub', 'value'));
        });
      });
    });
  };
  if (direct) out.block('if (NF < NP)', loops);
  else loops();
}
