import { getOp, type Node, type ValueId } from '@paradox/ir';
import {
  type ComputeUser,
  computeProducers,
  computeUsers,
  type GraphFacts,
  isContraction,
  isFreeCreation,
  isReduce,
  isView,
} from './graph-facts.js';
import type { KernelView, Violation } from './violation.js';

/**
 * Profitability: what is worth recomputing. Inlining a value into several kernels (or several
 * times into one) trades memory traffic for repeated work; these rules bound the repeated work.
 */

const cost = (n: Node): number => getOp(n.op).traits.cost ?? 1;

/** Cost of recomputing each value where it is inlined: the node plus its inlined producers. */
export class InlineCosts {
  private readonly costs = new Map<ValueId, number>();
  constructor(private readonly f: GraphFacts) {}

  /** Records `n` once its own decision is made (nodes are visited in graph order). */
  record(n: Node, realized: ReadonlyMap<ValueId, string>): void {
    const own = isFreeCreation(this.f, n) ? 0 : cost(n);
    const fromProducers = computeProducers(this.f, n)
      .filter((p) => !realized.has(p.id))
      .reduce((s, p) => s + (this.costs.get(p.id) ?? 0), 0);
    this.costs.set(n.id, own + fromProducers);
  }

  /** `n` and everything its producers cost to recompute, producers stored or not. */
  subtree(n: Node): number {
    return (
      (isFreeCreation(this.f, n) ? 0 : cost(n)) +
      computeProducers(this.f, n).reduce((s, p) => s + (this.costs.get(p.id) ?? 0), 0)
    );
  }
}

/** Why an elementwise value with several consumers is stored rather than recomputed by each. */
export function valueProfitability(
  f: GraphFacts,
  n: Node,
  users: readonly ComputeUser[],
  recomputeCost: number,
  costs: InlineCosts,
): string | undefined {
  if (users.length <= 1 || isFreeCreation(f, n) || isReduce(f, n) || isContraction(f, n)) return undefined;
  const subtree = costs.subtree(n);
  if (subtree > recomputeCost) {
    return `${users.length} consumers and recompute cost ${subtree} > limit ${recomputeCost}`;
  }
  return undefined;
}

/**
 * An inlined value read through an expanding view (a broadcast, or a concat/pad whose lowering
 * evaluates every band) would be recomputed per copy, unless it is computed once per output
 * point after a reduction (it depends on one).
 */
export function kernelProfitability(f: GraphFacts, k: KernelView): Violation | undefined {
  for (const n of k.nodes) {
    if (k.isRoot(n) || isView(f, n) || isFreeCreation(f, n) || isReduce(f, n) || isContraction(f, n))
      continue;
    const expanded = computeUsers(f, n.id).find((u) => k.group.members.has(u.node.id) && u.expansion > 1);
    const afterReduction = (k.reductionsBefore.get(n.id)?.size ?? 0) > 0;
    if (expanded && !afterReduction) {
      const times = Number(expanded.expansion.toPrecision(3));
      return {
        realize: n.id,
        reason: `read through a broadcast, concat or pad (%${expanded.node.id} reads it ${times}x): inlining would repeat its work`,
      };
    }
  }
  return undefined;
}
