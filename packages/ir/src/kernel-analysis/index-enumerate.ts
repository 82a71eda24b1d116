import type { Bound, IndexExpr } from '../kernel.js';
import { evalIndex, forEachLeaf } from './index-expr.js';
import type { IndexRanges } from './index-simplify.js';

/** Loop points an exact range may visit: enough for every small kernel, cheap at compile time. */
export const ENUMERATION_BUDGET = 1 << 16;

/**
 * Exact inclusive [min, max] of `index` over the loop points where every guard holds, found by
 * visiting the points of the loop axes the index and guards use; undefined when no point
 * satisfies the guards. 'too-large' when those axes span more than ENUMERATION_BUDGET points.
 * The fallback for accesses interval analysis cannot bound tightly (a guard and an index that
 * split the same flat position differently, as lowering emits for concats seen through reshapes).
 */
export function enumeratedRange(
  index: IndexExpr,
  ranges: IndexRanges,
  guards: readonly Bound[],
): [number, number] | undefined | 'too-large' {
  const used: { raxis: boolean; axis: number; extent: number }[] = [];
  const seen = new Set<string>();
  for (const e of [index, ...guards.map((g) => g.expr)]) {
    forEachLeaf(e, (leaf) => {
      if (leaf.k === 'const') return;
      const key = `${leaf.k}${leaf.axis}`;
      if (seen.has(key)) return;
      seen.add(key);
      const extent = (leaf.k === 'axis' ? ranges.domain : ranges.reduce)[leaf.axis] ?? 0;
      used.push({ raxis: leaf.k === 'raxis', axis: leaf.axis, extent });
    });
  }
  let points = 1;
  for (const u of used) points *= u.extent;
  if (points > ENUMERATION_BUDGET) return 'too-large';
  const axes = ranges.domain.map(() => 0);
  const raxes = ranges.reduce.map(() => 0);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < points; p++) {
    let rest = p;
    for (const u of used) {
      (u.raxis ? raxes : axes)[u.axis] = rest % u.extent;
      rest = Math.floor(rest / u.extent);
    }
    if (!guards.every((g) => inBound(g, evalIndex(g.expr, axes, raxes)))) continue;
    const v = evalIndex(index, axes, raxes);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

const inBound = (g: Bound, v: number) => g.lo <= v && v < g.hi;
