import { apply } from './apply.js';
import { userEntry } from './call-site.js';
import { tensor } from './creation.js';
import { TensorArgumentError } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * Indexing ops of op set v2 (ONNX semantics). An index counts from the end when negative; an index
 * still outside its axis is clamped to the nearest end on every path (see `resolveIndex` in
 * @paradox/ir), so compiled code never reads out of bounds.
 */

/** Indices: an int32 tensor, or a (nested) JS array of integers. */
export type Indices = Tensor | number | readonly number[] | readonly (readonly number[])[];

function indexTensor(method: string, indices: Indices): Tensor {
  if (indices instanceof Tensor) return indices;
  if (typeof indices === 'number') return tensor([indices], [], 'int32');
  const flat = (indices as readonly unknown[]).flat(Number.POSITIVE_INFINITY) as unknown[];
  if (!flat.every((v) => Number.isInteger(v)))
    throw new TensorArgumentError(method, 'indices must be integers (or an int32 tensor)');
  return tensor(indices as number[], undefined, 'int32');
}

/**
 * ONNX Gather / numpy take along `axis`: out = x[:axis] x indices.shape x x[axis+1:], each index
 * selecting one slice of `axis` (embedding lookup: `gather(table, ids)`).
 * @function
 */
export const gather = userEntry(function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  return apply('gather', [x, indexTensor('gather', indices)], { axis });
});

/**
 * numpy take: `gather` along `axis`, or over the flattened tensor when no axis is given.
 * @function
 */
export const take = userEntry(function take(x: Tensor, indices: Indices, axis?: number): Tensor {
  return axis === undefined ? gather(x.reshape([-1]), indices, 0) : gather(x, indices, axis);
});

/**
 * The adjoint of gather: `x` with `updates` added at the gathered positions (repeated indices
 * accumulate). `updates` has gather's result shape: x[:axis] x indices.shape x x[axis+1:].
 * @function
 */
export const scatterAdd = userEntry(function scatterAdd(
  x: Tensor,
  indices: Indices,
  updates: Tensor,
  axis = 0,
): Tensor {
  const u = updates.dtype === x.dtype ? updates : updates.cast(x.dtype);
  return apply('scatterAdd', [x, indexTensor('scatterAdd', indices), u], { axis });
});

export interface OneHotOptions {
  /** Where the new axis of size `depth` goes (default -1, last; ONNX OneHot's axis). */
  axis?: number;
  /** [off, on] values (default [0, 1]). */
  values?: readonly [number, number];
  /** Result dtype (default float32). */
  dtype?: Tensor['dtype'];
}

/**
 * ONNX OneHot: a new axis of size `depth` that holds `on` where its position equals the index
 * (negative indices count from the end) and `off` elsewhere; an index outside [-depth, depth) gives
 * an all-`off` row (as ONNX).
 * @function
 */
export const oneHot = userEntry(function oneHot(
  indices: Indices,
  depth: number,
  options: OneHotOptions = {},
): Tensor {
  if (!Number.isInteger(depth) || depth < 0)
    throw new TensorArgumentError('oneHot', `depth must be a non-negative integer, got ${depth}`);
  const idx = indexTensor('oneHot', indices).cast('int32');
  const rank = idx.rank + 1;
  const axis = options.axis ?? -1;
  const a = axis < 0 ? axis + rank : axis;
  if (!(a >= 0 && a < rank))
    throw new TensorArgumentError('oneHot', `axis ${axis} is out of range for rank ${rank}`);
  const [off, on] = options.values ?? [0, 1];
  const wrapped = idx.lt(0).where(idx.add(depth), idx);
  const positions = tensor(
    Array.from({ length: depth }, (_, i) => i),
    [...new Array<number>(a).fill(1), depth, ...new Array<number>(rank - 1 - a).fill(1)],
    'int32',
  );
  const expanded = wrapped.reshape([...idx.shape.slice(0, a), 1, ...idx.shape.slice(a)]);
  const dtype = options.dtype ?? 'float32';
  return expanded.eq(positions).where(tensor([on], [], dtype), tensor([off], [], dtype));
});

/**
 * Index (int32) of the first minimum along `axis` (NaN counts as the minimum); without an axis, over the flattened tensor.
 * @function
 */
export const argmin = userEntry(function argmin(x: Tensor, axis?: number, keepdims = false): Tensor {
  if (axis === undefined) {
    const index = apply('argmin', [x.reshape([-1])], { axis: 0, keepdims: false });
    return keepdims ? index.reshape(x.shape.map(() => 1)) : index;
  }
  return apply('argmin', [x], { axis, keepdims });
});
