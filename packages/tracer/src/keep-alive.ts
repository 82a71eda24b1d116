/**
 * Keeps `owners` reachable until `work` settles. Pending work holds buffers, not the tensors that
 * own them: without this, a tensor nobody references any more (an intermediate of a chain) can be
 * garbage-collected mid-op, and its finalizer frees a buffer the op has yet to read.
 */
export function keepAliveUntil(owners: object, work: Promise<unknown>): void {
  const hold = (): object => owners;
  work.then(hold, hold);
}
