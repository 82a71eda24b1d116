import { exprIndices, exprOperands, type IndexExpr } from '@paradox/ir';
import type { Binding, KernelCode } from './kernel-code.js';

/**
 * How a serial reduction loop steps 4 points at a time along the innermost reduction axis (softmax
 * and layerNorm rows): buffers whose every access is unit-stride and 4-aligned along it are bound
 * as array<vec4<T>> and read/written with one vector access per step, and exprs that vary along it
 * are computed once per lane. On SwiftShader this halves the per-thread cost of a 1024-wide row.
 */
export interface ReductionLanes {
  /** The innermost reduction axis (its extent is a multiple of 4). */
  axis: number;
  /** Per expr: varies along `axis`, so it is computed once per lane. */
  lane: boolean[];
  /** Bindings accessed only as aligned quads along `axis`. */
  quads: Set<Binding>;
}

/** The lane plan of a kernel, or undefined when its innermost reduction axis cannot step by 4. */
export function reductionLanes(code: KernelCode): ReductionLanes | undefined {
  const axis = code.rshape.length - 1;
  const extent = code.rshape[axis] ?? 0;
  if (axis < 0 || extent < 4 || extent % 4 !== 0) return undefined;
  const { exprs, facts } = code;

  const lane = exprs.map(() => false);
  exprs.forEach((e, i) => {
    lane[i] =
      e.op !== 'reduce' &&
      (exprIndices(e).some((ix) => readsRaxis(ix, axis)) || exprOperands(e).some((j) => lane[j]));
  });

  const aligned = (ix: IndexExpr) => {
    const a = code.ix.affine(ix);
    if (!a || a.raxes[axis] !== 1 || a.constant % 4 !== 0) return false;
    const fourfold = (c: number, n: number) => n <= 1 || c % 4 === 0;
    return (
      a.axes.every((c, k) => fourfold(c, code.domain[k]!)) &&
      a.raxes.every((c, k) => k === axis || fourfold(c, code.rshape[k]!))
    );
  };
  const ok = new Map<Binding, boolean>();
  const note = (b: Binding, good: boolean) => ok.set(b, (ok.get(b) ?? true) && good);
  exprs.forEach((e, i) => {
    if (e.op === 'load' && facts.used[i])
      note(code.binding(e.buffer), !e.guard?.length && !e.dynamic && aligned(e.index));
  });
  for (const s of code.kernel.stores)
    note(code.binding(s.buffer), s.phase === 'reduction' && aligned(s.index));
  const quads = new Set([...ok].filter(([, good]) => good).map(([b]) => b));
  return { axis, lane, quads };
}

function readsRaxis(ix: IndexExpr, axis: number): boolean {
  switch (ix.k) {
    case 'raxis':
      return ix.axis === axis;
    case 'const':
    case 'axis':
      return false;
    case 'add':
      return readsRaxis(ix.a, axis) || readsRaxis(ix.b, axis);
    default:
      return readsRaxis(ix.a, axis);
  }
}
