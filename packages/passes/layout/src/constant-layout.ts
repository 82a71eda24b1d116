import { type Graph, type GraphConstant, type Node, stridesOf, typedArrayFor } from '@paradox/ir';
import { maxNumericNodeId } from '@paradox/pass-manager';

/**
 * Layout assignment for captured weights: when the backend prefers the contraction's right operand
 * transposed ('nk'), a rank-2 constant used only as matmul rhs is stored transposed once at compile
 * time and read back through a free transpose view, so the kernel streams it contiguously.
 */
export function assignConstantLayouts(
  graph: Graph,
  preferRhs: 'kn' | 'nk' | undefined,
): { graph: Graph; count: number } {
  if (preferRhs !== 'nk') return { graph, count: 0 };
  const uses = new Map<string, Node[]>();
  for (const n of graph.nodes) {
    for (const i of n.inputs) {
      const list = uses.get(i);
      if (list) list.push(n);
      else uses.set(i, [n]);
    }
  }
  const outputs = new Set(graph.outputs);
  const buffers = [...graph.buffers];
  const constants: GraphConstant[] = [];
  const nodes: Node[] = [];
  let count = 0;
  let nextId = 1 + maxNumericNodeId(graph);
  const views = new Map<string, string>();
  for (const c of graph.constants) {
    const users = uses.get(c.id) ?? [];
    const onlyRhs =
      users.length > 0 &&
      users.every((u) => u.op === 'matmul' && u.inputs[1] === c.id && u.inputs[0] !== c.id);
    if (c.type.shape.length !== 2 || !onlyRhs || outputs.has(c.id)) {
      constants.push(c);
      continue;
    }
    const [k, n] = c.type.shape as [number, number];
    const src = graph.buffers[c.buffer]!;
    const dst = typedArrayFor(c.type.dtype, k * n);
    const [sk] = stridesOf([k, n]);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) dst[j * k + i] = src[i * sk! + j]!;
    buffers.push(dst);
    constants.push({ id: c.id, type: { dtype: c.type.dtype, shape: [n, k] }, buffer: buffers.length - 1 });
    const view = String(nextId++);
    nodes.push({ id: view, op: 'transpose', inputs: [c.id], attrs: { perm: [1, 0] }, type: c.type });
    views.set(c.id, view);
    count++;
  }
  if (count === 0) return { graph, count };
  for (const n of graph.nodes) nodes.push({ ...n, inputs: n.inputs.map((i) => views.get(i) ?? i) });
  return { graph: { ...graph, constants, buffers, nodes }, count };
}
