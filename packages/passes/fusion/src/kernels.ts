import type { ValueId } from '@paradox/ir';
import { type GraphFacts, isContraction, isView } from './graph-facts.js';

/** A kernel: its realized roots (stored values) and member ids (compute and view nodes). */
export interface Group {
  roots: ValueId[];
  members: Set<ValueId>;
}

/** Realized compute node -> why it is materialized. */
export type Realized = Map<ValueId, string>;

/** Views on the operand paths of matmuls: lowering reads (or materializes) them for the matmul alone. */
export function contractionOperandViews(f: GraphFacts): Set<ValueId> {
  const out = new Set<ValueId>();
  const stack: ValueId[] = [];
  for (const n of f.graph.nodes) if (isContraction(f, n)) stack.push(...n.inputs);
  while (stack.length > 0) {
    const id = stack.pop()!;
    const p = f.nodeById.get(id);
    if (!p || !isView(f, p) || out.has(id)) continue;
    out.add(id);
    stack.push(...p.inputs);
  }
  return out;
}

/**
 * The kernels realization decisions imply: one per realized node, holding everything it reaches
 * through inlined nodes and views. Members are in depth-first preorder from the root.
 */
export function formGroups(f: GraphFacts, realized: Realized): Group[] {
  const groups: Group[] = [];
  const operandViews = contractionOperandViews(f);
  for (const n of f.graph.nodes) {
    if (!realized.has(n.id)) continue;
    const members = new Set<ValueId>();
    const stack: ValueId[] = [n.id];
    while (stack.length > 0) {
      const id = stack.pop()!;
      const p = f.nodeById.get(id);
      if (!p || members.has(id)) continue;
      if (p !== n && realized.has(id)) continue; // read from memory
      // Matmul operand views stay ungrouped: lowering reads them as views, or materializes a
      // non-plain one (pad/concat) for the matmul; other readers inline them as index math.
      if (p !== n && operandViews.has(id)) continue;
      members.add(id);
      if (!isContraction(f, p)) for (let k = p.inputs.length - 1; k >= 0; k--) stack.push(p.inputs[k]!);
    }
    groups.push({ roots: [n.id], members });
  }
  return groups;
}

/** `id` and its compute ancestors inside `g` (through members only). */
export function subgroup(f: GraphFacts, g: Group, id: ValueId): Set<ValueId> {
  const seen = new Set<ValueId>([id]);
  const stack = [id];
  while (stack.length > 0) {
    for (const i of f.nodeById.get(stack.pop()!)?.inputs ?? []) {
      if (g.members.has(i) && !seen.has(i)) {
        seen.add(i);
        stack.push(i);
      }
    }
  }
  return seen;
}

/** What a kernel reads from memory, and the views outside its members it reads through. */
export interface KernelReads {
  /** Buffers: graph inputs, constants and realized nodes outside the kernel. */
  buffers: Set<ValueId>;
  /** Unrealized views outside the member set it reads through (matmul operand views). */
  outsideViews: Set<ValueId>;
  /** Compute nodes it reads through such views that are neither members nor realized: they must be stored. */
  unrealized: Set<ValueId>;
}

export function kernelReads(f: GraphFacts, g: Group, realized: Realized): KernelReads {
  const buffers = new Set<ValueId>();
  const outsideViews = new Set<ValueId>();
  const unrealized = new Set<ValueId>();
  const stack: ValueId[] = [];
  for (const id of g.members) stack.push(...f.nodeById.get(id)!.inputs);
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (g.members.has(i)) continue;
    const p = f.nodeById.get(i);
    if (!p || realized.has(i)) buffers.add(i);
    else if (isView(f, p) && !outsideViews.has(i)) {
      outsideViews.add(i);
      stack.push(...p.inputs);
    } else if (!isView(f, p)) unrealized.add(i);
  }
  return { buffers, outsideViews, unrealized };
}

/** Buffers a kernel reads: graph inputs, constants and realized nodes outside it. */
export function externalReads(f: GraphFacts, g: Group, realized: Realized): Set<ValueId> {
  return kernelReads(f, g, realized).buffers;
}
