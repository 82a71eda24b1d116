import { userEntry } from './call-site.js';
import { executorFor } from './dispatch.js';
import { TensorArgumentError } from './errors.js';
import { computeDType, prepareOperands, type TensorLike } from './operands.js';
import { Tensor } from './tensor.js';

/** Free-function spellings of ops whose first operand need not be a tensor. */

/**
 * `cond ? a : b` elementwise, with broadcasting; the way to express data-dependent choices in traced code.
 * @function
 */
export const where = userEntry(function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  if (cond instanceof Tensor) return cond.where(a, b);
  const ex = executorFor([a, b]);
  const dtype = computeDType([a, b]);
  return ex.execute('where', prepareOperands(ex, 'where', [cond, a, b], ['bool', dtype, dtype]), {});
});

/**
 * Joins tensors along `axis` (operands promote to a common dtype).
 * @function
 */
export const concat = userEntry(function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const [first, ...rest] = tensors;
  if (!first) throw new TensorArgumentError('concat', 'needs at least one tensor');
  return first.concat(rest, axis);
});
