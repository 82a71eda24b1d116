import { type Graph, type Node, type ValueId, valueTypes } from '@paradox/ir';
import { FreshIds } from '@paradox/pass-manager';

/**
 * A concat reads every operand's buffer in one kernel, so a concat of more distinct operands than
 * the backend can bind (`maxBuffersPerKernel` less the store) cannot be one kernel. It becomes a
 * tree of concats of at most `limit - 1` operands each, along the same axis (same values); fusion
 * then stores the inner concats as the buffer limit needs. Other ops have a fixed small arity.
 */
export function splitWideConcats(graph: Graph, maxBuffersPerKernel: number): Graph {
  const width = maxBuffersPerKernel - 1;
  const isWide = (n: Node) => n.op === 'concat' && new Set(n.inputs).size > width;
  if (!Number.isFinite(width) || width < 2 || !graph.nodes.some(isWide)) return graph;
  const types = valueTypes(graph);
  const ids = new FreshIds(graph);
  const nodes: Node[] = [];
  for (const n of graph.nodes) {
    if (!isWide(n)) {
      nodes.push(n);
      continue;
    }
    const rank = n.type.shape.length;
    const axis = (((n.attrs.axis as number) % rank) + rank) % rank;
    const extent = (id: ValueId) => types.get(id)!.shape[axis]!;
    let parts = [...n.inputs];
    while (new Set(parts).size > width) {
      const next: ValueId[] = [];
      for (let k = 0; k < parts.length; k += width) {
        const chunk = parts.slice(k, k + width);
        if (chunk.length === 1) {
          next.push(chunk[0]!);
          continue;
        }
        const shape = [...n.type.shape];
        shape[axis] = chunk.reduce((s, c) => s + extent(c), 0);
        const part: Node = {
          id: ids.node(),
          op: 'concat',
          inputs: chunk,
          attrs: { axis },
          type: { dtype: n.type.dtype, shape },
          ...(n.source ? { source: n.source } : {}),
        };
        types.set(part.id, part.type);
        nodes.push(part);
        next.push(part.id);
      }
      parts = next;
    }
    nodes.push({ ...n, inputs: parts, attrs: { ...n.attrs, axis } });
  }
  return { ...graph, nodes };
}
