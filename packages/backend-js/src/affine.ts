import { forEachLeaf, type IndexExpr, indexCoefficients } from '@paradox/ir';

/**
 * An index expression as c + sum(ax[k] * i_k) + sum(rx[k] * r_k) over the kernel's domain axes (i)
 * and reduction axes (r). Most views lower to this form; the renderer walks it with per-axis partial
 * offsets instead of evaluating div/mod per element. `null` when div/mod remain.
 */
export interface Affine {
  c: number;
  ax: number[];
  rx: number[];
}

export function toAffine(e: IndexExpr, rank: number, rrank: number): Affine | null {
  const f = indexCoefficients(e, rank, rrank);
  return f && { c: f.constant, ax: f.axes, rx: f.raxes };
}

/** Domain and reduction axes an index expression reads. */
export function axesOf(
  e: IndexExpr,
  ax = new Set<number>(),
  rx = new Set<number>(),
): { ax: Set<number>; rx: Set<number> } {
  forEachLeaf(e, (leaf) => {
    if (leaf.k === 'axis') ax.add(leaf.axis);
    else if (leaf.k === 'raxis') rx.add(leaf.axis);
  });
  return { ax, rx };
}
