import type { Lines } from '@paradox/codegen-c/render';
import type { CFrame } from './frame.js';
import type { MatmulSizes } from './matmul_operands.js';

/** Where a tile's A rows come from: packed panels, or rows of the operand read in place. */
export type TileA = { packed: string } | { rows: string; rowStride: number; kStride: number };

/** The register block: `vectors` native vectors per row (NR = vectors x PX_VW), MR rows. */
export interface TileShape {
  vectors: 1 | 2;
  /** C names of MR and NR. */
  mr: string;
  nr: string;
}

/** Two vectors per row, or one for outputs at most one vector wide (twice the rows then). */
export function tileShape(N: number): TileShape {
  return N <= 16 ? { vectors: 1, mr: 'PX_MR1', nr: 'PX_VW' } : { vectors: 2, mr: 'PX_MR', nr: 'PX_NR' };
}

export interface TileSource {
  sizes: MatmulSizes;
  tile: TileShape;
  /** C expression of the tile's B panel start, and of its row (k) stride. */
  b: string;
  ldb: string;
  a: TileA;
  /** Stores of output element (m, n) from `tile[ii][jj]`. */
  epilogue: Lines;
  /**
   * Decide `fused` in the tile when `first` holds (the first tile of a B panel), from the A bound
   * `mua` (bit pattern) and the panel's max |b| folded in its k loop; otherwise `fused` is given.
   */
  foldPanel?: { first: string; mua: string };
}

/**
 * One MR x NR output tile (`ip`, `jp` in scope; `fused` says whether FMAs are exact enough):
 * vectors x MR accumulators over all of K (an array the compiler keeps in registers, every loop
 * over it fully unrolled), then the epilogue per element before its store. Rows past M of an A
 * read in place repeat row M - 1 (their results are not stored), so the k loop has no tests.
 */
export function renderTile(out: Lines, frame: CFrame, src: TileSource): void {
  const I = frame.indexType;
  const lit = frame.literal;
  const { M, N, K } = src.sizes;
  const { vectors, mr, nr } = src.tile;
  const halves = vectors === 2 ? [0, 1] : [0];
  const UNROLL = '#pragma GCC unroll 16';
  out.push(`const float* pb = ${src.b};`, `const ${I} ldb = ${src.ldb};`);
  let aAt: string;
  if ('packed' in src.a) {
    out.push(`const float* pa = ${src.a.packed};`);
    aAt = `pa[k * ${mr} + ii]`;
  } else {
    const rows = src.a;
    out.push(`const float* ar[${mr}];`, UNROLL);
    out.block(`for (int ii = 0; ii < ${mr}; ++ii)`, () => {
      out.push(`const ${I} m = ip * ${mr} + ii;`);
      out.push(`ar[ii] = ${rows.rows} + (m < ${lit(M)} ? m : ${lit(M - 1)}) * ${lit(rows.rowStride)};`);
    });
    aAt = `ar[ii][k * ${lit(rows.kStride)}]`;
  }
  const zero = () => {
    out.push(UNROLL);
    out.push(`for (int ii = 0; ii < ${mr}; ++ii) ${halves.map((h) => `c[ii][${h}] = `).join('')}(px_v){0};`);
  };
  out.push(`px_v c[${mr}][${vectors}];`);
  zero();
  // Copies of the k loop keep the tests out of the hot loop. `fold` also folds max |b| (bit
  // patterns, in vector lanes) into `mbv`.
  const kLoop = (fma: boolean, fold = false) =>
    out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () => {
      out.push(`px_v ${halves.map((h) => `b${h}`).join(', ')};`);
      for (const h of halves)
        out.push(`__builtin_memcpy(&b${h}, pb + k * ldb${h ? ' + PX_VW' : ''}, sizeof b${h});`);
      if (fold) {
        // The panel's first pass comes from L3 or memory along rows LDB apart: fetch ahead.
        out.push(`const float* ahead = pb + (k + 32 < ${lit(K)} ? k + 32 : k) * ldb;`);
        for (const h of halves) out.push(`__builtin_prefetch(ahead${h ? ' + PX_VW' : ''});`);
        for (const h of halves) out.push(`mbv = px_vmaxu(mbv, (px_u)b${h} & 0x7fffffffu);`);
      }
      out.push(UNROLL);
      out.block(`for (int ii = 0; ii < ${mr}; ++ii)`, () => {
        out.push(`const float a = ${aAt};`);
        for (const h of halves)
          out.push(fma ? `c[ii][${h}] = PX_FMA(a, b${h}, c[ii][${h}]);` : `c[ii][${h}] += a * b${h};`);
      });
    });
  const fold = src.foldPanel;
  if (fold) {
    // The first tile of a panel: FMAs, folding the panel's max |b| on the way; when the bound
    // fails, the tile (nothing stored yet) is summed again with rounded products.
    out.block(`if (${fold.first})`, () => {
      out.push('px_u mbv = (px_u){0};');
      kLoop(true, true);
      out.push('unsigned mb = 0u;', `for (int l = 0; l < PX_VW; ++l) mb = mbv[l] > mb ? mbv[l] : mb;`);
      out.push(`fused = (double)PX_BOUND(${fold.mua}) * (double)PX_BOUND(mb) * ${lit(K)}.0 < 1e38;`);
      out.block('if (!fused)', () => {
        zero();
        kLoop(false);
      });
    });
    out.block('else if (fused)', () => kLoop(true));
  } else out.block('if (fused)', () => kLoop(true));
  out.block('else', () => kLoop(false));
  out.push(`float tile[${mr}][${nr}];`, '__builtin_memcpy(tile, c, sizeof tile);');
  // The tile's columns before N: a loop bound, not a test per element (a load under a test, such
  // as a per-row bias, would keep the loop from vectorising).
  out.push(`const int cols = ${lit(N)} - jp * ${nr} < ${nr} ? (int)(${lit(N)} - jp * ${nr}) : ${nr};`);
  out.block(`for (int ii = 0; ii < ${mr}; ++ii)`, () => {
    out.push(`const ${I} m = ip * ${mr} + ii;`);
    out.push(`if (m >= ${lit(M)}) break;`);
    out.push('#pragma omp simd');
    out.block('for (int jj = 0; jj < cols; ++jj)', () => {
      out.push(`const ${I} n = jp * ${nr} + jj;`);
      out.append(src.epilogue);
    });
  });
}
