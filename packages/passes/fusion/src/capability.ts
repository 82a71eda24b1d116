import type { Node, ValueId } from '@paradox/ir';
import { type GraphFacts, isFreeCreation, isView } from './graph-facts.js';
import { kernelReads, type Realized, subgroup } from './kernels.js';
import type { FusionLimits, KernelView, Violation } from './violation.js';

/**
 * Backend capabilities: a kernel touches at most `maxBuffersPerKernel` distinct buffers (what it
 * reads plus what it stores). An over-limit kernel realizes the inlined value (compute or view)
 * with the most reads that still fit one kernel of its own, so a long chain is cut into full
 * kernels; when none fits, the value whose reads are the largest part that leaves something
 * behind; failing that, any inlined value that reads a buffer. Every step stores one more node,
 * so the split always terminates. A kernel with nothing left to realize is one op that needs more
 * buffers than the backend has (the caller raises KernelBufferLimitError).
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
  const isCandidate = (n: Node) => !k.isRoot(n) && !isFreeCreation(f, n);
  // Inlined members, and the matmul operand views it reads through (lowering inlines those too).
  const outside = [...reads.outsideViews].map((id) => f.nodeById.get(id)!);
  const fitting = readsUpTo(f, k, realized, limit - 1);
  const fits = [...k.nodes.filter(isCandidate), ...outside]
    .map(
      (n): Candidate => ({
        n,
        view: isView(f, n),
        reads: fitting.get(n.id)?.size ?? outsideReads(f, n, realized),
      }),
    )
    .filter((c) => c.reads > 0 && c.reads <= limit - 1);
  const fullest = best(fits);
  if (fullest) return { realize: fullest.n.id, reason };
  // Nothing fits on its own: cut where it leaves the most behind, and split that part next round.
  const candidates = [...k.nodes.filter(isCandidate), ...outside].map(
    (n): Candidate => ({
      n,
      view: isView(f, n),
      reads: k.group.members.has(n.id)
        ? kernelReads(f, { roots: [n.id], members: subgroup(f, k.group, n.id) }, realized).buffers.size
        : outsideReads(f, n, realized),
    }),
  );
  const choice =
    best(candidates.filter((c) => c.reads > 0 && c.reads < reads.buffers.size)) ??
    best(candidates.filter((c) => c.reads > 0));
  return { realize: choice?.n.id, reason };
}

interface Candidate {
  n: Node;
  view: boolean;
  reads: number;
}

/** The candidate with the most reads; a computed value before a view, then the first in kernel order. */
function best(cs: readonly Candidate[]): Candidate | undefined {
  let top: Candidate | undefined;
  for (const c of cs) {
    if (!top || c.reads > top.reads || (c.reads === top.reads && top.view && !c.view)) top = c;
  }
  return top;
}

/** Buffers an unrealized view outside the kernel's members reads (a matmul operand view). */
function outsideReads(f: GraphFacts, n: Node, realized: Realized): number {
  return kernelReads(f, { roots: [n.id], members: new Set([n.id]) }, realized).buffers.size;
}

/**
 * For each member, the buffers its in-kernel ancestry reads, in one topological sweep; a set that
 * grows past `cap` is marked by holding `cap + 1` entries and stops growing (only "fits" matters).
 */
function readsUpTo(
  f: GraphFacts,
  k: KernelView,
  realized: Realized,
  cap: number,
): Map<ValueId, Set<ValueId>> {
  const out = new Map<ValueId, Set<ValueId>>();
  for (const n of k.ordered) {
    const own = new Set<ValueId>();
    const add = (id: ValueId) => {
      if (own.size <= cap) own.add(id);
    };
    for (const i of n.inputs) {
      if (own.size > cap) break;
      const inner = out.get(i);
      if (inner) for (const b of inner) add(b);
      else if (!k.group.members.has(i)) {
        const p = f.nodeById.get(i);
        if (!p || realized.has(i)) add(i);
        else if (isView(f, p))
          for (const b of kernelReads(f, { roots: [i], members: new Set([i]) }, realized).buffers) add(b);
      }
    }
    out.set(n.id, own);
  }
  return out;
}
