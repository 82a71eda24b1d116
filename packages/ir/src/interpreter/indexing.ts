import { type DType, typedArrayFor } from '../dtype.js';
import type { HostTensor } from '../interpreter-types.js';
import { numel, stridesOf } from '../shape.js';
import { castValue } from './numerics.js';

/** Strides that read `from` as if broadcast to `to` (0 on broadcast dims). */
export function broadcastStrides(from: readonly number[], to: readonly number[]): number[] {
  const s = stridesOf(from);
  const off = to.length - from.length;
  return to.map((_, i) => (i < off || from[i - off] === 1 ? 0 : s[i - off]!));
}

/**
 * Visits every multi-index of `shape` in row-major order with one source offset per stride vector
 * (offset = sum idx[i] * strides[k][i]). The odometer avoids a div/mod per element.
 */
export function forEachOffset(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  visit: (flat: number, offsets: number[]) => void,
): void {
  const total = numel(shape);
  if (total === 0) return;
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  const offsets = strides.map(() => 0);
  for (let flat = 0; flat < total; flat++) {
    visit(flat, offsets);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < strides.length; k++) offsets[k]! += strides[k]![d];
      if (idx[d]! < shape[d]!) break;
      for (let k = 0; k < strides.length; k++) offsets[k]! -= strides[k]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** Same as forEachOffset but hands out the multi-index (for movement ops with non-affine maps). */
export function forEachIndex(
  shape: readonly number[],
  visit: (flat: number, idx: readonly number[]) => void,
): void {
  const total = numel(shape);
  if (total === 0) return;
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    visit(flat, idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

export function emptyTensor(dtype: DType, shape: readonly number[]): HostTensor {
  return { dtype, shape: [...shape], data: typedArrayFor(dtype, numel(shape)) };
}

/** Converts every element to `dtype` (a copy; the same data when already of that dtype). */
export function castTensor(x: HostTensor, dtype: DType): HostTensor {
  if (x.dtype === dtype) return x;
  const out = emptyTensor(dtype, x.shape);
  for (let i = 0; i < x.data.length; i++) out.data[i] = castValue(x.data[i]!, dtype);
  return out;
}
