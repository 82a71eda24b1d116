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
import { jammedRows } from './row-jam.js';
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

  // Rows jammed into one loop (see jammedRows) name what varies with the innermost domain loop
  // with their suffix; PLAIN (one row, no suffix) renders the nest as before.
  const rowOf = (f: IndexForm): boolean => cax.get(f)![inner] !== 0;
  const vname = (i: number, row: Row): string => (level[i] === inner ? `v${i}${row.sfx}` : `v${i}`);
  const cacheName = (i: number, row: Row): string => (row.j === 0 ? `c${i}` : `c${i}_${row.j}`);
  const innerVar = (row: Row): string => `i${inner}${row.sfx}`;

  // Partial offsets: d<form>_<level> in the domain nest, s<form>_<level> in a reduction nest.
  const dpart = (f: IndexForm, L: number, row: Row): string => {
    const c = cax.get(f)!;
    for (let g = L; g >= 0; g--) if (c[g] !== 0) return `d${f.id}_${g}${g === inner ? row.sfx : ''}`;
    return intLiteral(f.affine!.c, a.where);
  };
  const rpart = (f: IndexForm, RL: number, row: Row): string => {
    const c = crx.get(f)!;
    for (let g = RL; g >= 0; g--) if (c[g] !== 0) return `s${f.id}_${g}${rowOf(f) ? row.sfx : ''}`;
    return dpart(f, inner, row);
  };
  const axisVar = (k: number, row: Row): string => (gAx.get(k) === inner ? innerVar(row) : `i${gAx.get(k)}`);
  const names = (row: Row) => ({
    name: (i: number) => vname(i, row),
    accumulator: (i: number) => `a${i}${row.sfx}`,
  });
  // One context per loop level and row, made once: every expr emitted there shares it.
  const domainCtxs = new Map<string, EmitContext>();
  const reductionCtxs = new Map<string, EmitContext>();
  const domainCtx = (L: number, row: Row): EmitContext => {
    let ctx = domainCtxs.get(`${L}${row.sfx}`);
    if (!ctx) {
      ctx = {
        affine: (f) => dpart(f, L, row),
        axisVar: (k) => axisVar(k, row),
        raxisVar: () => {
          throw new MalformedProgramError('a domain-level value reads a reduction index', a.where);
        },
        ...names(row),
      };
      domainCtxs.set(`${L}${row.sfx}`, ctx);
    }
    return ctx;
  };
  const reductionCtx = (RL: number, row: Row): EmitContext => {
    let ctx = reductionCtxs.get(`${RL}${row.sfx}`);
    if (!ctx) {
      ctx = {
        affine: (f) => rpart(f, RL, row),
        axisVar: (k) => axisVar(k, row),
        raxisVar: (k) => `r${gRx.get(k)}`,
        ...names(row),
      };
      reductionCtxs.set(`${RL}${row.sfx}`, ctx);
    }
    return ctx;
  };

  const usedForms = new Set<IndexForm>();
  exprs.forEach((e, i) => {
    if (facts.used[i]) for (const f of a.formsOf(e)) usedForms.add(f);
  });
  for (const s of a.kernel.stores) usedForms.add(a.storeForm(s));
  const usedAffine = [...usedForms].filter((f) => f.affine);

  const emitExpr = (i: number, ctx: EmitContext, row: Row) =>
    w.line(`const ${vname(i, row)} = ${a.value(i, ctx)};`);

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
  const jam = inner >= 0 ? jammedRows(a, groupExtent(groups[inner]!, domain), rowSize) : 1;
  const jammed: Row[] = Array.from({ length: jam }, (_, j) => ({ sfx: `_${j}`, j }));
  for (const i of cached)
    for (const row of jam > 1 ? jammed : [PLAIN])
      w.line(`const ${cacheName(i, row)} = new Float64Array(${intLiteral(rowSize, a.where)});`);

  /**
   * One loop nest over the reduction domain computing the rdep exprs `roots` need for each of `rows`,
   * then `innermost`. What does not vary with the row (level below inner) is computed once.
   */
  const reductionNest = (
    roots: number[],
    innermost: () => void,
    rows: Row[],
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
            if (c === 0) continue;
            for (const row of rowOf(f) ? rows : rows.slice(0, 1))
              w.line(
                `const s${f.id}_${RL}${rowOf(f) ? row.sfx : ''} = ${affineStep(rpart(f, RL - 1, row), `r${RL}`, c)};`,
              );
          }
        }
        for (const i of order) {
          if (rlevel[i] !== RL) continue;
          for (const row of level[i] === inner ? rows : rows.slice(0, 1)) {
            if (rowCache === 'read' && cached.has(i))
              w.line(`const ${vname(i, row)} = ${cacheName(i, row)}[rf];`);
            else emitExpr(i, reductionCtx(RL, row), row);
          }
          if (rowCache === 'write' && cached.has(i))
            for (const row of rows) w.line(`${cacheName(i, row)}[rf] = ${vname(i, row)};`);
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

  /** The reductions and stores of `rows` (their domain-level values emitted): passes jammed, stores row by row. */
  const innermostDomain = (rows: Row[]) => {
    if (cached.size > 0) w.line('let rf = 0;');
    for (let p = 0; p < facts.passes; p++) {
      const reduces = exprs.flatMap((e, i) =>
        e.op === 'reduce' && facts.used[i] && facts.after[i] === p + 1 ? [i] : [],
      );
      for (const row of rows) for (const r of reduces) w.line(a.reduceInit(r, `a${r}${row.sfx}`));
      reductionNest(
        reduces.map((r) => (exprs[r] as { a: number }).a),
        () => {
          for (const row of rows)
            for (const r of reduces) w.line(a.reduceUpdate(r, reductionCtx(rinner, row)));
        },
        rows,
        [],
        cached.size > 0 && p === facts.passes - 1 ? 'write' : 'none',
      );
      for (const row of rows)
        exprs.forEach((_, i) => {
          if (facts.used[i] && !facts.rdep[i] && facts.after[i] === p + 1)
            emitExpr(i, domainCtx(inner, row), row);
        });
    }
    // Stores in row order, each row's after its own loads: the order a loop over single rows has.
    for (const row of rows) {
      if (lateStores.length > 0) {
        if (cached.size > 0) w.line('rf = 0;');
        reductionNest(
          lateStores.map((s) => s.value),
          () => {
            for (const s of lateStores) w.line(a.store(s, reductionCtx(rinner, row)));
          },
          [row],
          lateStores.map((s) => a.storeForm(s)),
          cached.size > 0 ? 'read' : 'none',
        );
      }
      for (const s of a.kernel.stores)
        if ((s.phase ?? 'domain') === 'domain') w.line(a.store(s, domainCtx(inner, row)));
    }
  };

  /** Partial offsets and values of loop level L (for one row of the innermost level). */
  const emitLevel = (L: number, row: Row) => {
    if (L >= 0) {
      if (L === inner && row !== PLAIN) w.line(`const ${innerVar(row)} = i${inner} + ${row.j};`);
      for (const f of usedAffine) {
        const c = cax.get(f)![L]!;
        const sfx = L === inner ? row.sfx : '';
        const at = L === inner ? innerVar(row) : `i${L}`;
        if (c !== 0) w.line(`const d${f.id}_${L}${sfx} = ${affineStep(dpart(f, L - 1, row), at, c)};`);
      }
    }
    exprs.forEach((_, i) => {
      if (facts.used[i] && !facts.rdep[i] && facts.after[i] === 0 && level[i] === L)
        emitExpr(i, domainCtx(L, row), row);
    });
  };

  const emitD = (L: number) => {
    emitLevel(L, PLAIN);
    if (L === inner) {
      innermostDomain([PLAIN]);
      return;
    }
    const next = L + 1;
    const extent = groupExtent(groups[next]!, domain);
    if (next === inner && jam > 1) {
      // Unroll-and-jam: `jam` rows' reductions interleave in one loop, each row still folded in
      // order (results unchanged), so their float32 step chains overlap instead of queueing.
      const full = extent - (extent % jam);
      w.block(`for (let i${next} = 0; i${next} < ${full}; i${next} += ${jam})`, () => {
        for (const row of jammed) emitLevel(next, row);
        innermostDomain(jammed);
      });
      if (full === extent) return;
      w.block(`for (let i${next} = ${full}; i${next} < ${extent}; i${next}++)`, () => emitD(next));
      return;
    }
    w.block(`for (let i${next} = 0; i${next} < ${extent}; i${next}++)`, () => emitD(next));
  };
  emitD(-1);
}

/** One row of the innermost domain loop: `sfx` suffixes what varies with it, `j` its offset. */
interface Row {
  sfx: string;
  j: number;
}

/** The row of a loop that is not jammed: names as they are. */
const PLAIN: Row = { sfx: '', j: 0 };

/** Largest reduction domain whose costly values a second pass reads back instead of recomputing. */
const ROW_CACHE_LIMIT = 1 << 16;

/** Registry cost from which a value is worth a scratch store and load (transcendentals and pow). */
const COSTLY = 4;

/** Costly values are cached for the second pass; arithmetic (sqrt and div included) is recomputed. */
function isCostly(e: ScalarExpr): boolean {
  return (e.op === 'unary' || e.op === 'binary') && hasOp(e.fn) && (getOp(e.fn).traits.cost ?? 1) >= COSTLY;
}
