import { MalformedProgramError } from '@paradox/backend';
import {
  collapseAxes,
  exprOperands,
  getOp,
  groupCoef,
  groupExtent,
  hasOp,
  reductionCone,
  type ScalarExpr,
} from '@paradox/ir';
import { axesOf } from './affine.js';
import { affineStep, type EmitContext, type IndexForm, type KernelAnalysis } from './kernel-analysis.js';
import { intLiteral } from './literals.js';
import type { SourceWriter } from './source-writer.js';

/**
 * Renders a kernel as a loop nest. Domain axes (and reduction axes) that every affine index walks
 * contiguously are collapsed into one loop; each affine index is carried as partial offsets, one
 * multiply-add per loop level; every expr is emitted at the outermost loop level it depends on
 * (a broadcast bias is loaded once per row, not per element). Reductions run as passes over the
 * reduction domain at the innermost domain level; phase-'reduction' stores get a final pass.
 */
export function renderLoopNest(a: KernelAnalysis, w: SourceWriter): void {
  const { exprs, facts, domain, rshape } = a;
  const forms = [...a.forms.values()];
  const affine = forms.filter((f) => f.affine);
  const blockedAx = new Set<number>();
  const blockedRx = new Set<number>();
  for (const f of forms) {
    if (f.affine) continue;
    const used = axesOf(f.expr);
    for (const k of used.ax) blockedAx.add(k);
    for (const k of used.rx) blockedRx.add(k);
  }
  const groups = collapseAxes(
    domain,
    affine.map((f) => f.affine!.ax),
    blockedAx,
  );
  const rgroups = collapseAxes(
    rshape,
    affine.map((f) => f.affine!.rx),
    blockedRx,
  );
  const groupOfAxis = (axes: number[][]) => {
    const m = new Map<number, number>();
    axes.forEach((g, gi) => {
      for (const k of g) m.set(k, gi);
    });
    return m;
  };
  const gAx = groupOfAxis(groups);
  const gRx = groupOfAxis(rgroups);
  const cax = new Map(affine.map((f) => [f, groups.map((g) => groupCoef(g, domain, f.affine!.ax))]));
  const crx = new Map(affine.map((f) => [f, rgroups.map((g) => groupCoef(g, rshape, f.affine!.rx))]));
  const inner = groups.length - 1;
  const rinner = rgroups.length - 1;

  // Deepest loop level an index form depends on (-1: none).
  const formLevel = (f: IndexForm): number =>
    f.affine
      ? cax.get(f)!.reduce((m, c, g) => (c !== 0 ? g : m), -1)
      : Math.max(-1, ...[...axesOf(f.expr).ax].map((k) => gAx.get(k)!));
  const formRLevel = (f: IndexForm): number =>
    f.affine
      ? crx.get(f)!.reduce((m, c, g) => (c !== 0 ? g : m), -1)
      : Math.max(-1, ...[...axesOf(f.expr).rx].map((k) => gRx.get(k)!));
  const level: number[] = [];
  const rlevel: number[] = [];
  exprs.forEach((e, i) => {
    const ops = exprOperands(e);
    level[i] =
      e.op === 'reduce' || facts.after[i]! > 0
        ? inner
        : Math.max(-1, ...a.formsOf(e).map(formLevel), ...ops.map((o) => level[o]!));
    rlevel[i] = Math.max(
      -1,
      ...a.formsOf(e).map(formRLevel),
      ...ops.filter((o) => facts.rdep[o]).map((o) => rlevel[o]!),
    );
  });

  // Partial offsets: d<form>_<level> in the domain nest, s<form>_<level> in a reduction nest.
  const dpart = (f: IndexForm, L: number): string => {
    const c = cax.get(f)!;
    for (let g = L; g >= 0; g--) if (c[g] !== 0) return `d${f.id}_${g}`;
    return intLiteral(f.affine!.c, a.where);
  };
  const rpart = (f: IndexForm, RL: number): string => {
    const c = crx.get(f)!;
    for (let g = RL; g >= 0; g--) if (c[g] !== 0) return `s${f.id}_${g}`;
    return dpart(f, inner);
  };
  // One context per loop level, made once: every expr emitted at a level shares it.
  const domainCtxs = new Map<number, EmitContext>();
  const reductionCtxs = new Map<number, EmitContext>();
  const domainCtx = (L: number): EmitContext => {
    let ctx = domainCtxs.get(L);
    if (!ctx) {
      ctx = {
        affine: (f) => dpart(f, L),
        axisVar: (k) => `i${gAx.get(k)}`,
        raxisVar: () => {
          throw new MalformedProgramError('a domain-level value reads a reduction index', a.where);
        },
      };
      domainCtxs.set(L, ctx);
    }
    return ctx;
  };
  const reductionCtx = (RL: number): EmitContext => {
    let ctx = reductionCtxs.get(RL);
    if (!ctx) {
      ctx = {
        affine: (f) => rpart(f, RL),
        axisVar: (k) => `i${gAx.get(k)}`,
        raxisVar: (k) => `r${gRx.get(k)}`,
      };
      reductionCtxs.set(RL, ctx);
    }
    return ctx;
  };

  const usedForms = new Set<IndexForm>();
  exprs.forEach((e, i) => {
    if (facts.used[i]) for (const f of a.formsOf(e)) usedForms.add(f);
  });
  for (const s of a.kernel.stores) usedForms.add(a.storeForm(s));
  const usedAffine = [...usedForms].filter((f) => f.affine);

  const emitExpr = (i: number, ctx: EmitContext) => w.line(`const v${i} = ${a.value(i, ctx)};`);

  /** The rdep exprs `roots` need; cached exprs are read back, so their operands are not needed. */
  const neededOf = (roots: number[], stopAt: ReadonlySet<number> = new Set()): Set<number> =>
    new Set(reductionCone(a.kernel, facts, roots, stopAt));

  // A second pass over the reduction domain (phase-'reduction' stores, e.g. softmax's exp(x - max) / sum)
  // would recompute costly values the last reduction pass already had: keep those in a row-sized
  // scratch array (per kernel call) indexed by the flat reduction position `rf`, and read them back.
  const lateStores = a.kernel.stores.filter((s) => s.phase === 'reduction');
  const lastPassReduces = exprs.flatMap((e, i) =>
    e.op === 'reduce' && facts.used[i] && facts.after[i] === facts.passes ? [i] : [],
  );
  const rowSize = rshape.reduce((x, y) => x * y, 1);
  const lastPassNeeded = neededOf(lastPassReduces.map((r) => (exprs[r] as { a: number }).a));
  const cached = new Set(
    lateStores.length > 0 && rowSize <= ROW_CACHE_LIMIT
      ? [...neededOf(lateStores.map((st) => st.value))].filter(
          (i) => lastPassNeeded.has(i) && rlevel[i] === rinner && isCostly(exprs[i]!),
        )
      : [],
  );
  for (const i of cached) w.line(`const c${i} = new Float64Array(${intLiteral(rowSize, a.where)});`);

  /** One loop nest over the reduction domain computing the rdep exprs `roots` need, then `innermost`. */
  const reductionNest = (
    roots: number[],
    innermost: () => void,
    storeForms: IndexForm[] = [],
    rowCache: 'write' | 'read' | 'none' = 'none',
  ) => {
    const needed = neededOf(roots, rowCache === 'read' ? cached : new Set());
    const order = [...needed].sort((x, y) => x - y);
    const nestForms = new Set<IndexForm>();
    for (const i of order) for (const f of a.formsOf(exprs[i]!)) if (f.affine) nestForms.add(f);
    for (const f of storeForms) if (f.affine) nestForms.add(f);
    const emitR = (RL: number) => {
      const body = () => {
        if (RL >= 0) {
          for (const f of nestForms) {
            const c = crx.get(f)![RL]!;
            if (c !== 0) w.line(`const s${f.id}_${RL} = ${affineStep(rpart(f, RL - 1), `r${RL}`, c)};`);
          }
        }
        for (const i of order) {
          if (rlevel[i] !== RL) continue;
          if (rowCache === 'read' && cached.has(i)) w.line(`const v${i} = c${i}[rf];`);
          else emitExpr(i, reductionCtx(RL));
          if (rowCache === 'write' && cached.has(i)) w.line(`c${i}[rf] = v${i};`);
        }
        if (RL < rinner) emitR(RL + 1);
        else {
          innermost();
          if (rowCache !== 'none') w.line('rf++;');
        }
      };
      if (RL < 0) w.block('', body);
      else w.block(`for (let r${RL} = 0; r${RL} < ${groupExtent(rgroups[RL]!, rshape)}; r${RL}++)`, body);
    };
    emitR(-1);
  };

  const innermostDomain = () => {
    if (cached.size > 0) w.line('let rf = 0;');
    for (let p = 0; p < facts.passes; p++) {
      const reduces = exprs.flatMap((e, i) =>
        e.op === 'reduce' && facts.used[i] && facts.after[i] === p + 1 ? [i] : [],
      );
      for (const r of reduces) w.line(a.reduceInit(r));
      reductionNest(
        reduces.map((r) => (exprs[r] as { a: number }).a),
        () => {
          for (const r of reduces) w.line(a.reduceUpdate(r));
        },
        [],
        cached.size > 0 && p === facts.passes - 1 ? 'write' : 'none',
      );
      exprs.forEach((_, i) => {
        if (facts.used[i] && !facts.rdep[i] && facts.after[i] === p + 1) emitExpr(i, domainCtx(inner));
      });
    }
    if (lateStores.length > 0) {
      if (cached.size > 0) w.line('rf = 0;');
      reductionNest(
        lateStores.map((s) => s.value),
        () => {
          for (const s of lateStores) w.line(a.store(s, reductionCtx(rinner)));
        },
        lateStores.map((s) => a.storeForm(s)),
        cached.size > 0 ? 'read' : 'none',
      );
    }
    for (const s of a.kernel.stores)
      if ((s.phase ?? 'domain') === 'domain') w.line(a.store(s, domainCtx(inner)));
  };

  const emitD = (L: number) => {
    if (L >= 0) {
      for (const f of usedAffine) {
        const c = cax.get(f)![L]!;
        if (c !== 0) w.line(`const d${f.id}_${L} = ${affineStep(dpart(f, L - 1), `i${L}`, c)};`);
      }
    }
    exprs.forEach((_, i) => {
      if (facts.used[i] && !facts.rdep[i] && facts.after[i] === 0 && level[i] === L)
        emitExpr(i, domainCtx(L));
    });
    if (L < inner) {
      const next = L + 1;
      w.block(`for (let i${next} = 0; i${next} < ${groupExtent(groups[next]!, domain)}; i${next}++)`, () =>
        emitD(next),
      );
    } else innermostDomain();
  };
  emitD(-1);
}

/** Largest reduction domain whose costly values a second pass reads back instead of recomputing. */
const ROW_CACHE_LIMIT = 1 << 16;

/** Registry cost from which a value is worth a scratch store and load (transcendentals and pow). */
const COSTLY = 4;

/** Costly values are cached for the second pass; arithmetic (sqrt and div included) is recomputed. */
function isCostly(e: ScalarExpr): boolean {
  return (e.op === 'unary' || e.op === 'binary') && hasOp(e.fn) && (getOp(e.fn).traits.cost ?? 1) >= COSTLY;
}
