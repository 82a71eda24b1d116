import { type TensorType, type TypedArray, typedArrayFor } from '@paradox/ir';
import { TensorArgumentError } from './errors.js';

/**
 * `into` when it can take a tensor of `type`'s elements: the array class dataSync() returns for the
 * dtype (Float32Array for float32 and float16, Int32Array, Uint8Array for bool) with exactly as
 * many elements; else a TensorArgumentError naming both.
 */
export function readTarget(type: TensorType, into: unknown, operation: string): TypedArray {
  const expected = typedArrayFor(type.dtype, 0).constructor as { name: string };
  const size = type.shape.reduce((a, b) => a * b, 1);
  const fits = into instanceof (expected as unknown as typeof Float32Array) && into.length === size;
  if (fits) return into as TypedArray;
  throw new TensorArgumentError(
    operation,
    `into must be a ${expected.name} of ${size} elements (the tensor is ${type.dtype}[${type.shape.join(',')}]); ` +
      `got ${describe(into)}`,
  );
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) {
    const length = (value as { length?: number }).length;
    return `${value.constructor.name}${length === undefined ? '' : ` of ${length} elements`}`;
  }
  return value === null ? 'null' : typeof value;
}
