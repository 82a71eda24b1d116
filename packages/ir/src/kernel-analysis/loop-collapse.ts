/**
 * Groups adjacent loop axes that every affine form walks contiguously, so e.g. a contiguous elementwise
 * kernel over [64, 3, 5] becomes one loop of 960. Extent-1 axes join any group. `blocked` axes (read by
 * a non-affine expression, which needs the original loop variable) stay alone. Groups are outermost first.
 */
export function collapseAxes(
  extents: readonly number[],
  coefs: readonly (readonly number[])[],
  blocked: Set<number>,
): number[][] {
  const groups: number[][] = [];
  for (let k = extents.length - 1; k >= 0; k--) {
    const inner = groups[0];
    const mergeable =
      inner !== undefined &&
      !blocked.has(k) &&
      !inner.some((a) => blocked.has(a)) &&
      (extents[k] === 1 ||
        coefs.every(
          (c) =>
            c[k] === groupCoef(inner, extents, c) * groupExtent(inner, extents) ||
            groupExtent(inner, extents) === 1,
        ));
    if (mergeable) inner.unshift(k);
    else groups.unshift([k]);
  }
  return groups;
}

export const groupExtent = (group: readonly number[], extents: readonly number[]): number =>
  group.reduce((n, a) => n * extents[a]!, 1);

/** A form's coefficient on a collapsed group: that of the group's innermost axis with extent > 1. */
export function groupCoef(
  group: readonly number[],
  extents: readonly number[],
  coef: readonly number[],
): number {
  for (let j = group.length - 1; j >= 0; j--) if (extents[group[j]!]! > 1) return coef[group[j]!]!;
  return 0;
}
