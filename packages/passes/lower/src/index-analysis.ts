import type { IndexExpr, Kernel } from '@paradox/ir';
import { domainFlatIndex } from './index-builders.js';
import { type IndexRanges, indexKey } from './simplify-index.js';

/** Loop extents of a kernel, as the index simplifier wants them. */
export const kernelRanges = (kernel: Pick<Kernel, 'domain' | 'reduce'>): IndexRanges => ({
  domain: kernel.domain,
  reduce: kernel.reduce?.shape ?? [],
});

/**
 * True when `index` is the flat position of the current domain point: a contiguous, unit-stride
 * access (after simplification, so a reshape of a contiguous buffer counts). For affine strides in
 * general use `indexCoefficients` from @paradox/ir.
 */
export function isContiguousIndex(index: IndexExpr, kernel: Pick<Kernel, 'domain' | 'reduce'>): boolean {
  const ranges = kernelRanges(kernel);
  return indexKey(index, ranges) === indexKey(domainFlatIndex(kernel.domain), ranges);
}
