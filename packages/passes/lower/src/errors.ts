/**
 * Lowering rejects a graph it cannot turn into kernels with this error. It names the fusion group
 * (the `node.group` number, or the node id of an ungrouped node) and why, so a fusion bug points
 * at the group fusion formed rather than at a wrong answer later.
 */
export class LoweringError extends Error {
  override name = 'LoweringError';
  constructor(
    /** The group as fusion numbered it, or `node <id>` for an ungrouped node; undefined for program-level problems. */
    readonly group: string | undefined,
    readonly reason: string,
  ) {
    super(group === undefined ? `lowering: ${reason}` : `lowering group ${group}: ${reason}`);
  }
}
