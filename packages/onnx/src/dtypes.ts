import type { DType } from '@paradox/ir';
import { OnnxDTypeError } from './errors.js';

/** TensorProto.DataType numbers (onnx.proto). */
export const ONNX_TYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

const NAMES = Object.fromEntries(Object.entries(ONNX_TYPE).map(([k, v]) => [v, k.toLowerCase()])) as Record<
  number,
  string
>;

export const onnxTypeName = (t: number): string => NAMES[t] ?? `type ${t}`;

/**
 * The Paradox dtype an ONNX element type narrows to at import. Floats (float64, float16, bfloat16)
 * become float32 (float16/bfloat16 values are exact in float32; float64 rounds). Integers become
 * int32: 8/16-bit ones exactly, int64/uint32/uint64 with a check of every value (one outside int32
 * is an OnnxDTypeError, never a wrap). Strings and complex numbers have no dtype.
 */
export function paradoxDType(onnxType: number, what: string): DType {
  switch (onnxType) {
    case ONNX_TYPE.FLOAT:
    case ONNX_TYPE.DOUBLE:
    case ONNX_TYPE.FLOAT16:
    case ONNX_TYPE.BFLOAT16:
      return 'float32';
    case ONNX_TYPE.UINT8:
    case ONNX_TYPE.INT8:
    case ONNX_TYPE.UINT16:
    case ONNX_TYPE.INT16:
    case ONNX_TYPE.INT32:
    case ONNX_TYPE.INT64:
    case ONNX_TYPE.UINT32:
    case ONNX_TYPE.UINT64:
      return 'int32';
    case ONNX_TYPE.BOOL:
      return 'bool';
    default:
      throw new OnnxDTypeError(`${what}: ONNX element type ${onnxTypeName(onnxType)} has no Paradox dtype`);
  }
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Converts values to a dtype's storage, refusing any integer that does not fit int32 (no wrap). */
export function narrowValues(
  values: ArrayLike<number>,
  dtype: DType,
  what: string,
): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'int32') {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX)) {
        throw new OnnxDTypeError(
          `${what}: element ${i} is ${v}, which does not fit int32 (narrowing int64 would change it)`,
        );
      }
      out[i] = v;
    }
    return out;
  }
  if (dtype === 'bool') return Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
  return Float32Array.from(values);
}
