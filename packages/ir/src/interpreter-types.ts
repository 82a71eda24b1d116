import type { DType, TypedArray } from './dtype.js';

/** A tensor on the host: row-major data + shape. The reference interpreter's value type. */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}
