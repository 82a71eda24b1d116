import type { ValueId } from '@paradox/ir';
import { KernelBufferLimitError } from './errors.js';
import { computeUsers, type GraphFacts, isView } from './graph-facts.js';
import { externalReads, formGroups, type Group, type Realized } from './kernels.js';
import { valueLegality, viewLegality } from './legality.js';
import { mergeMultiOutput } from './merging.js';
import { InlineCosts, valueProfitability } from './profitability.js';
import { type FusionLimits, findViolation, type Violation } from './violation.js';

export type { Group } from './kernels.js';
/**
 * Fusion as realization decisions (tinygrad's "realize" view): every compute node is either
 * realized (stored to memory, the root of a kernel) or inlined into each kernel that reads it.
 * A kernel is a realized root plus everything it reaches through inlined nodes and views.
 *
 * The rules live apart, Inductor-style, and every rejection keeps its reason: legality.ts (what
 * a kernel may contain), profitability.ts (what is worth recomputing), capability.ts (backend
 * limits) and merging.ts (multi-output kernels). This file runs them to a fixed point.
 */
export type { FusionLimits } from './violation.js';

export interface Plan {
  /** Realized node -> why it is materialized. */
  realized: Realized;
  /** Kernels: root id and member ids (compute and view nodes), roots in topological order. */
  groups: Group[];
}

/** Decisions about each value on its own: legality first, then profitability. */
function initialRealized(f: GraphFacts, limits: FusionLimits): Realized {
  const realized: Realized = new Map();
  const costs = new InlineCosts(f);
  for (const n of f.graph.nodes) {
    if (isView(f, n)) {
      const reason = viewLegality(f, n);
      if (reason) realized.set(n.id, reason);
      continue;
    }
    const users = computeUsers(f, n.id);
    const reason = valueLegality(f, n, users) ?? valueProfitability(f, n, users, limits.recomputeCost, costs);
    if (reason) realized.set(n.id, reason);
    costs.record(n, realized);
  }
  return realized;
}

/**
 * Realization decisions iterated to a legal fixed point, then the kernels they imply. Each round
 * realizes the first violation of every kernel whose node no other kernel inlines (those kernels
 * are independent, so the result is the same as one violation per round), else the first one.
 */
export function planFusion(f: GraphFacts, limits: FusionLimits): Plan {
  const realized = initialRealized(f, limits);
  for (let round = 0; round <= f.graph.nodes.length; round++) {
    const groups = formGroups(f, realized);
    const found: { group: Group; violation: Violation }[] = [];
    for (const group of groups) {
      const violation = findViolation(f, group, limits, realized);
      if (violation) found.push({ group, violation });
    }
    if (found.length === 0) return { realized, groups: mergeMultiOutput(f, groups, limits, realized) };
    const inlinedBy = new Map<ValueId, number>();
    for (const g of groups) for (const id of g.members) inlinedBy.set(id, (inlinedBy.get(id) ?? 0) + 1);
    const independent = found.filter(
      ({ violation: v }) => v.realize !== undefined && inlinedBy.get(v.realize) === 1,
    );
    for (const { group, violation } of independent.length > 0 ? independent : found.slice(0, 1)) {
      if (violation.realize === undefined) throw tooWide(f, group, limits, realized);
      if (realized.has(violation.realize))
        throw new Error(`fusion: %${violation.realize} is already materialized`);
      realized.set(violation.realize, violation.reason);
    }
  }
  throw new Error('fusion planning did not converge (every node realized is always legal)');
}

function tooWide(f: GraphFacts, g: Group, limits: FusionLimits, realized: Realized): KernelBufferLimitError {
  const root = f.nodeById.get(g.roots[0]!)!;
  const buffers = externalReads(f, g, realized).size + g.roots.length;
  return new KernelBufferLimitError(root.id, root.op, buffers, limits.maxBuffersPerKernel);
}
