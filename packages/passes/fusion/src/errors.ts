import type { ValueId } from '@paradox/ir';

/**
 * One op needs more distinct buffers than the backend allows per kernel (for example a
 * three-input `where` under a limit of 3), so no way of splitting the graph into kernels fits.
 * Wide concats never raise it: fusion splits them into a tree of narrower concats first.
 */
export class KernelBufferLimitError extends Error {
  override name = 'KernelBufferLimitError';
  constructor(
    readonly node: ValueId,
    readonly op: string,
    readonly buffers: number,
    readonly limit: number,
  ) {
    super(
      `node %${node} (${op}) alone touches ${buffers} buffers (its distinct inputs and its result), ` +
        `more than the backend's limit of ${limit} per kernel; no split into kernels can fit it`,
    );
  }
}
