import { GraphBuilder } from './builder.js';
import { OpRegistrationError } from './errors.js';
import type { Graph, Node, TensorType, ValueId } from './graph.js';
import { getOp, hasOp } from './registry.js';

/** A decomposition that keeps producing decomposable ops past this depth is a cycle. */
const MAX_ROUNDS = 32;

const decomposable = (graph: Graph): boolean =>
  graph.nodes.some((n) => hasOp(n.op) && getOp(n.op).decompose !== undefined);

const sameType = (a: TensorType, b: TensorType): boolean =>
  a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/**
 * Expands every node whose op has a `decompose` hook (ops registered outside @paradox/ir) into the
 * ops it is defined by, until none is left. Returns `graph` itself when there is nothing to expand.
 * Expanded nodes keep the source location and fusion group of the node they replace. Throws
 * OpRegistrationError when a decomposition gives a value of the wrong type or never terminates.
 */
export function decomposeOps(graph: Graph): Graph {
  let g = graph;
  for (let round = 0; decomposable(g); round++) {
    if (round === MAX_ROUNDS) {
      throw new OpRegistrationError(
        `decompositions still produce decomposable ops after ${MAX_ROUNDS} rounds (a cycle?)`,
      );
    }
    g = expandOnce(g);
  }
  return g;
}

function expandOnce(graph: Graph): Graph {
  const b = new GraphBuilder(graph.name);
  const ids = new Map<ValueId, ValueId>();
  for (const i of graph.inputs) ids.set(i.id, b.input(i.id, i.type));
  for (const c of graph.constants) {
    ids.set(c.id, b.constant(graph.buffers[c.buffer]!, c.type.shape, c.type.dtype, c.id));
  }
  const spans: { from: number; node: Node }[] = [];
  for (const n of graph.nodes) {
    spans.push({ from: b.nodeCount, node: n });
    const inputs = n.inputs.map((id) => ids.get(id)!);
    const def = getOp(n.op);
    let out: ValueId;
    if (def.decompose) {
      out = def.decompose(
        b,
        inputs,
        n.attrs,
        inputs.map((id) => b.typeOf(id)),
      );
      if (!sameType(b.typeOf(out), n.type)) {
        const t = b.typeOf(out);
        throw new OpRegistrationError(
          `decomposition of '${n.op}' gives ${t.dtype}[${t.shape.join(',')}], the op's type is ${n.type.dtype}[${n.type.shape.join(',')}]`,
        );
      }
    } else {
      out = b.op(n.op, inputs, n.attrs, n.source);
    }
    ids.set(n.id, out);
  }
  const result = b.output(...graph.outputs.map((o) => ids.get(o)!)).build();
  // Nodes a decomposition added belong where the node they replace did.
  spans.forEach(({ from, node: original }, k) => {
    for (const node of result.nodes.slice(from, spans[k + 1]?.from ?? result.nodes.length)) {
      if (original.group !== undefined) node.group = original.group;
      if (original.source && !node.source) node.source = original.source;
    }
  });
  return result;
}
