import { broadcastShapes } from '@paradox/ir';
import { userEntry } from './call-site.js';
import { TensorArgumentError } from './errors.js';
import type { Tensor } from './tensor.js';

/**
 * ONNX Expand: broadcasts `x` and `shape` against each other (numpy rules, both ways: a 1 in
 * `shape` keeps x's dim), so the result shape is broadcast(x.shape, shape). A view, no copy.
 * @function
 */
export const expand = userEntry(function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new TensorArgumentError('expand', `shape [${shape.join(',')}] must hold non-negative integers`);
  const out = broadcastShapes('expand', [x.type, { dtype: x.dtype, shape: [...shape] }]);
  return x.broadcastTo(out);
});

/**
 * ONNX Tile / numpy tile: `x` repeated `reps[i]` times along axis i. Fewer reps than axes repeat the
 * trailing axes (numpy); more prepend axes of size 1 first. One reshape, broadcast and reshape: index
 * math only, no copy until a kernel stores the result.
 * @function
 */
export const tile = userEntry(function tile(x: Tensor, reps: readonly number[]): Tensor {
  if (!reps.every((r) => Number.isInteger(r) && r >= 0))
    throw new TensorArgumentError('tile', `reps [${reps.join(',')}] must hold non-negative integers`);
  const rank = Math.max(x.rank, reps.length);
  const dims = [...new Array<number>(rank - x.rank).fill(1), ...x.shape];
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  const pairs = dims.flatMap((d) => [1, d]);
  const repeated = dims.flatMap((d, i) => [r[i]!, d]);
  return x
    .reshape(pairs)
    .broadcastTo(repeated)
    .reshape(dims.map((d, i) => d * r[i]!));
});
