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
import { dotTileable, renderDotTiles } from './matmul_dot.js';
import { batchBase, lhsInPlace, matmulSizes, maxPass, rhsInPlace } from './matmul_operands.js';
import { packA, packRows, packTail } from './matmul_packs.js';
import { MAX_MR, MAX_NR } from './matmul_prelude.js';
import { renderInPlaceTiles } from './matmul_region.js';
import { renderTile, tileShape } from './micro_kernel.js';

export { MATMUL_PRELUDE } from './matmul_prelude.js';

/** Pack buffers above this many floats per kernel fall back to the reduction template. */
const MAX_PACK = 1 << 26;
/**
 * Batches whose packs fit this many floats run one per thread (each thread its own pack buffers)
 * instead of spreading each batch's small loops over threads, which would fork and join several
 * times per batch (a convolution's images).
 */
const BATCH_PACK = 1 << 16;
/** Threads of a batch-parallel kernel (its pack buffers are static, one per thread). */
const BATCH_THREADS = 8;
/**
 * Multiply-adds from which a matmul's tiles are spread over threads: about 36 us of one core's
 * FMAs (AVX-512), so half of it saves more than waking a sleeping OpenMP worker costs (15-40 us on
 * the VMs measured). Below it (W2's 512 -> 10 layer: 1.3M) the tiles run on the calling thread,
 * which measured faster than two threads.
 */
const PARALLEL_MACS = 1 << 22;

/** A float32 contraction (matmul, or convolution as an implicit GEMM) the micro-kernel handles, or undefined. */
export function tileableMatmul(analysis: KernelAnalysis): ContractionShape | undefined {
  const shape = tileableContraction(analysis);
  if (!shape || analysis.kernel.exprs[shape.acc]!.dtype !== 'float32') return undefined;
  const { M, N, K } = matmulSizes(analysis, shape);
  if ((M + MAX_MR) * K > MAX_PACK || (N + MAX_NR) * K > MAX_PACK) return undefined;
  return shape;
}

/**
 * Register-blocked matmul with the epilogue fused, per batch point. Operands that are strided
 * loads are read in place (B's rows are NR contiguous floats per panel, A is broadcast from its
 * rows); others are packed through their load expression (views, guards and fused prologues work
 * unchanged): B row-major into [K][NP x NR] (a convolution's im2col), A into panels of MR rows; a
 * B read in place packs only a partial last panel. Each MR x NR tile accumulates over all of K in
 * vector accumulators (one broadcast of A times the vectors of B per row and k: FMAs), and the
 * epilogue (`relu(acc + bias)`) runs on the tile before its stores. Tiles are spread over threads.
 */
export function renderMatmul(frame: CFrame, ctx: EmitContext, shape: ContractionShape): Lines {
  const { analysis } = ctx;
  const { kernel } = analysis;
  const I = frame.indexType;
  const lit = frame.literal;
  const reduceShape = kernel.reduce!.shape;
  const batchExtents = kernel.domain.slice(0, shape.m);
  const sizes = matmulSizes(analysis, shape);
  const { M, N, K } = sizes;
  const name = frame.name;
  const tile = tileShape(N);
  const { mr, nr } = tile;
  const aInPlace = lhsInPlace(shape, reduceShape);
  const ldbInPlace = rhsInPlace(shape, reduceShape);

  const { batchVars, lhs: lhsLines, rhs: rhsLines, epilogue } = stageContraction(ctx, shape, 'tile[ii][jj]');
  const aBase = shape.lhsLoad && aInPlace ? batchBase(shape.lhsLoad, shape, batchVars, lit) : '';
  const bBase =
    shape.rhsLoad && ldbInPlace !== undefined ? batchBase(shape.rhsLoad, shape, batchVars, lit) : '';

  // Floats per pack buffer (at least 1: an empty K still declares the buffers its loops name).
  const aPack = aInPlace ? 0 : Math.max(1, (M + MAX_MR) * K);
  const bPack = Math.max(1, ldbInPlace !== undefined ? MAX_NR * K : (N + MAX_NR) * K);
  const byBatch =
    sizes.batches > 1 && aPack + bPack <= BATCH_PACK && sizes.batches * M * N * K >= PARALLEL_MIN_WORK;
  const copies = byBatch ? BATCH_THREADS : 1;
  const parallel = !byBatch && M * N * K >= PARALLEL_MACS;
  const out = new Lines();
  if (aPack) out.push(`static float ${name}_pa[${copies * aPack}] __attribute__((aligned(64)));`);
  out.push(`static float ${name}_pb[${copies * bPack}] __attribute__((aligned(64)));`);
  out.block(frame.signature, () => {
    if (analysis.domainSize === 0) return;
    out.push(`const ${I} NP = (${lit(N)} + ${nr} - 1) / ${nr}, MP = (${lit(M)} + ${mr} - 1) / ${mr};`);
    // Panels read from B in place, or from the packed rows (all of them, padded); and their row stride.
    out.push(`const ${I} NF = ${ldbInPlace !== undefined ? `${lit(N)} / ${nr}` : 'NP'};`);
    out.push(`const ${I} LDB = ${ldbInPlace !== undefined ? lit(ldbInPlace) : `NP * ${nr}`};`);
    if (byBatch)
      out.push(
        `#pragma omp parallel for schedule(static) num_threads(px_threads < ${copies} ? px_threads : ${copies})`,
      );
    out.block(`for (${I} batch = 0; batch < ${lit(sizes.batches)}; ++batch)`, () => {
      declareAxes(out, batchExtents, batchVars.axes, 'batch', 'a', I, lit);
      const copy = byBatch ? ' + PX_THREAD' : '';
      if (aPack) out.push(`float* const PA = ${name}_pa${copy ? `${copy} * ${aPack}` : ''};`);
      out.push(`float* const PB = ${name}_pb${copy ? `${copy} * ${bPack}` : ''};`);
      if (dotTileable(shape, sizes, aInPlace)) {
        out.push(`const float* A = ${frame.param(shape.lhsLoad!.buffer)} + (${aBase});`);
        renderDotTiles(out, frame, parallel, sizes, aInPlace!, rhsLines, epilogue);
        return;
      }
      if (aInPlace && ldbInPlace !== undefined) {
        out.push(`const float* A = ${frame.param(shape.lhsLoad!.buffer)} + (${aBase});`);
        out.push(`const float* B = ${frame.param(shape.rhsLoad!.buffer)} + (${bBase});`);
        out.push('unsigned mub = 0u;');
        packTail(out, frame, sizes, tile, rhsLines);
        renderInPlaceTiles(out, frame, parallel, sizes, aInPlace, { tile, epilogue });
        return;
      }
      // Largest |element| of each operand as float bits: decides below whether FMAs are exact enough.
      out.push('unsigned mua = 0u, mub = 0u;');
      if (aInPlace) {
        out.push(`const float* A = ${frame.param(shape.lhsLoad!.buffer)} + (${aBase});`);
        maxPass(out, frame, parallel, 'mua', 'A', [M, aInPlace.rowStride], [K, aInPlace.kStride]);
      } else packA(out, frame, parallel, sizes, tile, lhsLines);
      if (ldbInPlace !== undefined) {
        out.push(`const float* B = ${frame.param(shape.rhsLoad!.buffer)} + (${bBase});`);
        maxPass(out, frame, parallel, 'mub', 'B', [K, ldbInPlace], [N, 1]);
        packTail(out, frame, sizes, tile, rhsLines);
      } else {
        out.push('const float* B = PB;');
        packRows(
          out,
          frame,
          parallel,
          sizes,
          shape,
          shape.n.map((a) => kernel.domain[a]!),
          rhsLines,
        );
      }
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
          b: `jp < NF ? B + jp * ${nr} : PB`,
          ldb: `jp < NF ? LDB : ${nr}`,
          a: aInPlace ? { rows: 'A', ...aInPlace } : { packed: `PA + ip * ${lit(K)} * ${mr}` },
          epilogue,
        });
      });
    });
  });
  return out;
}
