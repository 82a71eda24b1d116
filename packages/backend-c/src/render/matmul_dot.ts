import type { ContractionShape, Lines } from '@paradox/codegen-c/render';
import type { CFrame } from './frame.js';
import { foldMax, type MatmulSizes } from './matmul_operands.js';
import type { InPlaceA } from './matmul_region.js';
import { renderThreadRun } from './thread_run.js';

/** Most output columns the dot-product tile takes (its accumulators are rows x columns vectors). */
const DOT_MAX_N = 12;
/**
 * Rows per dot-product tile. One: its N accumulators plus one vector of A and one of B fit in 16
 * registers (AVX2), and two rows measured no faster with AVX-512 (W2's 512 -> 10 layer: 32 us
 * either way, against 49 us for the one-vector tile).
 */
const DOT_ROWS = 1;
/** Least K for it: each output's horizontal sum (about 8 instructions) is paid once per K / lanes FMAs. */
const DOT_MIN_K = 256;

/**
 * Whether a narrow contraction takes the dot-product tile: at most 12 columns (a one-vector tile
 * would leave a quarter of its lanes or more idle: W2's 10 classes use 10 of 16), one column axis,
 * K of 256 or more, A read in place with contiguous rows.
 */
export function dotTileable(
  shape: ContractionShape,
  { N, K }: MatmulSizes,
  a: InPlaceA | undefined,
): boolean {
  return N <= DOT_MAX_N && K >= DOT_MIN_K && shape.n.length === 1 && a !== undefined && a.kStride === 1;
}

/**
 * A narrow matmul as dot products along K (`A`, `PB` in scope; `rhs` assigns `value` for (`k`,
 * `n`)): B is packed transposed into `PB` ([n][K], through its load expression, folding max |b|),
 * then each tile of one row x N columns keeps one vector accumulator per output, fed by
 * vector loads of A's row and B's column (every lane useful), summed across lanes at the end; the
 * last K % PX_VW products are added one by one (rounded, as the reference). Rows past M repeat row
 * M - 1 (not stored). The FMA bound is max |a| over this thread's rows times max |b|; tiles are
 * split between threads as contiguous runs of row blocks when `parallel`.
 */
export function renderDotTiles(
  out: Lines,
  frame: CFrame,
  parallel: boolean,
  { M, N, K }: MatmulSizes,
  a: InPlaceA,
  rhs: Lines,
  epilogue: Lines,
): void {
  const I = frame.indexType;
  const lit = frame.literal;
  const R = DOT_ROWS;
  out.push('unsigned mub = 0u;');
  out.block(`for (${I} n = 0; n < ${lit(N)}; ++n)`, () => {
    out.push('#pragma omp simd reduction(max:mub)');
    out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () => {
      out.push('float value;');
      out.append(rhs);
      out.push(`PB[n * ${lit(K)} + k] = value;`, foldMax('mub', 'value'));
    });
  });
  renderThreadRun(out, frame, parallel, { name: 'NB', total: `(${lit(M)} + ${R} - 1) / ${R}` }, () => {
    out.push('unsigned mua = 0u;');
    out.block(`for (${I} m = t0 * ${R}; m < t1 * ${R} && m < ${lit(M)}; ++m)`, () => {
      out.push(`const float* row = A + m * ${lit(a.rowStride)};`);
      out.push('#pragma omp simd reduction(max:mua)');
      out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () => out.push(foldMax('mua', 'row[k]')));
    });
    // Below 1e38 no product or partial sum can overflow, so FMAs round to the reference's result
    // within tolerance; otherwise each product is rounded before its sum.
    out.push(`const int fused = (double)PX_BOUND(mua) * (double)PX_BOUND(mub) * ${lit(K)}.0 < 1e38;`);
    out.push(`const ${I} KV = ${lit(K)} / PX_VW * PX_VW;`);
    out.block(`for (${I} t = t0; t < t1; ++t)`, () => {
      out.push(`const float* ar[${R}];`, '#pragma GCC unroll 4');
      out.block(`for (int ii = 0; ii < ${R}; ++ii)`, () => {
        out.push(`const ${I} m = t * ${R} + ii;`);
        out.push(`ar[ii] = A + (m < ${lit(M)} ? m : ${lit(M - 1)}) * ${lit(a.rowStride)};`);
      });
      out.push(`px_v c[${R}][${N}];`, '#pragma GCC unroll 4');
      out.block(`for (int ii = 0; ii < ${R}; ++ii)`, () => {
        out.push('#pragma GCC unroll 16', `for (int jj = 0; jj < ${N}; ++jj) c[ii][jj] = (px_v){0};`);
      });
      const kLoop = (fma: boolean) =>
        out.block(`for (${I} k = 0; k < KV; k += PX_VW)`, () => {
          out.push(`px_v av[${R}];`, '#pragma GCC unroll 4');
          out.push(`for (int ii = 0; ii < ${R}; ++ii) __builtin_memcpy(&av[ii], ar[ii] + k, sizeof av[ii]);`);
          out.push('#pragma GCC unroll 16');
          out.block(`for (int jj = 0; jj < ${N}; ++jj)`, () => {
            out.push('px_v b;', `__builtin_memcpy(&b, PB + jj * ${lit(K)} + k, sizeof b);`);
            out.push('#pragma GCC unroll 4');
            out.push(
              `for (int ii = 0; ii < ${R}; ++ii) c[ii][jj] = ${fma ? 'PX_FMAV(av[ii], b, c[ii][jj])' : 'c[ii][jj] + av[ii] * b'};`,
            );
          });
        });
      out.block('if (fused)', () => kLoop(true));
      out.block('else', () => kLoop(false));
      out.push(`float tile[${R}][${N}];`, '#pragma GCC unroll 4');
      out.block(`for (int ii = 0; ii < ${R}; ++ii)`, () => {
        out.push(
          '#pragma GCC unroll 16',
          `for (int jj = 0; jj < ${N}; ++jj) tile[ii][jj] = px_hsum(c[ii][jj]);`,
        );
        out.block(`for (${I} k = KV; k < ${lit(K)}; ++k)`, () => {
          out.push(`for (int jj = 0; jj < ${N}; ++jj) tile[ii][jj] += ar[ii][k] * PB[jj * ${lit(K)} + k];`);
        });
      });
      out.block(`for (int ii = 0; ii < ${R}; ++ii)`, () => {
        out.push(`const ${I} m = t * ${R} + ii;`);
        out.push(`if (m >= ${lit(M)}) break;`);
        out.push('#pragma omp simd');
        out.block(`for (int jj = 0; jj < ${N}; ++jj)`, () => {
          out.push(`const ${I} n = jj;`);
          out.append(epilogue);
        });
      });
    });
  });
}
