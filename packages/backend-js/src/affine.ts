import { forEachLeaf, type IndexExpr } from '@paradox/ir';

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
