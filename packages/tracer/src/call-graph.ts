import type { Graph, ValueId } from '@paradox/ir';
import { apply } from './apply.js';
import { userEntry } from './call-site.js';
import { tensor } from './creation.js';
import { TensorArgumentError } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * Calls a graph as a function of tensors: every node is applied in order (`apply`), so eagerly it
 * runs, under `trace`/`jit` it is inlined into the caller's graph, and under a trace interpreter
 * (autodiff) it is differentiated like code written by hand. An imported model (`loadOnnx`) becomes
 * one more function to compose: `jit((x) => callGraph(model.graph, [x])[0].softmax(-1))`.
 * @function
 */
export const callGraph = userEntry(function callGraph(graph: Graph, inputs: readonly Tensor[]): Tensor[] {
  if (inputs.length !== graph.inputs.length)
    throw new TensorArgumentError(
      'callGraph',
      `graph @${graph.name} takes ${graph.inputs.length} input(s), got ${inputs.length}`,
    );
  const values = new Map<ValueId, Tensor>();
  graph.inputs.forEach((input, k) => {
    const x = inputs[k];
    if (!(x instanceof Tensor)) throw new TensorArgumentError('callGraph', `input ${k} is not a Tensor`);
    const want = input.type;
    if (
      x.dtype !== want.dtype ||
      x.shape.length !== want.shape.length ||
      x.shape.some((d, i) => d !== want.shape[i])
    )
      throw new TensorArgumentError(
        'callGraph',
        `input ${k} (${input.id}) must be ${want.dtype}[${want.shape.join(',')}], got ${x.dtype}[${x.shape.join(',')}]`,
      );
    values.set(input.id, x);
  });
  for (const c of graph.constants)
    values.set(c.id, tensor(graph.buffers[c.buffer]!, c.type.shape, c.type.dtype));
  for (const node of graph.nodes) {
    const args = node.inputs.map((id) => values.get(id)!);
    values.set(node.id, apply(node.op, args, node.attrs));
  }
  return graph.outputs.map((id) => values.get(id)!);
});
