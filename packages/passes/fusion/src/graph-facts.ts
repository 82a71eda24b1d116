import { type Graph, getOp, type Node, numel, type OpTraits, type ValueId } from '@paradox/ir';

/**
 * What fusion needs to know about a graph, computed once per run. Every walk here is iterative
 * (explicit stacks), so graphs of 100,000+ nodes in one chain never overflow the call stack.
 */
export interface GraphFacts {
  graph: Graph;
  nodeById: Map<ValueId, Node>;
  /** Graph order of every node (topological), for sorting member sets. */
  position: Map<ValueId, number>;
  /** Node ids that read each value, in node order (movement nodes included). */
  users: Map<ValueId, Node[]>;
  outputs: Set<ValueId>;
  traits(node: Node): OpTraits;
  /** computeUsers' answers, by value (planning asks for the same values many times; the graph is fixed). */
  computeUsersMemo?: Map<ValueId, readonly ComputeUser[]>;
}

export function graphFacts(graph: Graph): GraphFacts {
  const nodeById = new Map<ValueId, Node>();
  const position = new Map<ValueId, number>();
  const users = new Map<ValueId, Node[]>();
  const { nodes } = graph;
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    nodeById.set(n.id, n);
    position.set(n.id, k);
    for (const i of n.inputs) {
      const list = users.get(i);
      if (list === undefined) users.set(i, [n]);
      else if (list[list.length - 1] !== n) list.push(n);
    }
  }
  return {
    graph,
    nodeById,
    position,
    users,
    outputs: new Set(graph.outputs),
    traits: (node) => getOp(node.op).traits,
    computeUsersMemo: new Map(),
  };
}

export const isView = (f: GraphFacts, n: Node): boolean => f.traits(n).movement === true;
export const isReduce = (f: GraphFacts, n: Node): boolean => f.traits(n).reduction === true;
export const isContraction = (f: GraphFacts, n: Node): boolean => f.traits(n).contraction === true;
/** Creation ops other than random are free to recompute anywhere (a constant or an iota). */
export const isFreeCreation = (f: GraphFacts, n: Node): boolean =>
  f.traits(n).creation === true && f.traits(n).impure !== true;

export const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Shape of any value: a node, a graph input or a constant. */
export function shapeOf(f: GraphFacts, id: ValueId): number[] {
  const n = f.nodeById.get(id);
  if (n) return n.type.shape;
  const i = f.graph.inputs.find((x) => x.id === id) ?? f.graph.constants.find((x) => x.id === id);
  return i ? i.type.shape : [];
}

/** Ids sorted into graph order (inputs and constants, which have no position, first). */
export function inGraphOrder(f: GraphFacts, ids: Iterable<ValueId>): ValueId[] {
  return [...ids].sort((a, b) => (f.position.get(a) ?? -1) - (f.position.get(b) ?? -1));
}

export interface ComputeUser {
  node: Node;
  /** Output elements per input element along the view path (> 1: broadcast, concat or pad). */
  expansion: number;
}

/**
 * Compute nodes that consume `id`, looking through movement (view) nodes, each with the
 * expansion factor of the view path (output elements per input element; > 1 means the value is
 * read more than once per element, as through a broadcast).
 */
export function computeUsers(f: GraphFacts, id: ValueId): readonly ComputeUser[] {
  const known = f.computeUsersMemo?.get(id);
  if (known) return known;
  const out = walkComputeUsers(f, id);
  f.computeUsersMemo?.set(id, out);
  return out;
}

function walkComputeUsers(f: GraphFacts, id: ValueId): ComputeUser[] {
  const out: ComputeUser[] = [];
  const from = f.nodeById.get(id);
  const baseSize = from ? Math.max(1, numel(from.type.shape)) : 1;
  // Most values have no view among their users (a chain of elementwise ops): those users, each
  // listed once and in order (see graphFacts), are the answer, with no walk.
  const direct = f.users.get(id) ?? [];
  if (!direct.some((u) => isView(f, u))) {
    for (const u of direct) out.push({ node: u, expansion: Math.max(1, numel(u.type.shape)) / baseSize });
    return out;
  }
  const found = new Set<Node>();
  // Depth-first in user order (the order a recursive walk would visit them).
  const stack: ValueId[] = [id];
  const walked = new Set<ValueId>();
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (walked.has(v)) continue;
    walked.add(v);
    const us = f.users.get(v) ?? [];
    const views: ValueId[] = [];
    for (const u of us) {
      // A view that is a graph output is materialized itself: it counts as a consumer.
      const view = isView(f, u);
      if (view) views.push(u.id);
      if ((!view || f.outputs.has(u.id)) && !found.has(u)) {
        found.add(u);
        out.push({ node: u, expansion: Math.max(1, numel(u.type.shape)) / baseSize });
      }
    }
    for (let k = views.length - 1; k >= 0; k--) stack.push(views[k]!);
  }
  return out;
}

/**
 * Compute producers of a node, looking through views; ids that are inputs/constants are omitted.
 * A view in `stored` is a producer itself (it is materialized, so it is read, not looked through).
 */
export function computeProducers(f: GraphFacts, node: Node, stored?: ReadonlyMap<ValueId, unknown>): Node[] {
  const out: Node[] = [];
  const found = new Set<Node>();
  const walked = new Set<ValueId>();
  const stack = [...node.inputs].reverse();
  while (stack.length > 0) {
    const v = stack.pop()!;
    const p = f.nodeById.get(v);
    if (!p) continue;
    if (isView(f, p) && !stored?.has(v)) {
      if (walked.has(v)) continue;
      walked.add(v);
      for (let k = p.inputs.length - 1; k >= 0; k--) stack.push(p.inputs[k]!);
    } else if (!found.has(p)) {
      found.add(p);
      out.push(p);
    }
  }
  return out;
}
