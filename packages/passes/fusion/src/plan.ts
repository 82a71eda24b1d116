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
  if (users.length === 0) return undefined; // dead: no kernel (dce removes it)
  if (isFreeCreation(f, n)) return undefined;
  if ((isReduce(f, n) || isContraction(f, n)) && users.length > 1) {
    return `${n.op} result has ${users.length} consumers (a reduction is never recomputed)`;
  }
  if (isReduce(f, n) || isContraction(f, n)) return undefined;
  // Profitability of recomputing an elementwise value.
  const subtree =
    (isFreeCreation(f, n) ? 0 : cost(n)) +
    computeProducers(f, n).reduce((s, p) => s + (inlinedCost.get(p.id) ?? 0), 0);
  if (users.length > 1 && subtree > limits.recomputeCost) {
    return `${users.length} consumers and recompute cost ${subtree} > limit ${limits.recomputeCost}`;
  }
  return undefined;
}

// --- kernels from realization decisions ---------------------------------------------------------

/** Views on the operand paths of matmuls: lowering reads (or materializes) them for the matmul alone. */
function contractionOperandViews(f: GraphFacts): Set<ValueId> {
  const out = new Set<ValueId>();
  const walk = (id: ValueId): void => {
    const p = f.nodeById.get(id);
    if (!p || !isView(f, p) || out.has(id)) return;
    out.add(id);
    p.inputs.forEach(walk);
  };
  for (const n of f.graph.nodes) if (isContraction(f, n)) n.inputs.forEach(walk);
  return out;
}

function formGroups(f: GraphFacts, realized: Map<ValueId, string>): Group[] {
  const groups: Group[] = [];
  const operandViews = contractionOperandViews(f);
  for (const n of f.graph.nodes) {
    if (!realized.has(n.id)) continue;
    const members = new Set<ValueId>();
    const visit = (id: ValueId): void => {
      const p = f.nodeById.get(id);
      if (!p || members.has(id)) return;
      if (p !== n && realized.has(id)) return; // read from memory
      // Matmul operand views stay ungrouped: lowering reads them as views, or materializes a
      // non-plain one (pad/concat) for the matmul; other readers inline them as index math.
      if (p !== n && operandViews.has(id)) return;
      members.add(id);
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

/**
 * The last node of a reduction's own epilogue: single-consumer elementwise ops of the same shape,
 * stopping before anything already materialized.
 */
function epilogueEnd(f: GraphFacts, r: Node, realized: Map<ValueId, string>): Node {
  let cur = r;
  const size = numel(r.type.shape);
  for (;;) {
    const users = computeUsers(f, cur.id);
    const u = users[0];
    if (users.length !== 1 || !u || u.expansion !== 1 || !f.traits(u.node).elementwise) return cur;
    if (realized.has(u.node.id) || !sameShape(u.node.type.shape, r.type.shape)) return cur;
    if (numel(u.node.type.shape) !== size || f.outputs.has(cur.id)) return cur;
    cur = u.node;
  }
}

/** One legality or capability violation in a kernel: which node to realize, and why. */
interface Violation {
  realize: ValueId;
  reason: string;
}

function findViolation(
  f: GraphFacts,
  g: Group,
  limits: FusionLimits,
  realized: Map<ValueId, string>,
): Violation | undefined {
  const nodes = [...g.members].map((id) => f.nodeById.get(id)!);
  const reduces = nodes.filter((n) => isReduce(f, n));
  const contractions = nodes.filter((n) => isContraction(f, n));
  // Several roots (multi-output kernels) always share one shape; `root` stands for any of them.
  const root = f.nodeById.get(g.roots[0]!)!;
  const isRoot = (n: Node): boolean => g.roots.includes(n.id);
  const after = reductionsBefore(f, g);

  // A reduction cannot consume another reduction of the same kernel (that needs two passes).
  for (const r of reduces) {
    const innerId = after.get(r.id)?.values().next().value;
    if (innerId !== undefined) {
      const inner = f.nodeById.get(innerId)!;
      return {
        realize: epilogueEnd(f, inner, realized).id,
        reason: `feeds reduction %${r.id} (needs two passes)`,
      };
    }
  }
  if (contractions.length > 1) {
    return { realize: contractions[0]!.id, reason: 'one contraction per kernel' };
  }
  if (contractions.length === 1 && reduces.length > 0) {
    const c = contractions[0]!;
    return {
      realize: isRoot(c) ? reduces[0]!.id : c.id,
      reason: 'a contraction kernel carries no reduction',
    };
  }
  // Sibling reductions must share one reduction domain.
  const first = reduces[0];
  for (const r of reduces.slice(1)) {
    const sameDomain =
      sameShape(typeOfValue(f, first!.inputs[0]!), typeOfValue(f, r.inputs[0]!)) &&
      JSON.stringify(first!.attrs) === JSON.stringify(r.attrs);
    if (!sameDomain) return { realize: r.id, reason: `reduction domain differs from %${first!.id}` };
  }
  // Consumers of a reduction/contraction inside the kernel must read it at the kernel's domain
  // point: in its output space (epilogue) or, for a reduction, broadcast back over the reduced
  // axes into its input space (a second pass: softmax, layerNorm).
  for (const r of [...reduces, ...contractions]) {
    if (isRoot(r)) continue;
    const bad = misreadReduction(f, g, r, root);
    if (bad)
      return {
        realize: epilogueEnd(f, r, realized).id,
        reason: `%${bad} reads %${r.id} away from the kernel's domain point`,
      };
  }
  // Profitability: an inlined value read through a broadcast would be recomputed per copy,
  // unless it is computed once per output point after a reduction (it depends on one).
  for (const n of nodes) {
    if (isRoot(n) || isView(f, n) || isFreeCreation(f, n) || isReduce(f, n) || isContraction(f, n)) continue;
    const expanded = computeUsers(f, n.id).some((u) => g.members.has(u.node.id) && u.expansion > 1);
    const afterReduction = (after.get(n.id)?.size ?? 0) > 0;
    if (expanded && !afterReduction)
      return { realize: n.id, reason: 'read through a broadcast: inlining would repeat its work' };
  }
  // Capability: distinct buffers touched (external reads + the root's store).
  const external = externalReads(f, g, realized);
  if (external.size + g.roots.length > limits.maxBuffersPerKernel) {
    const candidate = nodes
      .filter((n) => !isRoot(n) && !isView(f, n) && !isFreeCreation(f, n))
      .map((n) => ({
        n,
        reads: externalReads(f, { roots: [n.id], members: subgroup(f, g, n.id) }, realized).size,
      }))
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

type Space = 'out' | 'in';

/** Shapes equal after dropping size-1 dims (a reshape that only squeezes or unsqueezes). */
const squeezeEqual = (a: readonly number[], b: readonly number[]): boolean =>
  sameShape(
    a.filter((d) => d !== 1),
    b.filter((d) => d !== 1),
  );

function reducedAxes(r: Node): number[] {
  return r.op === 'argmax' ? [r.attrs.axis as number] : ((r.attrs.axes as number[] | undefined) ?? []);
}

/**
 * Follows `r`'s value forward through the kernel and returns the first member that reads it at an
 * index other than the kernel's domain point, or undefined. Allowed: same-shape elementwise ops,
 * squeeze/unsqueeze reshapes (output space), and for a reduction a broadcast of its keepdims form
 * back to its input shape (input space), after which same-shape elementwise ops follow.
 */
function misreadReduction(f: GraphFacts, g: Group, r: Node, root: Node): ValueId | undefined {
  const inShape = isReduce(f, r) ? typeOfValue(f, r.inputs[0]!) : undefined;
  const keepShape = inShape?.map((d, i) => (reducedAxes(r).includes(i) ? 1 : d));
  const space = new Map<ValueId, Space>([[r.id, 'out']]);
  for (const n of f.graph.nodes) {
    if (!g.members.has(n.id) || n === r) continue;
    const deps = n.inputs.filter((i) => space.has(i));
    if (deps.length === 0) continue;
    let result: Space | undefined;
    for (const i of deps) {
      const from = space.get(i)!;
      const shape = f.nodeById.get(i)!.type.shape;
      let to: Space | undefined;
      // numpy broadcasting aligns trailing dims: the keepdims form must match after left-padding.
      const aligned = [...new Array(Math.max(0, n.type.shape.length - shape.length)).fill(1), ...shape];
      const backToInput =
        from === 'out' &&
        keepShape &&
        inShape &&
        numel(inShape) > 0 && // an empty input has no second pass to run
        sameShape(aligned, keepShape) &&
        sameShape(n.type.shape, inShape);
      if (f.traits(n).elementwise || n.op === 'broadcast' || n.op === 'reshape') {
        if (sameShape(shape, n.type.shape)) to = from;
        else if (n.op === 'reshape' && from === 'out' && squeezeEqual(shape, n.type.shape)) to = 'out';
        else if (backToInput && n.op !== 'reshape') to = 'in';
      }
      if (to === undefined || (result !== undefined && result !== to)) return n.id;
      result = to;
    }
    if (result === 'in' && !(inShape && sameShape(root.type.shape, inShape))) return n.id;
    space.set(n.id, result!);
  }
  return undefined;
}

/**
 * For each member, the reductions and contractions of the same kernel it depends on, in one
 * topological sweep (members are visited in graph order), so checks stay linear in kernel size.
 */
function reductionsBefore(f: GraphFacts, g: Group): Map<ValueId, Set<ValueId>> {
  const out = new Map<ValueId, Set<ValueId>>();
  const none = new Set<ValueId>();
  for (const n of f.graph.nodes) {
    if (!g.members.has(n.id)) continue;
    let deps = none;
    for (const i of n.inputs) {
      if (!g.members.has(i)) continue;
      const p = f.nodeById.get(i)!;
      const inherited = out.get(i) ?? none;
      const own = isReduce(f, p) || isContraction(f, p);
      if (inherited.size === 0 && !own) continue;
      if (deps === none) deps = new Set();
      for (const d of inherited) deps.add(d);
      if (own) deps.add(i);
    }
    out.set(n.id, deps);
  }
  return out;
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
    if (!violation) return { realized, groups: mergeMultiOutput(f, groups, limits, realized) };
    if (realized.has(violation.realize))
      throw new Error(`fusion: %${violation.realize} is already materialized`);
    realized.set(violation.realize, violation.reason);
  }
  throw new Error('fusion planning did not converge (every node realized is always legal)');
}

// --- multi-output kernels -------------------------------------------------------------------------

/** Group index -> indices of the groups whose roots it reads. */
function groupEdges(f: GraphFacts, groups: Group[], realized: Map<ValueId, string>): Set<number>[] {
  const owner = new Map<ValueId, number>();
  groups.forEach((g, i) => {
    for (const r of g.roots) owner.set(r, i);
  });
  return groups.map((g) => {
    const deps = new Set<number>();
    for (const id of externalReads(f, g, realized)) {
      const o = owner.get(id);
      if (o !== undefined) deps.add(o);
    }
    return deps;
  });
}

/** True when `to` is reachable from `from` through at least `minLength` edges. */
function reaches(edges: Set<number>[], from: number, to: number, minLength: number): boolean {
  const stack: [number, number][] = [...edges[from]!].map((d) => [d, 1]);
  const seen = new Set<string>();
  while (stack.length) {
    const [g, len] = stack.pop()!;
    if (g === to && len >= minLength) return true;
    const key = `${g}:${Math.min(len, minLength)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const d of edges[g]!) stack.push([d, len + 1]);
  }
  return false;
}

function rootShape(f: GraphFacts, g: Group): number[] {
  return f.nodeById.get(g.roots[0]!)!.type.shape;
}

/** No reduction, contraction, impure root or view root: a kernel that can absorb/donate a producer. */
function isPlainElementwise(f: GraphFacts, g: Group): boolean {
  const nodes = [...g.members].map((id) => f.nodeById.get(id)!);
  const roots = g.roots.map((id) => f.nodeById.get(id)!);
  return (
    !nodes.some((n) => isReduce(f, n) || isContraction(f, n)) &&
    !roots.some((n) => isView(f, n) || f.traits(n).impure === true)
  );
}

function reduceSignature(f: GraphFacts, g: Group): string | undefined {
  const r = [...g.members].map((id) => f.nodeById.get(id)!).find((n) => isReduce(f, n));
  return r ? `${typeOfValue(f, r.inputs[0]!).join()}|${JSON.stringify(r.attrs)}` : undefined;
}

/**
 * Merges kernels that can share one pass over memory: reductions over the same domain (mean and
 * mean of squares), and an elementwise producer kernel with the consumer kernel that reads it in
 * the same shape (the producer is still stored, e.g. because it is a graph output).
 */
function mergeMultiOutput(
  f: GraphFacts,
  groups: Group[],
  limits: FusionLimits,
  realized: Map<ValueId, string>,
): Group[] {
  let current = groups;
  for (;;) {
    const edges = groupEdges(f, current, realized);
    let merged: Group[] | undefined;
    outer: for (let a = 0; a < current.length; a++) {
      for (let b = a + 1; b < current.length; b++) {
        const ga = current[a]!;
        const gb = current[b]!;
        if (!sameShape(rootShape(f, ga), rootShape(f, gb))) continue;
        const sa = reduceSignature(f, ga);
        const sb = reduceSignature(f, gb);
        const siblings =
          sa !== undefined && sa === sb && !reaches(edges, a, b, 1) && !reaches(edges, b, a, 1);
        const producerConsumer =
          sa === undefined &&
          sb === undefined &&
          isPlainElementwise(f, ga) &&
          isPlainElementwise(f, gb) &&
          edges[b]!.has(a) &&
          !reaches(edges, b, a, 2);
        if (!siblings && !producerConsumer) continue;
        const union: Group = {
          roots: [...ga.roots, ...gb.roots],
          members: new Set([...ga.members, ...gb.members]),
        };
        if (findViolation(f, union, limits, realized)) continue;
        merged = current.filter((_, i) => i !== a && i !== b);
        merged.splice(a, 0, union);
        break outer;
      }
    }
    if (!merged) return current;
    current = merged;
  }
}
