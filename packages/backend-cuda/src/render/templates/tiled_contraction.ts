import type { ContractionShape, KernelAnalysis } from '@paradox/codegen-c/render';
import {
  binarySyntax,
  constLiteral,
  declareAxes,
  type EmitContext,
  Lines,
  registerType,
  stageContraction,
} from '@paradox/codegen-c/render';
import type { KernelFrame } from '../kernel_frame.js';
import type { KernelTemplate } from './template.js';

/** Tile shape: a 16x16 thread block computes a 64x64 output tile, 4x4 per thread, K in steps of 16. */
const TILE = 64;
const STEP = 16;
const SIDE = 16;
const MICRO = TILE / SIDE;
const MAX_GRID_YZ = 65535;

/**
 * Shared-memory tiled matmul with the epilogue fused: each step stages a 64x16 slice of lhs and
 * a 16x64 slice of rhs (each element computed by its load expression, so views, guards and
 * fused prologues work unchanged), then every thread accumulates a 4x4 micro-tile with rows
 * ty + 16i and columns tx + 16j (conflict-free shared reads). The epilogue exprs and stores run
 * per output element with the accumulator bound to the reduce expr.
 */
export function tiledContraction(
  analysis: KernelAnalysis,
  frame: KernelFrame,
  ctx: EmitContext,
  shape: ContractionShape,
): KernelTemplate {
  const { kernel } = analysis;
  const dtype = kernel.exprs[shape.acc]!.dtype;
  const T = registerType(dtype);
  const I = frame.indexType;
  const lit = frame.literal;
  const rank = kernel.domain.length;
  const batchExtents = kernel.domain.slice(0, rank - 2);
  const M = kernel.domain[shape.m]!;
  const N = kernel.domain[shape.n[0]!]!;
  const K = kernel.reduce!.shape[0]!;
  const B = batchExtents.reduce((a, b) => a * b, 1);
  const zero = constLiteral(0, dtype, ctx.dialect);
  const add = (a: string, b: string): string => binarySyntax('add', a, b, dtype).text;
  const mul = (a: string, b: string): string => binarySyntax('mul', a, b, dtype).text;

  const { batchVars, lhs: lhsLines, rhs: rhsLines, epilogue } = stageContraction(ctx, shape, 'acc[i][j]');

  const out = new Lines();
  const tilesM = Math.ceil(M / TILE);
  out.block(frame.signature(SIDE * SIDE), () => {
    out.push(
      `__shared__ ${T} lhs_tile[${STEP}][${TILE}];`,
      `__shared__ ${T} rhs_tile[${STEP}][${TILE}];`,
      'const int tx = threadIdx.x, ty = threadIdx.y, tid = ty * ' + SIDE + ' + tx;',
    );
    out.block(`for (${I} batch = blockIdx.z; batch < ${lit(B)}; batch += gridDim.z)`, () => {
      declareAxes(out, batchExtents, batchVars.axes, 'batch', 'a', I, lit);
      out.block(`for (${I} tile_m = blockIdx.y; tile_m < ${lit(tilesM)}; tile_m += gridDim.y)`, () => {
        out.push(`const ${I} m0 = tile_m * ${lit(TILE)}, n0 = (${I})blockIdx.x * ${lit(TILE)};`);
        out.push(`${T} acc[${MICRO}][${MICRO}];`);
        out.push(
          `for (int i = 0; i < ${MICRO}; ++i) for (int j = 0; j < ${MICRO}; ++j) acc[i][j] = ${zero};`,
        );
        out.block(`for (${I} k0 = 0; k0 < ${lit(K)}; k0 += ${STEP})`, () => {
          out.block(`for (int e = tid; e < ${TILE * STEP}; e += ${SIDE * SIDE})`, () => {
            out.push(`const int mm = e / ${STEP}, kk = e % ${STEP};`);
            out.push(`const ${I} m = m0 + mm, k = k0 + kk;`);
            out.push(`${T} value = ${zero};`);
            out.block(`if (m < ${lit(M)} && k < ${lit(K)})`, () => out.append(lhsLines));
            out.push('lhs_tile[kk][mm] = value;');
          });
          out.block(`for (int e = tid; e < ${TILE * STEP}; e += ${SIDE * SIDE})`, () => {
            out.push(`const int kk = e / ${TILE}, nn = e % ${TILE};`);
            out.push(`const ${I} k = k0 + kk, n = n0 + nn;`);
            out.push(`${T} value = ${zero};`);
            out.block(`if (k < ${lit(K)} && n < ${lit(N)})`, () => out.append(rhsLines));
            out.push('rhs_tile[kk][nn] = value;');
          });
          out.push('__syncthreads();');
          out.block(`for (int kk = 0; kk < ${STEP}; ++kk)`, () => {
            out.push(`${T} a[${MICRO}], b[${MICRO}];`);
            out.push(`for (int i = 0; i < ${MICRO}; ++i) a[i] = lhs_tile[kk][ty + ${SIDE} * i];`);
            out.push(`for (int j = 0; j < ${MICRO}; ++j) b[j] = rhs_tile[kk][tx + ${SIDE} * j];`);
            out.push(
              `for (int i = 0; i < ${MICRO}; ++i) for (int j = 0; j < ${MICRO}; ++j) acc[i][j] = ${add('acc[i][j]', mul('a[i]', 'b[j]'))};`,
            );
          });
          out.push('__syncthreads();');
        });
        out.block(`for (int i = 0; i < ${MICRO}; ++i)`, () => {
          out.block(`for (int j = 0; j < ${MICRO}; ++j)`, () => {
            out.push(`const ${I} m = m0 + ty + ${SIDE} * i, n = n0 + tx + ${SIDE} * j;`);
            out.block(`if (m < ${lit(M)} && n < ${lit(N)})`, () => out.append(epilogue));
          });
        });
      });
    });
  });
  return {
    strategy: 'tiled-contraction',
    body: out,
    grid: [Math.ceil(N / TILE), Math.min(tilesM, MAX_GRID_YZ), Math.min(B, MAX_GRID_YZ)],
    block: [SIDE, SIDE, 1],
    cooperative: true,
  };
}
