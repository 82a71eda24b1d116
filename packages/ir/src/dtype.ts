/** Element types. float16 is declared here; a backend opts in through its capabilities. */
export const DTYPES = ['float32', 'int32', 'bool', 'float16'] as const;
export type DType = (typeof DTYPES)[number];

/** Short spelling used by the text form: f32[4,8]. */
export const DTYPE_SHORT: Record<DType, string> = {
  float32: 'f32',
  int32: 'i32',
  bool: 'bool',
  float16: 'f16',
};
export const DTYPE_FROM_SHORT: Record<string, DType> = {
  f32: 'float32',
  i32: 'int32',
  bool: 'bool',
  f16: 'float16',
};

/** Host storage for each dtype. float16 is held widened in a Float32Array (values rounded to half). */
export type TypedArray = Float32Array | Int32Array | Uint8Array;
export type TypedArrayFor<D extends DType> = D extends 'int32'
  ? Int32Array
  : D extends 'bool'
    ? Uint8Array
    : Float32Array;

export function typedArrayFor(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
    case 'float16':
      return new Float32Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'bool':
      return new Uint8Array(length);
  }
}

export const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, int32: 4, bool: 1, float16: 2 };

export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float16';

/** Promotion lattice bool < int32 < float16 < float32 (numpy-like, without float64). */
const RANK: Record<DType, number> = { bool: 0, int32: 1, float16: 2, float32: 3 };
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
