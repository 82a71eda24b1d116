import { getOp, type Node, type ValueId } from '@paradox/ir';
import type { Rewriter } from './rewriter.js';

/**
 * Layout rewrites. Each rule looks at one node (inputs already rewritten) and either returns the
 * value that replaces it or undefined. Movement ops are views (lowering turns them into index
 * math), so the goal is fewer, simpler views: cancel transposes, move them to where they cancel
 * or fold into a contraction's operand strides.
 */
export interface LayoutRule {
  name: string;
  /** What the statistic counts, for pass statistics and docs. */
  explains: string;
  apply(node: Node, rw: Rewriter): ValueId | undefined;
}

const isIdentity = (perm: number[]): boolean => perm.every((p, i) => p === i);
const perm = (n: Node): number[] => n.attrs.perm as number[];
/** Perm that swaps the last two axes of a rank-r tensor. */
const swapLast = (r: number): number[] =>
  [...Array(r).keys()].map((i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));

const transposeOfTranspose: LayoutRule = {
  name: 'transposesComposed',
  explains: 'transpose(transpose(x)) composed into one transpose, or removed when it is the identity',
  apply(n, rw) {
    if (n.op !== 'transpose') return undefined;
    if (isIdentity(perm(n))) return n.inputs[0];
    const p = rw.producer(n.inputs[0]!);
    if (p?.op !== 'transpose') return undefined;
    const composed = perm(n).map((i) => perm(p)[i]!);
    return isIdentity(composed)
      ? p.inputs[0]
      : rw.emit('transpose', [p.inputs[0]!], { perm: composed }, n.source);
  },
};

const reshapeOfReshape: LayoutRule = {
  name: 'viewChainsComposed',
  explains: 'reshape(reshape(x)) and broadcast(broadcast(x)) composed; same-shape reshapes removed',
  apply(n, rw) {
    if (n.op !== 'reshape' && n.op !== 'broadcast') return undefined;
    const src = n.inputs[0]!;
    const sameShape = rw.typeOf(src).shape.join() === n.type.shape.join();
    if (sameShape) return src;
    const p = rw.producer(src);
    if (p?.op !== n.op) return undefined;
    return rw.emit(n.op, [p.inputs[0]!], { shape: n.type.shape }, n.source);
  },
};

/** (a @ b)^T = b^T @ a^T: the transposes then cancel with operand transposes or fold into strides. */
const transposeOfMatmul: LayoutRule = {
  name: 'matmulTransposesSwapped',
  explains:
    'transpose of a matmul result rewritten as a matmul of transposed operands (no copy of the result)',
  apply(n, rw) {
    if (n.op !== 'transpose') return undefined;
    const m = rw.producer(n.inputs[0]!);
    const r = n.type.shape.length;
    if (m?.op !== 'matmul' || r < 2 || perm(n).join() !== swapLast(r).join()) return undefined;
    const [a, b] = m.inputs as [ValueId, ValueId];
    const ra = rw.typeOf(a).shape.length;
    const rb = rw.typeOf(b).shape.length;
    if (ra < 2 || rb < 2) return undefined;
    const tb = rw.emit('transpose', [b], { perm: swapLast(rb) }, n.source);
    const ta = rw.emit('transpose', [a], { perm: swapLast(ra) }, n.source);
    return rw.emit('matmul', [simplify(tb, rw), simplify(ta, rw)], {}, m.source);
  },
};

/** Applies transposeOfTranspose to a freshly emitted transpose. */
function simplify(id: ValueId, rw: Rewriter): ValueId {
  const n = rw.producer(id);
  return (n && transposeOfTranspose.apply(n, rw)) ?? id;
}

/** f(T(a), T(b)) = T(f(a, b)): moves a shared transpose below an elementwise op toward the outputs. */
const sinkThroughElementwise: LayoutRule = {
  name: 'transposesSunk',
  explains:
    'a transpose shared by all operands of an elementwise op moved below it (toward where it cancels)',
  apply(n, rw) {
    if (!getOp(n.op).traits.elementwise || n.inputs.length === 0) return undefined;
    let shared: number[] | undefined;
    const sources: ValueId[] = [];
    for (const i of n.inputs) {
      const p = rw.producer(i);
      if (p?.op === 'transpose') {
        if (shared && perm(p).join() !== shared.join()) return undefined;
        shared = perm(p);
        sources.push(p.inputs[0]!);
      } else if (p?.op === 'broadcast' && rw.typeOf(p.inputs[0]!).shape.length === 0) {
        sources.push(i); // a scalar broadcast: re-broadcast below
      } else return undefined;
    }
    if (!shared) return undefined;
    const inner = shared;
    const preShape = inner.map((_, k) => n.type.shape[inner.indexOf(k)]!);
    const operands = sources.map((s, k) => {
      const p = rw.producer(n.inputs[k]!);
      return p?.op === 'broadcast' ? rw.emit('broadcast', [p.inputs[0]!], { shape: preShape }, p.source) : s;
    });
    const f = rw.emit(n.op, operands, n.attrs, n.source);
    return rw.emit('transpose', [f], { perm: inner }, n.source);
  },
};

/** reduce(T(x), axes) = reduce(x, perm[axes]) followed by the remaining permutation. */
const reduceThroughTranspose: LayoutRule = {
  name: 'reductionsThroughTranspose',
  explains: 'a reduction of a transposed value reduces the source axes directly (contiguous reads)',
  apply(n, rw) {
    const traits = getOp(n.op).traits;
    if (!traits.reduction || !Array.isArray(n.attrs.axes)) return undefined; // argmax/argmin: one axis
    const t = rw.producer(n.inputs[0]!);
    if (t?.op !== 'transpose') return undefined;
    const p = perm(t);
    const axes = (n.attrs.axes as number[]).map((a) => p[a]!).sort((a, b) => a - b);
    const keepdims = n.attrs.keepdims as boolean;
    const red = rw.emit(n.op, [t.inputs[0]!], { axes, keepdims }, n.source);
    // Remaining axes, in the order the transposed reduction would have produced them.
    const kept = keepdims ? p : p.filter((a) => !axes.includes(a));
    const sortedKept = [...kept].sort((a, b) => a - b);
    const q = kept.map((a) => sortedKept.indexOf(a));
    return isIdentity(q) ? red : rw.emit('transpose', [red], { perm: q }, n.source);
  },
};

export const LAYOUT_RULES: LayoutRule[] = [
  transposeOfTranspose,
  reshapeOfReshape,
  transposeOfMatmul,
  sinkThroughElementwise,
  reduceThroughTranspose,
];
