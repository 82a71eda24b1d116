import { type Node, numel, type ValueId } from '@paradox/ir';
import { type GraphFacts, isContraction, isReduce, sameShape, shapeOf } from './graph-facts.js';
import type { Group } from './kernels.js';

/**
 * Where a reduction's result may be read inside its kernel: in its output space (an epilogue) or,
 * broadcast back over the reduced axes, in its input space (a second pass: softmax, layerNorm).
 * `ordered` is the kernel's members in graph order (topological), so every sweep is linear.
 */
type Space = 'out' | 'in';

/** Shapes equal after dropping size-1 dims (a reshape that only squeezes or unsqueezes). */
const squeezeEqual = (a: readonly number[], b: readonly number[]): boolean =>
  sameShape(
    a.filter((d) => d !== 1),
    b.filter((d) => d !== 1),
  );

function reducedAxes(r: Node): number[] {
  // argmax/argmin reduce one `axis`; the other reductions list `axes`.
  if (typeof r.attrs.axis === 'number') return [r.attrs.axis];
  return (r.attrs.axes as number[] | undefined) ?? [];
}

/**
 * Follows `r`'s value forward through the kernel and returns the first member that reads it at an
 * index other than the kernel's domain point, or undefined. Allowed: same-shape elementwise ops,
 * squeeze/unsqueeze reshapes (output space), and for a reduction a broadcast of its keepdims form
 * back to its input shape (input space), after which same-shape elementwise ops follow.
 */
export function misreadReduction(
  f: GraphFacts,
  ordered: readonly Node[],
  r: Node,
  root: Node,
): ValueId | undefined {
  const inShape = isReduce(f, r) ? shapeOf(f, r.inputs[0]!) : undefined;
  const keepShape = inShape?.map((d, i) => (reducedAxes(r).includes(i) ? 1 : d));
  const space = new Map<ValueId, Space>([[r.id, 'out']]);
  for (const n of ordered) {
    if (n === r) continue;
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
 * topological sweep, so checks stay linear in kernel size. Members that depend on none have no
 * entry (readers treat a missing entry as empty).
 */
export function reductionsBefore(
  f: GraphFacts,
  g: Group,
  ordered: readonly Node[],
): Map<ValueId, Set<ValueId>> {
  const out = new Map<ValueId, Set<ValueId>>();
  const none = new Set<ValueId>();
  for (const n of ordered) {
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
    if (deps !== none) out.set(n.id, deps);
  }
  return out;
}
