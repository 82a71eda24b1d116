import type { Graph, Node, ValueId } from '@paradox/ir';
import { maxNumericNodeId } from '@paradox/pass-manager';
import type { Group } from './kernels.js';

/**
 * Writes the plan into the graph: each member node gets its kernel's `group`. A node inlined into
 * several kernels is recomputed by each, so it is cloned once per extra kernel (lowering then sees
 * disjoint groups). Clones are inserted right after the original, which keeps topological order.
 */
export function assignGroups(graph: Graph, groups: Group[]): Graph {
  const groupsOf = new Map<ValueId, number[]>();
  groups.forEach((g, gi) => {
    for (const id of g.members) {
      const list = groupsOf.get(id);
      if (list) list.push(gi);
      else groupsOf.set(id, [gi]);
    }
  });
  let nextId = 1 + maxNumericNodeId(graph);
  // Per group: original id -> the id this group reads it under.
  const renamed = groups.map(() => new Map<ValueId, ValueId>());
  const nodes: Node[] = [];
  for (const n of graph.nodes) {
    const gs = groupsOf.get(n.id) ?? [];
    if (gs.length === 0) {
      const { group: _drop, ...rest } = n;
      nodes.push(rest);
      continue;
    }
    for (let k = 0; k < gs.length; k++) {
      const gi = gs[k]!;
      const id = k === 0 ? n.id : String(nextId++);
      const names = renamed[gi]!;
      names.set(n.id, id);
      nodes.push(
        withGroup(
          n,
          id,
          n.inputs.map((i) => names.get(i) ?? i),
          gi,
        ),
      );
    }
  }
  return { ...graph, nodes };
}

/**
 * `{ ...n, id, inputs, group }`, spelled out: object spread over nodes of mixed shapes (with and
 * without `source` or `group`) goes through V8's slow generic copy, once per node of every graph.
 */
function withGroup(n: Node, id: ValueId, inputs: ValueId[], group: number): Node {
  return n.source === undefined
    ? { id, op: n.op, inputs, attrs: n.attrs, type: n.type, group }
    : { id, op: n.op, inputs, attrs: n.attrs, type: n.type, source: n.source, group };
}
