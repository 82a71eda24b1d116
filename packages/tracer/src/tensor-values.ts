import type { TypedArray } from '@paradox/ir';

/**
 * A tensor's elements: the dtype's typed array (Float32Array, Int32Array or Uint8Array). `reduce` is
 * declared once for all of them, because on the bare union TypeScript cannot pick an overload
 * (`t.dataSync().reduce((a, b) => a + b, 0)` would not type-check).
 */
export type TensorValues = TypedArray & {
  reduce(callback: (previous: number, current: number, index: number, array: TypedArray) => number): number;
  reduce<U>(callback: (previous: U, current: number, index: number, array: TypedArray) => U, initial: U): U;
  reduceRight(
    callback: (previous: number, current: number, index: number, array: TypedArray) => number,
  ): number;
  reduceRight<U>(
    callback: (previous: U, current: number, index: number, array: TypedArray) => U,
    initial: U,
  ): U;
};
