import { canonicalKey, type Node, numel, type ValueId } from '@paradox/ir';
import {
  type ComputeUser,
  computeUsers,
  type GraphFacts,
  isContraction,
  isFreeCreation,
  isReduce,
  sameShape,
  shapeOf,
} from './graph-facts.js';
import type { Realized } from './kernels.js';
import { misreadReduction } from './reduction-space.js';
import type { KernelView, Violation } from './violation.js';

/**
 * Legality: what a kernel may contain, whatever it costs. Two kinds of rule: about one value on
 * its own (must it be stored?), and about a whole kernel (can one loop nest compute it?).
 */

/** An opaque op (gather, scatterAdd) reads `n` directly: lowering needs `n` in a buffer. */
const readByOpaque = (f: GraphFacts, n: Node): boolean =>
  (f.users.get(n.id) ?? []).some((u) => f.traits(u).opaque === true);

/** Why `n` must be materialized whatever its cost; undefined when it may be inlined. */
export function valueLegality(f: GraphFacts, n: Node, users: readonly ComputeUser[]): string | undefined {
  const traits = f.traits(n);
  if (f.outputs.has(n.id)) return 'graph output is materialized';
  if (traits.impure) return `impure op '${n.op}' is materialized`;
  if (traits.opaque) return `${n.op} reads through data-dependent indices: a kernel of its own`;
  if (readByOpaque(f, n)) return 'operand of an op that reads through data-dependent indices';
  // A constant behind a view is inlined into that view, which is stored instead (viewLegality).
  // Contractions (matmul, conv, the pools, cumsum) loop over their own reduction and read operands as views.
  const reader = isFreeCreation(f, n)
    ? (f.users.get(n.id) ?? []).find((u) => isContraction(f, u))
    : users.find((u) => isContraction(f, u.node))?.node;
  if (reader) return `${reader.op} operands are read as views of a buffer`;
  if (users.length === 0 || isFreeCreation(f, n)) return undefined;
  if ((isReduce(f, n) || isContraction(f, n)) && users.length > 1) {
    return `${n.op} result has ${users.length} consumers (a reduction is never recomputed)`;
  }
  return undefined;
}

/**
 * Views lowering cannot read as plain strided loads (they select per element). A matmul reads
 * its operands as plain loads, so lowering would copy such an operand in a kernel of its own;
 * fusion stores it instead, so that kernel obeys the backend's limits and has a reason.
 */
const GUARDED_VIEWS = new Set(['pad', 'concat']);

/** Why view `n` must be stored: it is a matmul operand that is not a plain view of a buffer. */
export function viewLegality(f: GraphFacts, n: Node): string | undefined {
  if (f.outputs.has(n.id)) return 'graph output (a view) is materialized';
  if (readByOpaque(f, n)) return 'operand of an op that reads through data-dependent indices';
  if (!(f.users.get(n.id) ?? []).some((u) => isContraction(f, u))) return undefined;
  const stack = [n.id];
  const seen = new Set<ValueId>();
  while (stack.length > 0) {
    const p = f.nodeById.get(stack.pop()!);
    if (!p || seen.has(p.id)) continue;
    seen.add(p.id);
    if (isFreeCreation(f, p)) return 'matmul operand is a view of a constant: stored as a plain buffer first';
    if (!f.traits(p).movement) continue; // a computed operand is stored (valueLegality)
    if (GUARDED_VIEWS.has(p.op))
      return `matmul operand reads through ${p.op}: stored as a plain buffer first`;
    stack.push(...p.inputs);
  }
  return undefined;
}

/**
 * The last node of a reduction's own epilogue: single-consumer elementwise ops of the same shape,
 * stopping before anything already materialized.
 */
export function epilogueEnd(f: GraphFacts, r: Node, realized: Realized): Node {
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

/** The first rule a kernel breaks about reductions and contractions, as the node to realize. */
export function kernelLegality(f: GraphFacts, k: KernelView, realized: Realized): Violation | undefined {
  const { ordered, reductionsBefore: after, isRoot } = k;
  const reduces = k.nodes.filter((n) => isReduce(f, n));
  const contractions = k.nodes.filter((n) => isContraction(f, n));
  // A reduction cannot consume another reduction of the same kernel (that needs two passes).
  for (const r of reduces) {
    const innerId: ValueId | undefined = after.get(r.id)?.values().next().value;
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
      sameShape(shapeOf(f, first!.inputs[0]!), shapeOf(f, r.inputs[0]!)) &&
      canonicalKey(first!.attrs) === canonicalKey(r.attrs);
    if (!sameDomain) return { realize: r.id, reason: `reduction domain differs from %${first!.id}` };
  }
  // Consumers of a reduction/contraction inside the kernel must read it at the kernel's domain
  // point: in its output space (epilogue) or, for a reduction, broadcast back over the reduced
  // axes into its input space (a second pass: softmax, layerNorm).
  for (const r of [...reduces, ...contractions]) {
    if (isRoot(r)) continue;
    const bad = misreadReduction(f, ordered, r, k.root);
    if (bad)
      return {
        realize: epilogueEnd(f, r, realized).id,
        reason: `%${bad} reads %${r.id} away from the kernel's domain point`,
      };
  }
  return undefined;
}
