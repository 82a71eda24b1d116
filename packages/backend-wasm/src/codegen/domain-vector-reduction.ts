import type { Bound, IndexForm } from '@paradox/ir';
import { I32 } from '../encoder/function-body.js';
import { Op } from '../encoder/opcodes.js';
import type { LoopNest } from './loop-nest.js';
import { emitLoop } from './loops.js';

/** The exprs of a reduction kernel run four domain points at a time (see planDomainVectorReduction). */
export interface DomainVectorReduction {
  /** Per-point exprs before the reduction, the reduction's own exprs, the reduces, exprs after it. */
  pre: number[];
  rexprs: number[];
  reduces: number[];
  post: number[];
}

/**
 * A reduction whose innermost reduction loop cannot run as SIMD (a convolution's 3-wide window,
 * padding guards) but whose innermost domain loop can: four neighbouring output points share each
 * reduction step, one f32x4 accumulator lane per point, so every lane adds its terms in the scalar
 * loop's order (results bit for bit those of the scalar loop). Loads move by 0 or 1 element per
 * lane; guarded ones use emitGuardedVectorLoad. Undefined when the kernel does not fit.
 */
export function planDomainVectorReduction(nest: LoopNest): DomainVectorReduction | undefined {
  const { plan, vec } = nest;
  const g = nest.inner;
  if (!vec || plan.passes !== 1 || plan.extents[g]! < 4 || plan.rextents.some((e) => e === 0))
    return undefined;
  const stores = plan.kernel.stores;
  if (stores.some((s) => s.phase === 'reduction')) return undefined;
  const reduces = plan.exprs.flatMap((e, i) => (e.op === 'reduce' && plan.used[i] ? [i] : []));
  if (reduces.length === 0) return undefined;
  const rexprs = nest.neededOf(reduces.map((r) => (plan.exprs[r] as { a: number }).a));
  const rinner = nest.rinner;
  // Where the reduction loop itself vectorizes, it does (LoopNest.reductionNest).
  if (plan.rextents[rinner]! >= 4 && vec.vectorizable(rexprs, [], (f) => plan.rcoef(f, rinner), reduces))
    return undefined;
  const perPoint = (i: number) =>
    plan.used[i] && !plan.rdep[i] && nest.level[i] === g && plan.exprs[i]!.op !== 'reduce';
  const pre = plan.exprs.flatMap((_, i) => (perPoint(i) && plan.after[i] === 0 ? [i] : []));
  const post = plan.exprs.flatMap((_, i) => (perPoint(i) && plan.after[i] === 1 ? [i] : []));
  const coef = (f: IndexForm) => plan.coef(f, g);
  if (!vec.vectorizable([...pre, ...post], stores, coef)) return undefined;
  if (!vec.vectorizable(rexprs, [], coef, reduces, true)) return undefined;
  return { pre, rexprs, reduces, post };
}

/**
 * The innermost domain loop of `nest` four points at a time (then a scalar tail, `scalarTail`,
 * when its extent is not a multiple of 4); `forms` are the kernel's affine forms.
 */
export function emitDomainVectorReduction(
  nest: LoopNest,
  dv: DomainVectorReduction,
  forms: IndexForm[],
  start: () => void,
  end: () => void,
  scalarTail: () => void,
): void {
  const { plan, x } = nest;
  const vec = nest.vec!;
  const g = nest.inner;
  const stores = plan.kernel.stores;
  nest.align = 4;
  vec.useLoop((f) => plan.coef(f, g));
  vec.prepareSplats(
    [...dv.pre, ...dv.rexprs, ...dv.reduces, ...dv.post],
    // A reduce's operand may be a value of an outer level (a reduction over no axes): splatted.
    [...stores.map((s) => s.value), ...dv.reduces.map((r) => (plan.exprs[r] as { a: number }).a)],
  );
  const guards = dv.rexprs.flatMap((i) => {
    const e = plan.exprs[i]!;
    return e.op === 'load' ? (e.guard ?? []) : [];
  });
  const rforms = [...new Set(dv.rexprs.flatMap((i) => plan.formsOf(plan.exprs[i]!)))].filter((f) => f.affine);
  nest.vectorLoop(
    { L: g, reduction: false, forms, extent: plan.extents[g]!, start, end },
    {
      vector: () => {
        const dctx = nest.domainCtx(g);
        for (const i of dv.pre) vec.emit(i, dctx);
        for (const r of dv.reduces) vec.accInit(r);
        const reduction = () =>
          reductionLoops(nest, rforms, () => {
            const rctx = nest.reductionCtx(nest.rinner);
            for (const i of dv.rexprs) vec.emit(i, rctx);
            for (const r of dv.reduces) vec.accUpdate(r);
          });
        if (guards.length > 0) {
          // Interior points (all guards hold over the whole window, every lane): no checks.
          emitGuardsHold(nest, guards);
          x.b.if();
          vec.guardsHold = true;
          reduction();
          vec.guardsHold = false;
          x.b.else();
          reduction();
          x.b.end();
        } else reduction();
        for (const r of dv.reduces) vec.accResult(r);
        for (const i of dv.post) vec.emit(i, dctx);
        for (const st of stores) vec.store(st, dctx);
      },
      scalar: scalarTail,
    },
  );
}

/** Scalar loops over the whole reduction domain, stepping `forms`; `body` runs per point. */
function reductionLoops(nest: LoopNest, forms: IndexForm[], body: () => void): void {
  const b = nest.x.b;
  const loop = (RL: number) =>
    emitLoop(
      b,
      nest.rcounters[RL]!,
      () => b.i32(0),
      () => b.i32(nest.plan.rextents[RL]!),
      () => {
        nest.step(forms, RL, true);
        if (RL < nest.rinner) loop(RL + 1);
        else body();
      },
      1,
      true,
    );
  loop(0);
}

/**
 * Pushes whether every guard (lo <= index < hi) holds for all four lanes over the whole reduction
 * domain at the current domain point: the affine index's least and greatest value over the window
 * (reduction terms at 0 or their extent's end), lanes moving it up by `coef` each.
 */
function emitGuardsHold(nest: LoopNest, guards: Bound[]): void {
  const { plan } = nest;
  const b = nest.x.b;
  guards.forEach((bound, j) => {
    const f = plan.form(bound.expr, plan.where);
    let least = 0;
    let most = 3 * plan.coef(f, nest.inner);
    f.affine!.rx.forEach((c, k) => {
      const span = c * (plan.rshape[k]! - 1);
      if (span < 0) least += span;
      else most += span;
    });
    const t = b.local(I32);
    nest.domainPart(f, nest.inner);
    b.tee(t).i32(least).op(Op.i32Add).i32(bound.lo).op(Op.i32GeS);
    b.get(t).i32(most).op(Op.i32Add).i32(bound.hi).op(Op.i32LtS).op(Op.i32And);
    if (j > 0) b.op(Op.i32And);
  });
}
