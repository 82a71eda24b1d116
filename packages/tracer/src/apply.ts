import { type Attrs, getOp, type OpAttrs, type OpName } from '@paradox/ir';
import { userEntry } from './call-site.js';
import { executorFor } from './dispatch.js';
import { TensorArgumentError } from './errors.js';
import { Tensor } from './tensor.js';

/** `apply`'s signatures: a built-in op's attrs are typed by its name. */
export interface ApplyFunction {
  <P extends OpName>(op: P, inputs: readonly Tensor[], attrs?: OpAttrs[P]): Tensor;
  (op: string, inputs: readonly Tensor[], attrs?: Attrs): Tensor;
}

/**
 * Applies any registered op, built-in or registered from another package (`registerOp`), to tensors:
 * eagerly it runs (on the interpreter via the op's `evaluate`, or on a backend after its `decompose`),
 * while tracing it is recorded as one node, under a trace interpreter it is one primitive application.
 * Operands are used as they are (no implicit casts or broadcasts): the op's type rule checks them.
 * @function
 */
export const apply: ApplyFunction = userEntry(function apply(
  op: string,
  inputs: readonly Tensor[],
  attrs: Attrs = {},
): Tensor {
  getOp(op); // UnknownOpError names an op nobody registered
  inputs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new TensorArgumentError(`apply('${op}')`, `input ${i} is not a Tensor`);
  });
  return executorFor(inputs).execute(op as OpName, inputs, attrs);
});
