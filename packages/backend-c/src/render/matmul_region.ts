import type { Lines } from '@paradox/codegen-c/render';
import type { CFrame } from './frame.js';
import { foldMax, type MatmulSizes } from './matmul_operands.js';
import { renderTile, type TileSource } from './micro_kernel.js';
import { renderThreadRun } from './thread_run.js';

/** A read in place: its row stride and flat-k stride. */
export interface InPlaceA {
  rowStride: number;
  kStride: number;
}

/**
 * The tiles of a matmul whose operands are both read in place (a dense layer; `A`, `B`, `PB` with
 * the packed partial last panel, `NP`, `MP`, `NF`, `LDB` in scope), as one parallel region with no
 * barrier: each thread takes a contiguous run of tiles (B panel major, as the serial order) and
 * decides whether its FMAs are exact enough from its own operands only: max |a| over the row
 * blocks its tiles read, folded once up front (contiguous rows), and max |b| over each B panel,
 * folded in the k loop of the thread's first tile of that panel, which loads the panel anyway (a
 * separate pass over the panel's strided rows waits on memory with nothing to overlap). When that
 * panel's bound fails, the tile is summed again with rounded products (nothing is stored yet), and
 * so are the panel's later tiles. A bound per thread and panel bounds every product those tiles
 * sum, so the test is as strict as a global one; the separate max passes, their forks and joins
 * and their barriers are gone: one fork and join per kernel.
 */
export function renderInPlaceTiles(
  out: Lines,
  frame: CFrame,
  parallel: boolean,
  sizes: MatmulSizes,
  a: InPlaceA,
  tile: Omit<TileSource, 'b' | 'ldb' | 'a' | 'sizes'>,
): void {
  const I = frame.indexType;
  const lit = frame.literal;
  const { M, K } = sizes;
  const { mr, nr } = tile.tile;
  const { rowStride, kStride } = a;
  // This thread's tiles [t0, t1), known before its loop so the folds below take only them.
  renderThreadRun(out, frame, parallel, { name: 'NT', total: 'NP * MP' }, () => {
    // max |a| over the row blocks of this thread's tiles (all of them once it has MP tiles or more).
    out.push('unsigned mua = 0u;');
    out.block(`for (${I} i = 0; i < (t1 - t0 < MP ? t1 - t0 : MP); ++i)`, () => {
      out.push(`const ${I} ip = (t0 + i) % MP;`);
      out.block(`for (${I} m = ip * ${mr}; m < ip * ${mr} + ${mr} && m < ${lit(M)}; ++m)`, () => {
        out.push(`const float* row = A + m * ${lit(rowStride)};`);
        out.push('#pragma omp simd reduction(max:mua)');
        out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () =>
          out.push(foldMax('mua', `row[k * ${lit(kStride)}]`)),
        );
      });
    });
    out.push(`${I} panel = -1;`, 'int fused = 0;');
    out.block(`for (${I} t = t0; t < t1; ++t)`, () => {
      // Consecutive tiles share a B panel, which stays in cache.
      out.push(`const ${I} jp = t / MP, ip = t % MP;`, 'const int first = jp != panel;', 'panel = jp;');
      // Each tile fetches its share of the next panel's rows toward L2 (evicted, they stay in L3),
      // so the next panel's first tile does not wait on memory.
      out.block('if (jp + 1 < NF)', () => {
        out.push(`const ${I} chunk = (${lit(K)} + MP - 1) / MP;`);
        out.block(`for (${I} r = ip * chunk; r < ip * chunk + chunk && r < ${lit(K)}; ++r)`, () => {
          out.push(`const float* q = B + r * LDB + (jp + 1) * ${nr};`);
          out.push('__builtin_prefetch(q, 0, 2);');
          if (tile.tile.vectors === 2) out.push('__builtin_prefetch(q + PX_VW, 0, 2);');
        });
      });
      renderTile(out, frame, {
        ...tile,
        sizes,
        b: `jp < NF ? B + jp * ${nr} : PB`,
        ldb: `jp < NF ? LDB : ${nr}`,
        a: { rows: 'A', rowStride, kStride },
        foldPanel: { first: 'first', mua: 'mua' },
      });
    });
  });
}
