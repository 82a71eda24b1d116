import type { Node, ValueId } from '@paradox/ir';
import { capabilityViolation } from './capability.js';
import { type GraphFacts, inGraphOrder } from './graph-facts.js';
import { type Group, kernelReads, type Realized } from './kernels.js';
import { kernelLegality } from './legality.js';
import { kernelProfitability } from './profitability.js';
import { reductionsBefore } from './reduction-space.js';

/**
 * One reason a kernel cannot stay as formed: the node to realize (store) to split it, and why.
 * `realize` is undefined when no split helps (one op alone exceeds a backend limit).
 */
export interface Violation {
  realize: ValueId | undefined;
  reason: string;
}

/** From the backend: what one kernel may do; from the pass options: what is worth recomputing. */
export interface FusionLimits {
  /** Most op cost units an inlined value may cost to be recomputed by several consumers. */
  recomputeCost: number;
  /** From the backend: most distinct buffers one kernel may touch. */
  maxBuffersPerKernel: number;
}

/** A kernel with the facts every rule reads, computed once per check. */
export interface KernelView {
  group: Group;
  /** Members in depth-first preorder from the root (the order rules report in). */
  nodes: Node[];
  /** Members in graph (topological) order. */
  ordered: Node[];
  /** Several roots (multi-output kernels) always share one shape; `root` stands for any of them. */
  root: Node;
  isRoot(n: Node): boolean;
  reductionsBefore: Map<ValueId, Set<ValueId>>;
}

/** A kernel's members (all nodes) in graph order: a filter of the graph when that is cheaper than a sort. */
function membersInGraphOrder(f: GraphFacts, g: Group): Node[] {
  const { nodes } = f.graph;
  if (g.members.size * 16 < nodes.length) return inGraphOrder(f, g.members).map((id) => f.nodeById.get(id)!);
  return nodes.filter((n) => g.members.has(n.id));
}

function kernelView(f: GraphFacts, g: Group): KernelView {
  const ordered = membersInGraphOrder(f, g);
  const roots = new Set(g.roots);
  return {
    group: g,
    nodes: [...g.members].map((id) => f.nodeById.get(id)!),
    ordered,
    root: f.nodeById.get(g.roots[0]!)!,
    isRoot: (n) => roots.has(n.id),
    reductionsBefore: reductionsBefore(f, g, ordered),
  };
}

/** The first violation of a kernel: legality first, then profitability, then backend capabilities. */
export function findViolation(
  f: GraphFacts,
  g: Group,
  limits: FusionLimits,
  realized: Realized,
): Violation | undefined {
  // A compute node read through a view outside the kernel (a stored matmul operand pad reading
  // its source) is in no kernel's memory unless it is stored itself.
  const unstored = kernelReads(f, g, realized).unrealized.values().next().value;
  if (unstored !== undefined)
    return { realize: unstored, reason: `read through a view by the kernel of %${g.roots[0]}` };
  const k = kernelView(f, g);
  return (
    kernelLegality(f, k, realized) ?? kernelProfitability(f, k) ?? capabilityViolation(f, k, limits, realized)
  );
}
