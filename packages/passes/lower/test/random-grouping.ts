import type { Graph, Node, ValueId } from '@paradox/ir';
import { cloneGraph, getOp, shapesEqual } from '@paradox/ir';

/**
 * Random legal fusion groupings, standing in for the fusion pass in property tests: each compute
 * node may join the group of one of its direct producers when the result is a group lowering
 * accepts — an elementwise chain of one shape, a reduction fed by such a chain (prologue), or
 * elementwise consumers of a reduction/matmul of its result shape (epilogue) — and joining adds no
 * cycle between groups. Movement and creation nodes stay ungrouped (inlined views).
 */
interface Group {
  id: number;
  shape: number[];
  reduces: boolean;
  members: Set<ValueId>;
  /** Groups this one reads. */
  reads: Set<Group>;
}

export function randomGrouping(graph: Graph, seed: number): Graph {
  const g = cloneGraph(graph);
  let state = seed >>> 0 || 1;
  const coin = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 < 0.85;
  };
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const groupOf = new Map<ValueId, Group>();
  const inline = (n: Node | undefined) =>
    n !== undefined && (getOp(n.op).traits.movement || getOp(n.op).traits.creation);
  /** Groups `id` reads through inlined nodes (its own group when it is a member). */
  const producerGroups = (id: ValueId, into = new Set<Group>()): Set<Group> => {
    const n = byId.get(id);
    if (!n) return into;
    const owner = groupOf.get(id);
    if (owner) into.add(owner);
    else if (inline(n)) for (const i of n.inputs) producerGroups(i, into);
    return into;
  };
  const dependsOn = (h: Group, target: Group, seen = new Set<Group>()): boolean => {
    if (h === target) return true;
    if (seen.has(h)) return false;
    seen.add(h);
    return [...h.reads].some((r) => dependsOn(r, target, seen));
  };
  let next = 0;
  for (const n of g.nodes) {
    const traits = getOp(n.op).traits;
    if (inline(n)) continue;
    const reads = new Set<Group>();
    for (const i of n.inputs) producerGroups(i, reads);
    const inShape = n.inputs[0] ? (byId.get(n.inputs[0])?.type.shape ?? []) : [];
    const candidates = n.inputs
      .map((i) => groupOf.get(i))
      .filter((c): c is Group => c !== undefined)
      .filter((c) => {
        // every read of the candidate group must be a direct operand (no view of a member)
        const viaView = n.inputs.some((i) => !c.members.has(i) && producerGroups(i).has(c));
        if (viaView) return false;
        if ([...reads].some((r) => r !== c && dependsOn(r, c))) return false;
        if (traits.elementwise) {
          if (!shapesEqual(n.type.shape, c.shape)) return false;
          return n.inputs.every((i) => !c.members.has(i) || shapesEqual(byId.get(i)!.type.shape, c.shape));
        }
        return traits.reduction === true && !c.reduces && shapesEqual(inShape, c.shape);
      });
    let target = candidates.length > 0 && coin() ? candidates[0] : undefined;
    if (!target) {
      target = { id: next++, shape: [...n.type.shape], reduces: false, members: new Set(), reads: new Set() };
    }
    if (traits.reduction || traits.contraction) {
      target.reduces = true;
      target.shape = [...n.type.shape];
    }
    target.members.add(n.id);
    for (const r of reads) if (r !== target) target.reads.add(r);
    groupOf.set(n.id, target);
    n.group = target.id;
  }
  return g;
}
