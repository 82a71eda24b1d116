import type { DType, HostTensor, TensorType } from '../src/index.js';
import { typedArrayFor } from '../src/index.js';

export const f32 = (...shape: number[]): TensorType => ({ dtype: 'float32', shape });
export const i32 = (...shape: number[]): TensorType => ({ dtype: 'int32', shape });
export const b8 = (...shape: number[]): TensorType => ({ dtype: 'bool', shape });
export const f16 = (...shape: number[]): TensorType => ({ dtype: 'float16', shape });

export function host(dtype: DType, shape: number[], values: ArrayLike<number>): HostTensor {
  const data = typedArrayFor(dtype, values.length);
  data.set(values);
  return { dtype, shape, data };
}
