import type { Attrs, DType, HostTensor, TensorType } from '../src/index.js';
import { GraphBuilder, interpret, typedArrayFor } from '../src/index.js';

export const f32 = (...shape: number[]): TensorType => ({ dtype: 'float32', shape });
export const i32 = (...shape: number[]): TensorType => ({ dtype: 'int32', shape });
export const b8 = (...shape: number[]): TensorType => ({ dtype: 'bool', shape });
export const f16 = (...shape: number[]): TensorType => ({ dtype: 'float16', shape });

export function host(dtype: DType, shape: number[], values: ArrayLike<number>): HostTensor {
  const data = typedArrayFor(dtype, values.length);
  data.set(values);
  return { dtype, shape, data };
}

/** Runs one op on the given operands through a real graph (builder -> verify -> interpret). */
export function runOp(op: string, operands: HostTensor[], attrs: Attrs = {}): HostTensor {
  const b = new GraphBuilder('t');
  const ids = operands.map((x, i) => b.input(`x${i}`, { dtype: x.dtype, shape: x.shape }));
  b.output(b.op(op, ids, attrs));
  return interpret(b.build(), operands)[0]!;
}
