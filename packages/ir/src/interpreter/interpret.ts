import { type TypedArray, typedArrayFor } from '../dtype.js';
import { InterpreterError } from '../errors.js';
import type { Graph, Node, TensorType, ValueId } from '../graph.js';
import type { HostTensor } from '../interpreter-types.js';
import type { BuiltinOpName, OpName } from '../op-types.js';
import { getOp } from '../registry.js';
import { formatShape, numel, shapesEqual } from '../shape.js';
import { verifyGraph } from '../verifier.js';
import { castTensor } from './indexing.js';
import { EVAL_RULES, type EvalRule } from './rules.js';

/** An input given as a bare typed array takes the shape the graph declares for it. */
export type InterpreterInput = HostTensor | TypedArray;

export interface InterpretOptions {
  /** Run verifyGraph first (default true): the interpreter trusts canonical, well-typed graphs. */
  verify?: boolean;
}

/**
 * The reference interpreter: evaluates the graph dialect on host typed arrays with numpy semantics
 * (see numerics.ts for the scalar rules). Every pass and backend is tested against it.
 */
export function interpret(
  graph: Graph,
  inputs: InterpreterInput[],
  options: InterpretOptions = {},
): HostTensor[] {
  if (options.verify !== false) verifyGraph(graph);
  if (inputs.length !== graph.inputs.length) {
    throw new InterpreterError(
      `graph @${graph.name} takes ${graph.inputs.length} input(s), got ${inputs.length}`,
    );
  }
  const env = new Map<ValueId, HostTensor>();
  graph.inputs.forEach((decl, i) => {
    env.set(decl.id, checkInput(decl.id, decl.type, inputs[i]!));
  });
  for (const c of graph.constants) {
    env.set(c.id, { dtype: c.type.dtype, shape: [...c.type.shape], data: graph.buffers[c.buffer]! });
  }
  for (const node of graph.nodes)
    env.set(
      node.id,
      evaluateNode(
        node,
        node.inputs.map((i) => env.get(i)!),
      ),
    );
  const external = new Set<ValueId>([...graph.inputs.map((i) => i.id), ...graph.constants.map((c) => c.id)]);
  return graph.outputs.map((id) => {
    const t = env.get(id)!;
    // Never hand back the caller's own arrays (or the graph's constant buffers) as results.
    return external.has(id) ? { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() } : t;
  });
}

/** Evaluates one node on its operand values (used by the interpreter and by constant folding). */
export function evaluateNode(node: Pick<Node, 'op' | 'attrs' | 'type'>, operands: HostTensor[]): HostTensor {
  const rule = EVAL_RULES[node.op as BuiltinOpName] as EvalRule<OpName> | undefined;
  if (rule) return rule(operands, node.attrs as never, node.type);
  const def = getOp(node.op);
  const result = def.evaluate!(operands, node.attrs, node.type);
  if (result.dtype !== node.type.dtype || !shapesEqual(result.shape, node.type.shape)) {
    throw new InterpreterError(
      `op '${node.op}' evaluated to ${result.dtype}${formatShape(result.shape)}, its type rule said ${node.type.dtype}${formatShape(node.type.shape)}`,
    );
  }
  return result;
}

function checkInput(id: ValueId, type: TensorType, given: InterpreterInput): HostTensor {
  const tensor: HostTensor = ArrayBuffer.isView(given)
    ? { dtype: type.dtype, shape: type.shape, data: given as TypedArray }
    : (given as HostTensor);
  if (!tensor || !ArrayBuffer.isView(tensor.data))
    throw new InterpreterError(`input %${id}: expected a typed array or HostTensor`);
  if (tensor.dtype !== type.dtype)
    throw new InterpreterError(`input %${id}: expected ${type.dtype}, got ${tensor.dtype}`);
  if (!shapesEqual(tensor.shape, type.shape)) {
    throw new InterpreterError(
      `input %${id}: expected shape ${formatShape(type.shape)}, got ${formatShape(tensor.shape)}`,
    );
  }
  const storage = typedArrayFor(type.dtype, 0).constructor;
  if (tensor.data.constructor !== storage || tensor.data.length !== numel(type.shape)) {
    throw new InterpreterError(
      `input %${id}: expected ${storage.name} of length ${numel(type.shape)} for ${type.dtype}${formatShape(type.shape)}, got ${tensor.data.constructor.name} of length ${tensor.data.length}`,
    );
  }
  // Re-round float16 and normalize bools so that hand-made inputs cannot carry out-of-dtype values.
  if (type.dtype === 'float16' || type.dtype === 'bool') {
    return castTensor(
      { dtype: 'float32', shape: [...type.shape], data: Float32Array.from(tensor.data) },
      type.dtype,
    );
  }
  return { dtype: type.dtype, shape: [...type.shape], data: tensor.data };
}
