import type { Graph, Node, TensorType, ValueId } from '@paradox/ir';
import { getOp, valueTypes } from '@paradox/ir';
import { LoweringError } from './errors.js';

/**
 * Splits the live nodes of a graph into kernel groups:
 * - nodes with the same `node.group` form one group;
 * - an ungrouped movement or creation node is inlined: every kernel that reads it recomputes it
 *   (a view is index math, a constant/iota/random is a function of the index), unless it must be
 *   materialized (a graph output, or `forced`);
 * - any other ungrouped node is a group of its own.
 * A group's materialized values are the members read by another group (looking through inlined
 * nodes) or returned by the graph; each gets a buffer.
 */
export interface KernelGroup {
  /** How errors name the group: fusion's number, or `node %id` for an ungrouped node. */
  label: string;
  nodes: Node[];
  /** Member values that need a buffer, in graph order. */
  materialized: ValueId[];
  /** Groups whose materialized values this one reads. */
  deps: Set<KernelGroup>;
}

export interface Partition {
  /** In an order where every group runs after the groups it reads. */
  groups: KernelGroup[];
  groupOf: Map<ValueId, KernelGroup>;
  inline: Set<ValueId>;
  nodeById: Map<ValueId, Node>;
  /** Types of every value: inputs, constants and nodes. */
  types: Map<ValueId, TensorType>;
}

/** Nodes an output depends on; everything else is dead and gets no kernel. */
export function liveNodes(graph: Graph): Node[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const live = new Set<ValueId>();
  const stack = [...graph.outputs];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (live.has(id)) continue;
    live.add(id);
    const n = byId.get(id);
    if (n) stack.push(...n.inputs);
  }
  return graph.nodes.filter((n) => live.has(n.id));
}

/** Ungrouped views and creations are recomputed by their readers instead of stored. */
export function isInlinable(node: Node): boolean {
  const t = getOp(node.op).traits;
  return node.group === undefined && (t.movement === true || t.creation === true);
}

export function partitionGraph(graph: Graph, nodes: Node[], forced: ReadonlySet<ValueId>): Partition {
  const outputs = new Set(graph.outputs);
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const inline = new Set<ValueId>();
  const byKey = new Map<string, KernelGroup>();
  const groupOf = new Map<ValueId, KernelGroup>();
  for (const n of nodes) {
    if (isInlinable(n) && !forced.has(n.id) && !outputs.has(n.id)) {
      inline.add(n.id);
      continue;
    }
    const key = n.group === undefined ? `node:${n.id}` : `group:${n.group}`;
    let g = byKey.get(key);
    if (!g) {
      g = {
        label: n.group === undefined ? `node %${n.id}` : String(n.group),
        nodes: [],
        materialized: [],
        deps: new Set(),
      };
      byKey.set(key, g);
    }
    g.nodes.push(n);
    groupOf.set(n.id, g);
  }

  const users = new Map<ValueId, Node[]>();
  for (const n of nodes) {
    for (let k = 0; k < n.inputs.length; k++) {
      const i = n.inputs[k]!;
      if (n.inputs.indexOf(i) !== k) continue; // a node reading a value twice is one user
      const list = users.get(i);
      if (list) list.push(n);
      else users.set(i, [n]);
    }
  }
  /** Groups that read `id`, looking through inlined nodes. */
  const readers = (id: ValueId, into: Set<KernelGroup>): Set<KernelGroup> => {
    for (const u of users.get(id) ?? []) {
      if (inline.has(u.id)) readers(u.id, into);
      else into.add(groupOf.get(u.id)!);
    }
    return into;
  };
  for (const g of byKey.values()) {
    for (const n of g.nodes) {
      let readElsewhere = false;
      for (const r of readers(n.id, new Set())) {
        if (r === g) continue;
        readElsewhere = true;
        r.deps.add(g);
      }
      if (outputs.has(n.id) || readElsewhere) g.materialized.push(n.id);
    }
  }
  return {
    groups: scheduleGroups([...byKey.values()], nodes),
    groupOf,
    inline,
    nodeById,
    types: valueTypes(graph),
  };
}

/** Topological order of groups (ties broken by graph order); a cycle means fusion merged across a dependency. */
function scheduleGroups(groups: KernelGroup[], nodes: Node[]): KernelGroup[] {
  const position = new Map(nodes.map((n, i) => [n.id, i]));
  const first = (g: KernelGroup) => position.get(g.nodes[0]!.id)!;
  const pending = new Set(groups);
  const order: KernelGroup[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter((g) => [...g.deps].every((d) => !pending.has(d)));
    if (ready.length === 0) {
      const stuck = [...pending].map((g) => g.label).join(', ');
      throw new LoweringError(
        undefined,
        `groups ${stuck} depend on each other in a cycle (fusion merged nodes across a dependency)`,
      );
    }
    ready.sort((a, b) => first(a) - first(b));
    order.push(ready[0]!);
    pending.delete(ready[0]!);
  }
  return order;
}
