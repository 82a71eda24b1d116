import type { IndexExpr } from '@paradox/ir';

/** Domain and reduction axes an index expression reads. */
export function axesOf(
  e: IndexExpr,
  ax = new Set<number>(),
  rx = new Set<number>(),
): { ax: Set<number>; rx: Set<number> } {
  switch (e.k) {
    case 'axis':
      ax.add(e.axis);
      break;
    case 'raxis':
      rx.add(e.axis);
      break;
    case 'add':
      axesOf(e.a, ax, rx);
      axesOf(e.b, ax, rx);
      break;
    case 'mul':
    case 'div':
    case 'mod':
      axesOf(e.a, ax, rx);
      break;
    case 'const':
      break;
  }
  return { ax, rx };
}

/**
 * Groups adjacent loop axes that every affine form walks contiguously, so e.g. a contiguous elementwise
 * kernel over [64, 3, 5] becomes one loop of 960. Extent-1 axes join any group. `blocked` axes (read by
 * a non-affine expression, which needs the original loop variable) stay alone. Groups are outermost first.
 */

// Loop collapsing itself lives in ir's kernel analysis (shared with backend-js).
export { collapseAxes, groupCoef, groupExtent } from '@paradox/ir';
