import { getOp, type Node, numel, type ValueId } from '@paradox/ir';
import {
  computeProducers,
  computeUsers,
  type GraphFacts,
  isContraction,
  isFreeCreation,
  isReduce,
  isView,
} from './graph-facts.js';

/**
 * Fusion as realization decisions (tinygrad's "realize" view): every compute node is either
 * realized (stored to memory, the root of a kernel) or inlined into each kernel that reads it.
 * A kernel is a realized root plus everything it reaches through inlined nodes and views.
 *
 * Legality (what a kernel may contain) and profitability (what is worth recomputing) are separate
 * rule lists below; the backend's capabilities come last. Every decision keeps its reason.
 */
export interface FusionLimits {
  /** Most op cost units an inlined value may cost to be recomputed by several consumers. */
  recomputeCost: number;
  /** From the backend: most distinct buffers one kernel may touch. */
  maxBuffersPerKernel: number;
}

export interface Plan {
  /** Realized compute node -> why it is materialized. */
  realized: Map<ValueId, string>;
  /** Kernels: root id and member ids (compute and view nodes), roots in topological order. */
  groups: Group[];
}

export interface Group {
  roots: ValueId[];
  members: Set<ValueId>;
}

const cost = (n: Node): number => getOp(n.op).traits.cost ?? 1;

// --- initial decisions: legality and profitability of each value on its own ---------------------

function initialRealized(f: GraphFacts, limits: FusionLimits): Map<ValueId, string> {
  const realized = new Map<ValueId, string>();
  const inlinedCost = new Map<ValueId, number>();
  for (const n of f.graph.nodes) {
    if (isView(f, n)) {
      if (f.outputs.has(n.id)) realized.set(n.id, 'graph output (a view) is materialized');
      continue;
    }
    const users = computeUsers(f, n.id);
    const reason = initialReason(f, n, users, limits, inlinedCost);
    if (reason) realized.set(n.id, reason);
    // Cost of recomputing n where it is inlined: n plus its inlined producers.
    const own = isFreeCreation(f, n) ? 0 : cost(n);
    const fromProducers = computeProducers(f, n)
      .filter((p) => !realized.has(p.id))
      .reduce((s, p) => s + (inlinedCost.get(p.id) ?? 0), 0);
    inlinedCost.set(n.id, own + fromProducers);
  }
  return realized;
}

function initialReason(
  f: GraphFacts,
  n: Node,
  users: { node: Node; expansion: number }[],
  limits: FusionLimits,
  inlinedCost: Map<ValueId, number>,
): string | undefined {
  const traits = f.traits(n);
  // Legality.
  if (f.outputs.has(n.id)) return 'graph output is materialized';
  if (traits.impure) return `impure op '${n.op}' is materialized`;
  if (users.some((u) => isContraction(f, u.node))) return 'matmul operands are read as views of a buffer';
  if (users.length === 0) return 'no consumer';
  if (isFreeCreation(f, n)) return undefined;
  if ((isReduce(f, n) || isContraction(f, n)) && users.length > 1) {
    return `${n.op} result has ${users.length} consumers (a reduction is never recomputed)`;
  }
  if (isReduce(f, n) || isContraction(f, n)) return undefined;
  // Profitability of recomputing an elementwise value.
  const subtree = (isFreeCreation(f, n) ? 0 : cost(n)) +
    computeProducers(f, n).reduce((s, p) => s + (inlinedCost.get(p.id) ?? 0), 0);
  if (users.length > 1 && subtree > limits.recomputeCost) {
    return `${users.length} consumers and recompute cost ${subtree} > limit ${limits.recomputeCost}`;
  }
  return undefined;
}

// --- kernels from realization decisions ---------------------------------------------------------

function formGroups(f: GraphFacts, realized: Map<ValueId, string>): Group[] {
  const groups: Group[] = [];
  for (const n of f.graph.nodes) {
    if (!realized.has(n.id)) continue;
    const members = new Set<ValueId>();
    const visit = (id: ValueId): void => {
      const p = f.nodeById.get(id);
      if (!p || members.has(id)) return;
      if (p !== n && realized.has(id)) return; // read from memory
      members.add(id);
      // Matmul operands stay outside: lowering reads them as views (or materializes a non-plain view).
      if (!isContraction(f, p)) p.inputs.forEach(visit);
    };
    visit(n.id);
    groups.push({ roots: [n.id], members });
  }
  return groups;
}

/** In-group compute ancestors of `id` (through members only). */
function inGroupAncestors(f: GraphFacts, g: Group, id: ValueId): Set<ValueId> {
  const seen = new Set<ValueId>();
  const walk = (v: ValueId): void => {
    for (const i of f.nodeById.get(v)?.inputs ?? []) {
      if (g.members.has(i) && !seen.has(i)) {
        seen.add(i);
        walk(i);
      }
    }
  };
  walk(id);
  return seen;
}

/** The last node of a reduction's own epilogue: single-consumer elementwise ops in its output space. */
function epilogueEnd(f: GraphFacts, r: Node): Node {
  let cur = r;
  const size = numel(r.type.shape);
  for (;;) {
    const users = computeUsers(f, cur.id);
    const u = users[0];
    if (users.length !== 1 || !u || u.expansion !== 1 || !f.traits(u.node).elementwise) return cur;
    if (numel(u.node.type.shape) !== size || f.outputs.has(cur.id)) return cur;
    cur = u.node;
  }
}

/** One legality or capability violation in a kernel: which node to realize, and why. */
interface Violation {
  realize: ValueId;
  reason: string;
}

function findViolation(f: GraphFacts, g: Group, limits: FusionLimits, realized: Map<ValueId, string>): Violation | undefined {
  const nodes = [...g.members].map((id) => f.nodeById.get(id)!);
  const reduces = nodes.filter((n) => isReduce(f, n));
  const contractions = nodes.filter((n) => isContraction(f, n));
  const root = f.nodeById.get(g.roots[0]!)!;

  // A reduction cannot consume another reduction of the same kernel (that needs two passes).
  for (const r of reduces) {
    for (const a of inGroupAncestors(f, g, r.id)) {
      const inner = f.nodeById.get(a)!;
      if (isReduce(f, inner) || isContraction(f, inner)) {
        return { realize: epilogueEnd(f, inner).id, reason: `feeds reduction %${r.id} (needs two passes)` };
      }
    }
  }
  if (contractions.length > 1) {
    return { realize: contractions[0]!.id, reason: 'one contraction per kernel' };
  }
  if (contractions.length === 1 && reduces.length > 0) {
    const c = contractions[0]!;
    return { realize: c === root ? reduces[0]!.id : c.id, reason: 'a contraction kernel carries no reduction' };
  }
  // Sibling reductions must share one reduction domain.
  const first = reduces[0];
  for (const r of reduces.slice(1)) {
    const a = f.nodeById.get(first!.inputs[0]!)!;
    const b = f.nodeById.get(r.inputs[0]!)!;
    const sameDomain = sameShape(typeOfValue(f, a.id), typeOfValue(f, b.id)) &&
      JSON.stringify(first!.attrs) === JSON.stringify(r.attrs);
    if (!sameDomain) return { realize: r.id, reason: `reduction domain differs from %${first!.id}` };
  }
  // Consumers of a reduction/contraction inside the kernel run in its output space (epilogue)
  // or, for a reduction, in its input space (a second pass over the reduced axes).
  for (const r of [...reduces, ...contractions]) {
    if (r === root) continue;
    const outSize = numel(r.type.shape);
    const inShape = isReduce(f, r) ? typeOfValue(f, r.inputs[0]!) : undefined;
    for (const n of nodes) {
      // Views are index math, except a view that is the kernel's root: it is stored.
      if ((isView(f, n) && n !== root) || n === r || !dependsOn(f, g, n.id, r.id)) continue;
      const size = numel(n.type.shape);
      const epilogue = size === outSize;
      const secondPass = inShape !== undefined && sameShape(n.type.shape, inShape) && sameShape(root.type.shape, inShape);
      if (!epilogue && !secondPass) {
        return { realize: epilogueEnd(f, r).id, reason: `consumer %${n.id} is neither an epilogue nor a second pass` };
      }
    }
  }
  // Profitability: an inlined value read through a broadcast would be recomputed per copy,
  // unless it is computed once per output point after a reduction (it depends on one).
  for (const n of nodes) {
    if (n === root || isView(f, n) || isFreeCreation(f, n) || isReduce(f, n) || isContraction(f, n)) continue;
    const expanded = computeUsers(f, n.id).some((u) => g.members.has(u.node.id) && u.expansion > 1);
    const afterReduction = [...inGroupAncestors(f, g, n.id)].some((a) => {
      const an = f.nodeById.get(a)!;
      return isReduce(f, an) || isContraction(f, an);
    });
    if (expanded && !afterReduction) return { realize: n.id, reason: 'read through a broadcast: inlining would repeat its work' };
  }
  // Capability: distinct buffers touched (external reads + the root's store).
  const external = externalReads(f, g, realized);
  if (external.size + g.roots.length > limits.maxBuffersPerKernel) {
    const candidate = nodes
      .filter((n) => n !== root && !isView(f, n) && !isFreeCreation(f, n))
      .map((n) => ({ n, reads: externalReads(f, { roots: [n.id], members: subgroup(f, g, n.id) }, realized).size }))
      .filter((c) => c.reads > 0 && c.reads < external.size)
      .sort((a, b) => b.reads - a.reads)[0];
    if (candidate) {
      return {
        realize: candidate.n.id,
        reason: `kernel would touch ${external.size + g.roots.length} buffers > backend limit ${limits.maxBuffersPerKernel}`,
      };
    }
  }
  return undefined;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

function typeOfValue(f: GraphFacts, id: ValueId): number[] {
  const n = f.nodeById.get(id);
  if (n) return n.type.shape;
  const i = f.graph.inputs.find((x) => x.id === id) ?? f.graph.constants.find((x) => x.id === id);
  return i ? i.type.shape : [];
}

function dependsOn(f: GraphFacts, g: Group, id: ValueId, on: ValueId): boolean {
  return inGroupAncestors(f, g, id).has(on);
}

function subgroup(f: GraphFacts, g: Group, id: ValueId): Set<ValueId> {
  const s = inGroupAncestors(f, g, id);
  s.add(id);
  return s;
}

/** Buffers a kernel reads: graph inputs, constants and realized nodes outside it. */
export function externalReads(f: GraphFacts, g: Group, realized: Map<ValueId, string>): Set<ValueId> {
  const out = new Set<ValueId>();
  const read = (i: ValueId): void => {
    if (g.members.has(i)) return;
    const p = f.nodeById.get(i);
    if (!p || realized.has(i)) out.add(i);
    else if (isView(f, p)) p.inputs.forEach(read); // a matmul operand view outside the member set
  };
  for (const id of g.members) f.nodeById.get(id)!.inputs.forEach(read);
  return out;
}

/** Realization decisions iterated to a legal fixed point, then the kernels they imply. */
export function planFusion(f: GraphFacts, limits: FusionLimits): Plan {
  const realized = initialRealized(f, limits);
  for (let iter = 0; iter <= f.graph.nodes.length; iter++) {
    const groups = formGroups(f, realized);
    const violation = groups.map((g) => findViolation(f, g, limits, realized)).find((v) => v !== undefined);
    if (!violation) return { realized, groups };
    realized.set(violation.realize, violation.reason);
  }
  throw new Error('fusion planning did not converge (every node realized is always legal)');
}
