import { type Graph, getOp, type Node, numel, type OpTraits, type ValueId } from '@paradox/ir';

/** What fusion needs to know about a graph, computed once per run. */
export interface GraphFacts {
  graph: Graph;
  nodeById: Map<ValueId, Node>;
  /** Node ids that read each value, in node order (movement nodes included). */
  users: Map<ValueId, Node[]>;
  outputs: Set<ValueId>;
  traits(node: Node): OpTraits;
}

export function graphFacts(graph: Graph): GraphFacts {
  const nodeById = new Map<ValueId, Node>();
  const users = new Map<ValueId, Node[]>();
  for (const n of graph.nodes) {
    nodeById.set(n.id, n);
    for (const i of n.inputs) {
      const list = users.get(i) ?? [];
      if (!list.includes(n)) list.push(n);
      users.set(i, list);
    }
  }
  return {
    graph,
    nodeById,
    users,
    outputs: new Set(graph.outputs),
    traits: (node) => getOp(node.op).traits,
  };
}

export const isView = (f: GraphFacts, n: Node): boolean => f.traits(n).movement === true;
export const isReduce = (f: GraphFacts, n: Node): boolean => f.traits(n).reduction === true;
export const isContraction = (f: GraphFacts, n: Node): boolean => f.traits(n).contraction === true;
/** Creation ops other than random are free to recompute anywhere (a constant or an iota). */
export const isFreeCreation = (f: GraphFacts, n: Node): boolean =>
  f.traits(n).creation === true && f.traits(n).impure !== true;

/**
 * Compute nodes that consume `id`, looking through movement (view) nodes, each with the
 * expansion factor of the view path (output elements per input element; > 1 means broadcast).
 */
export function computeUsers(f: GraphFacts, id: ValueId): { node: Node; expansion: number }[] {
  const out: { node: Node; expansion: number }[] = [];
  const from = f.nodeById.get(id);
  const baseSize = from ? Math.max(1, numel(from.type.shape)) : 1;
  const walk = (v: ValueId): void => {
    for (const u of f.users.get(v) ?? []) {
      // A view that is a graph output is materialized itself: it counts as a consumer.
      if (isView(f, u) && f.outputs.has(u.id) && !out.some((o) => o.node === u)) {
        out.push({ node: u, expansion: Math.max(1, numel(u.type.shape)) / baseSize });
      }
      if (isView(f, u)) walk(u.id);
      else if (!out.some((o) => o.node === u)) {
        const readSize = Math.max(1, numel(u.type.shape));
        out.push({ node: u, expansion: readSize / baseSize });
      }
    }
  };
  walk(id);
  return out;
}

/** Compute producers of a node, looking through views; ids that are inputs/constants are omitted. */
export function computeProducers(f: GraphFacts, node: Node): Node[] {
  const out: Node[] = [];
  const walk = (v: ValueId): void => {
    const p = f.nodeById.get(v);
    if (!p) return;
    if (isView(f, p)) p.inputs.forEach(walk);
    else if (!out.includes(p)) out.push(p);
  };
  node.inputs.forEach(walk);
  return out;
}
