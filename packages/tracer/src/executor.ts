import type { Attrs, OpName } from '@paradox/ir';
import type { Tensor } from './tensor.js';

/**
 * The seam every op goes through. A tensor method builds one op request (name, operands, attrs) and
 * hands it to an executor: eagerly, the op runs as a one-op program; while tracing, it is recorded as a
 * graph node. Operands already satisfy the op's type rule (the tensor methods insert casts/broadcasts).
 */
export interface OpExecutor {
  execute(op: OpName, inputs: readonly Tensor[], attrs: Attrs): Tensor;
}
