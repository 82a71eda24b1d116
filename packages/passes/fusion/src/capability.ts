import { type GraphFacts, isFreeCreation, isView } from './graph-facts.js';
import { kernelReads, type Realized, subgroup } from './kernels.js';
import type { FusionLimits, KernelView, Violation } from './violation.js';

/**
 * Backend capabilities: a kernel touches at most `maxBuffersPerKernel` distinct buffers (what it
 * reads plus what it stores). An over-limit kernel realizes the inlined value (compute or view)
 * whose own reads are the largest part that still leaves something behind; failing that, any
 * inlined value, so every step stores one more node and the split always terminates. A kernel
 * with nothing left to realize is one op that needs more buffers than the backend has.
 */
export function capabilityViolation(
  f: GraphFacts,
  k: KernelView,
  limits: FusionLimits,
  realized: Realized,
): Violation | undefined {
  const limit = limits.maxBuffersPerKernel;
  if (!Number.isFinite(limit)) return undefined;
  const reads = kernelReads(f, k.group, realized);
  const touched = reads.buffers.size + k.group.roots.length;
  if (touched <= limit) return undefined;
  const reason = `kernel would touch ${touched} buffers > backend limit ${limit}`;
  // Inlined members, and the matmul operand views it reads through (lowering inlines those too).
  const candidates = [
    ...k.nodes.filter((n) => !k.isRoot(n) && !isFreeCreation(f, n)),
    ...[...reads.outsideViews].map((id) => f.nodeById.get(id)!),
  ].map((n) => {
    const members = k.group.members.has(n.id) ? subgroup(f, k.group, n.id) : new Set([n.id]);
    return {
      n,
      view: isView(f, n),
      reads: kernelReads(f, { roots: [n.id], members }, realized).buffers.size,
    };
  });
  const best = (cs: typeof candidates) => [...cs].sort((a, b) => b.reads - a.reads)[0];
  const splits = candidates.filter((c) => c.reads > 0 && c.reads < reads.buffers.size);
  const choice =
    best(splits.filter((c) => !c.view)) ??
    best(splits) ??
    best(candidates.filter((c) => c.reads > 0 && !c.view)) ??
    best(candidates.filter((c) => c.reads > 0));
  return { realize: choice?.n.id, reason };
}
