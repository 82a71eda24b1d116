import { broadcastShapes, type DType, promoteTypes, shapesEqual } from '@paradox/ir';
import type { OpExecutor } from './executor.js';
import type { Tensor } from './tensor.js';

/**
 * Operand preparation for elementwise ops: JS scalars are weakly typed, then every operand is cast
 * and broadcast explicitly, so a binary node's operands always have equal dtypes and shapes.
 */
export type Scalar = number | boolean;
export type TensorLike = Tensor | Scalar;

export const isScalar = (x: unknown): x is Scalar => typeof x === 'number' || typeof x === 'boolean';

/**
 * The dtype an op computes in. Tensors promote (bool < int32 < float16 < float32); a JS scalar never
 * widens a tensor's float dtype, but a non-integer scalar lifts integer/bool tensors to float32 and an
 * integer scalar lifts bool tensors to int32. Scalars alone are float32 (booleans alone are bool).
 */
export function computeDType(operands: readonly TensorLike[]): DType {
  const tensors = operands.filter((x): x is Tensor => !isScalar(x));
  let dtype: DType | undefined = tensors.length
    ? tensors.map((t) => t.dtype).reduce(promoteTypes)
    : undefined;
  for (const x of operands) {
    if (typeof x !== 'number') continue;
    const integral = Number.isInteger(x);
    if (dtype === undefined) dtype = 'float32';
    else if (dtype === 'bool') dtype = integral ? 'int32' : 'float32';
    else if (dtype === 'int32' && !integral) dtype = 'float32';
  }
  return dtype ?? 'bool';
}

/** A rank-0 `constant` node holding a JS scalar. */
export function scalarTensor(ex: OpExecutor, value: Scalar, dtype: DType): Tensor {
  return ex.execute('constant', [], { value: Number(value), dtype });
}

export function castTo(ex: OpExecutor, x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : ex.execute('cast', [x], { dtype });
}

export function broadcastTo(ex: OpExecutor, x: Tensor, shape: readonly number[]): Tensor {
  return shapesEqual(x.shape, shape) ? x : ex.execute('broadcast', [x], { shape: [...shape] });
}

/** Turns operands into tensors of the given dtypes (one per operand) and their common broadcast shape. */
export function prepareOperands(
  ex: OpExecutor,
  op: string,
  operands: readonly TensorLike[],
  dtypes: readonly DType[],
): Tensor[] {
  const shape = broadcastShapes(
    op,
    operands.filter((x): x is Tensor => !isScalar(x)).map((t) => t.type),
  );
  return operands.map((x, i) => {
    const t = isScalar(x) ? scalarTensor(ex, x, dtypes[i]!) : castTo(ex, x, dtypes[i]!);
    return broadcastTo(ex, t, shape);
  });
}
