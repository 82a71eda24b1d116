import { DTYPES, type DType, literalOf, numel, type TypedArray, typedArrayFor } from '@paradox/ir';
import { TensorDataError } from './errors.js';

/** What tensor() accepts: a number, a boolean, nested arrays of them, or a typed array. */
export type NestedArray = number | boolean | readonly NestedArray[];
export type TensorData =
  | NestedArray
  | TypedArray
  | Float64Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Uint32Array;

function isTypedArray(x: unknown): x is ArrayLike<number> & ArrayBufferView {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** The dtype a typed array implies when none is given. */
function dtypeOfTypedArray(a: ArrayBufferView): DType {
  if (
    a instanceof Int32Array ||
    a instanceof Int16Array ||
    a instanceof Int8Array ||
    a instanceof Uint16Array
  )
    return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return 'float32';
}

/** Shape of nested arrays; throws on ragged input. */
function nestedShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0] as NestedArray;
  }
  return shape;
}

function flattenNested(
  data: NestedArray,
  shape: number[],
): { values: number[]; sawBool: boolean; sawNumber: boolean } {
  const values: number[] = [];
  let sawBool = false;
  let sawNumber = false;
  const walk = (x: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof x === 'boolean') {
        sawBool = true;
        values.push(x ? 1 : 0);
      } else if (typeof x === 'number') {
        sawNumber = true;
        values.push(x);
      } else {
        throw new TensorDataError(
          `tensor(): element ${path || '[]'} is ${Array.isArray(x) ? 'an array' : typeof x}, expected a number or boolean (ragged nesting?)`,
        );
      }
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new TensorDataError(
        `tensor(): ragged nested array: element ${path || '[]'} has ${Array.isArray(x) ? `length ${x.length}` : 'no length'}, expected ${shape[depth]}`,
      );
    }
    x.forEach((y, i) => {
      walk(y, depth + 1, `${path}[${i}]`);
    });
  };
  walk(data, 0, '');
  return { values, sawBool, sawNumber };
}

/**
 * Converts user data to host storage of `dtype` (inferred when absent) with `shape` (inferred when
 * absent). With `borrow`, a typed array already of the storage type comes back as itself
 * (`borrowed: true`, still the caller's: copy it before keeping it), otherwise always a new array.
 */
export function toHostData(
  data: TensorData,
  shape?: readonly number[],
  dtype?: DType,
  borrow = false,
): { data: TypedArray; shape: number[]; dtype: DType; borrowed: boolean } {
  if (dtype !== undefined && !DTYPES.includes(dtype)) {
    throw new TensorDataError(
      `tensor(): unknown dtype '${String(dtype)}' (expected one of ${DTYPES.join(', ')})`,
    );
  }
  if (shape !== undefined && !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TensorDataError(`tensor(): shape [${shape.join(',')}] must hold non-negative integers`);
  }
  let values: ArrayLike<number>;
  let inferredShape: number[];
  let inferredDType: DType;
  if (isTypedArray(data)) {
    values = data;
    inferredShape = [data.length];
    inferredDType = dtypeOfTypedArray(data);
  } else {
    inferredShape = nestedShape(data);
    const flat = flattenNested(data, inferredShape);
    values = flat.values;
    // JS cannot tell 1.0 from 1, so numbers default to float32 (as in tf.js); all-boolean data is bool.
    inferredDType = flat.sawBool && !flat.sawNumber ? 'bool' : 'float32';
  }
  const outShape = shape ? [...shape] : inferredShape;
  if (numel(outShape) !== values.length) {
    throw new TensorDataError(
      `tensor(): ${values.length} values do not fill shape [${outShape.join(',')}] (${numel(outShape)} elements)`,
    );
  }
  const outDType = dtype ?? inferredDType;
  if (borrow && isTypedArray(data) && data.constructor === typedArrayFor(outDType, 0).constructor)
    return { data: data as TypedArray, shape: outShape, dtype: outDType, borrowed: true };
  const out = typedArrayFor(outDType, values.length);
  // int32/bool data converts as cast does (ir's literal rule): 3e9 saturates, it never wraps.
  if (outDType === 'int32' || outDType === 'bool')
    for (let i = 0; i < values.length; i++) out[i] = literalOf(values[i]!, outDType);
  else out.set(values);
  return { data: out, shape: outShape, dtype: outDType, borrowed: false };
}

/** Row-major flat data to nested JS arrays (booleans for bool tensors); a rank-0 tensor gives a scalar. */
export function toNested(data: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const read = (i: number): number | boolean => (dtype === 'bool' ? data[i] !== 0 : data[i]!);
  if (shape.length === 0) return read(0);
  let offset = 0;
  const build = (axis: number): NestedArray[] => {
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[axis]!; i++)
      out.push(axis === shape.length - 1 ? read(offset++) : build(axis + 1));
    return out;
  };
  return build(0);
}
