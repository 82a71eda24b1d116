/**
 * Splits a 1-D workgroup count into a 2-D grid so no dimension exceeds the device limit
 * (65,535 on most adapters; Dawn silently drops an over-limit dispatch). Shaders recover the
 * linear workgroup index as `wid.x + wid.y * nwg.x` and must guard against the few extra
 * workgroups of the last row.
 */
export function splitDispatch(workgroups: number, maxPerDimension: number): [number, number, number] {
  if (!Number.isInteger(workgroups) || workgroups < 0)
    throw new RangeError(`bad workgroup count ${workgroups}`);
  if (workgroups <= maxPerDimension) return [workgroups, 1, 1];
  const y = Math.ceil(workgroups / maxPerDimension);
  if (y > maxPerDimension) {
    throw new RangeError(`dispatch of ${workgroups} workgroups exceeds ${maxPerDimension}^2`);
  }
  // Spread evenly over y rows so the wasted tail is < y workgroups.
  return [Math.ceil(workgroups / y), y, 1];
}

/** WGSL snippet: the linear workgroup index for a grid produced by splitDispatch. */
export const LINEAR_WORKGROUP_WGSL = 'wid.x + wid.y * nwg.x';
