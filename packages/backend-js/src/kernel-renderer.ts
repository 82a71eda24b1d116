import { MalformedProgramError, UnsupportedDtypeError, UnsupportedOpError } from '@paradox/backend';
import {
  type Bound,
  type DType,
  exprIndices,
  exprOperands,
  getOp,
  hasOp,
  type IndexExpr,
  type Kernel,
  type ScalarExpr,
} from '@paradox/ir';
import { type Affine, axesOf, collapseAxes, groupCoef, groupExtent, toAffine } from './affine.js';
import { type KernelFacts, kernelFacts } from './kernel-facts.js';
import { constantValue, intLiteral, numberLiteral } from './literals.js';
import type { SourceWriter } from './source-writer.js';
import { argmaxBeats, BINARY, CAST, REDUCE, UNARY } from './syntax.js';

export type JsDType = Exclude<DType, 'float16'>;

/** One distinct index expression of a kernel and its affine form over the original axes (null: div/mod). */
export interface IndexForm {
  id: number;
  expr: IndexExpr;
  affine: Affine | null;
}

/** How the value of an index form, and a loop variable, is spelled at the point being emitted. */
export interface EmitContext {
  affine(form: IndexForm): string;
  axisVar(axis: number): string;
  raxisVar(axis: number): string;
  /** How operand expr `i` is read (default: its local `v<i>`). */
  name?(expr: number): string;
}

/**
 * Analysis shared by the loop-nest renderer and the tiled contraction renderer: facts about every
 * expr, buffer parameters (numbered by first use, so the source depends only on kernel structure),
 * index forms, and the spelling of every scalar op.
 */
export class KernelAnalysis {
  readonly exprs: ScalarExpr[];
  readonly domain: number[];
  readonly rshape: number[];
  readonly facts: KernelFacts;
  /** Distinct index forms; structurally equal index exprs share one (and one set of partial offsets). */
  readonly forms = new Map<string, IndexForm>();
  private readonly formOfExpr = new Map<IndexExpr, IndexForm>();
  /** Buffer ids in parameter order. */
  readonly params: number[] = [];
  private readonly paramOf = new Map<number, string>();
  /** Float32 exprs whose only readers are stores (the typed array rounds them). */
  private readonly roundedByStore: boolean[];

  constructor(
    readonly kernel: Kernel,
    readonly where: string,
  ) {
    this.exprs = kernel.exprs;
    this.domain = kernel.domain.map((d, k) => checkExtent(d, `${where}, domain axis ${k}`));
    this.rshape = (kernel.reduce?.shape ?? []).map((d, k) => checkExtent(d, `${where}, reduction axis ${k}`));
    this.facts = kernelFacts(kernel, where);
    kernel.exprs.forEach((e, i) => {
      checkDtype(e.dtype, `${where}, expr ${i}`);
      if (e.op === 'load') this.param(e.buffer);
      for (const ix of exprIndices(e)) this.form(ix, `${where}, expr ${i}`);
    });
    kernel.stores.forEach((s, i) => {
      this.param(s.buffer);
      this.form(s.index, `${where}, store ${i}`);
    });
    const readByExpr = new Set(kernel.exprs.flatMap(exprOperands));
    this.roundedByStore = kernel.exprs.map(() => false);
    for (const s of kernel.stores) {
      if (!readByExpr.has(s.value) && kernel.exprs[s.value]?.dtype === 'float32')
        this.roundedByStore[s.value] = true;
    }
  }

  param(buffer: number): string {
    let name = this.paramOf.get(buffer);
    if (name === undefined) {
      intLiteral(buffer, `${this.where}, buffer id`);
      name = `p${this.params.length}`;
      this.params.push(buffer);
      this.paramOf.set(buffer, name);
    }
    return name;
  }

  form(ix: IndexExpr, where: string): IndexForm {
    let f = this.formOfExpr.get(ix);
    if (f) return f;
    checkIndexExpr(ix, this.domain.length, this.rshape.length, where);
    const key = JSON.stringify(ix);
    f = this.forms.get(key);
    if (!f) {
      f = { id: this.forms.size, expr: ix, affine: toAffine(ix, this.domain.length, this.rshape.length) };
      this.forms.set(key, f);
    }
    this.formOfExpr.set(ix, f);
    return f;
  }

  /** Index forms an expr reads (its own, not its operands'). */
  formsOf(e: ScalarExpr): IndexForm[] {
    return exprIndices(e).map((ix) => this.formOfExpr.get(ix)!);
  }

  /** Source of an index form: affine ones through the context, others spelled out (floor div/mod). */
  index(form: IndexForm, ctx: EmitContext): string {
    return form.affine ? ctx.affine(form) : spellIndex(form.expr, ctx);
  }

  private bounds(guards: Bound[], ctx: EmitContext, where: string): string {
    if (guards.length === 0) return 'true';
    return guards
      .map((g) => {
        const v = this.index(this.formOfExpr.get(g.expr)!, ctx);
        return `${v} >= ${intLiteral(g.lo, where)} && ${v} < ${intLiteral(g.hi, where)}`;
      })
      .join(' && ');
  }

  /**
   * The right-hand side computing expr `i` (a reduce's value is its accumulator's result, see below).
   * A float32 value that only stores read skips its final `Math.fround`: writing a double into a
   * Float32Array rounds it the same way.
   */
  value(i: number, ctx: EmitContext): string {
    const rhs = this.unroundedValue(i, ctx);
    return this.roundedByStore[i] ? withoutOuterFround(rhs) : rhs;
  }

  private unroundedValue(i: number, ctx: EmitContext): string {
    const e = this.exprs[i]!;
    const where = `${this.where}, expr ${i}`;
    const v = (j: number) => ctx.name?.(j) ?? `v${j}`;
    const dt = (j: number) => this.exprs[j]!.dtype as JsDType;
    switch (e.op) {
      case 'load': {
        const read = `${this.param(e.buffer)}[${this.index(this.formOfExpr.get(e.index)!, ctx)}]`;
        if (!e.guard || e.guard.length === 0) return read;
        const other = numberLiteral(constantValue(e.other ?? 0, e.dtype, where), where);
        return `(${this.bounds(e.guard, ctx, where)} ? ${read} : ${other})`;
      }
      case 'const':
        return numberLiteral(constantValue(e.value, e.dtype, where), where);
      case 'index':
        return this.index(this.formOfExpr.get(e.index)!, ctx);
      case 'inbounds':
        return `(${this.bounds(e.guards, ctx, where)} ? 1 : 0)`;
      case 'unary':
        return ruleOf(UNARY, e.fn, where)(v(e.a), dt(e.a));
      case 'binary':
        return ruleOf(BINARY, e.fn, where)(v(e.a), v(e.b), dt(e.a));
      case 'where':
        return `(${v(e.c)} ? ${v(e.a)} : ${v(e.b)})`;
      case 'cast':
        return CAST[e.dtype as JsDType](v(e.a), dt(e.a));
      case 'random': {
        const draw = e.distribution === 'normal' ? 'rt.normal' : 'rt.uniform';
        const bits = `${draw}(${intLiteral(e.seed, where)}, ${this.index(this.formOfExpr.get(e.index)!, ctx)})`;
        return CAST[e.dtype as JsDType](`Math.fround(${bits})`, 'float32');
      }
      case 'reduce':
        return this.reduceResult(i);
      default:
        throw new MalformedProgramError(
          `unknown expr op '${String((e as { op: unknown }).op).slice(0, 40)}'`,
          where,
        );
    }
  }

  /** Accumulator declaration for a reduce expr. */
  reduceInit(i: number): string {
    const e = this.exprs[i] as Extract<ScalarExpr, { op: 'reduce' }>;
    if (e.fn === 'argmax') return `let a${i} = -Infinity, a${i}at = 0, a${i}pos = 0;`;
    return `let a${i} = ${ruleOf(REDUCE, e.fn, `${this.where}, expr ${i}`).init(this.exprs[e.a]!.dtype as JsDType)};`;
  }

  /** Folds the operand into the accumulator (innermost reduction loop). */
  reduceUpdate(i: number): string {
    const e = this.exprs[i] as Extract<ScalarExpr, { op: 'reduce' }>;
    const x = `v${e.a}`;
    if (e.fn === 'argmax')
      return `if (${argmaxBeats(x, `a${i}`)}) { a${i} = ${x}; a${i}at = a${i}pos; } a${i}pos++;`;
    return ruleOf(REDUCE, e.fn, `${this.where}, expr ${i}`).update(
      `a${i}`,
      x,
      this.exprs[e.a]!.dtype as JsDType,
    );
  }

  private reduceResult(i: number): string {
    const e = this.exprs[i] as Extract<ScalarExpr, { op: 'reduce' }>;
    if (e.fn === 'argmax') return `a${i}at`;
    return ruleOf(REDUCE, e.fn, `${this.where}, expr ${i}`).result(
      `a${i}`,
      this.exprs[e.a]!.dtype as JsDType,
    );
  }

  storeForm(s: Kernel['stores'][number]): IndexForm {
    return this.formOfExpr.get(s.index)!;
  }

  store(s: Kernel['stores'][number], ctx: EmitContext): string {
    const value = ctx.name?.(s.value) ?? `v${s.value}`;
    return `${this.param(s.buffer)}[${this.index(this.formOfExpr.get(s.index)!, ctx)}] = ${value};`;
  }
}

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
  const domainCtx = (L: number): EmitContext => ({
    affine: (f) => dpart(f, L),
    axisVar: (k) => `i${gAx.get(k)}`,
    raxisVar: () => {
      throw new MalformedProgramError('a domain-level value reads a reduction index', a.where);
    },
  });
  const reductionCtx = (RL: number): EmitContext => ({
    affine: (f) => rpart(f, RL),
    axisVar: (k) => `i${gAx.get(k)}`,
    raxisVar: (k) => `r${gRx.get(k)}`,
  });

  const usedForms = new Set<IndexForm>();
  exprs.forEach((e, i) => {
    if (facts.used[i]) for (const f of a.formsOf(e)) usedForms.add(f);
  });
  for (const s of a.kernel.stores) usedForms.add(a.storeForm(s));
  const usedAffine = [...usedForms].filter((f) => f.affine);

  const emitExpr = (i: number, ctx: EmitContext) => w.line(`const v${i} = ${a.value(i, ctx)};`);

  /** The rdep exprs `roots` need; cached exprs are read back, so their operands are not needed. */
  const neededOf = (roots: number[], stopAt: ReadonlySet<number> = new Set()): Set<number> => {
    const needed = new Set<number>();
    const visit = (i: number) => {
      if (!facts.rdep[i] || needed.has(i)) return;
      needed.add(i);
      if (!stopAt.has(i)) for (const o of exprOperands(exprs[i]!)) visit(o);
    };
    for (const r of roots) visit(r);
    return needed;
  };

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

/** `Math.fround(x)` -> `x` when the call spans the whole expression; anything else unchanged. */
export function withoutOuterFround(rhs: string): string {
  const head = 'Math.fround(';
  if (!rhs.startsWith(head) || !rhs.endsWith(')')) return rhs;
  let depth = 0;
  for (let k = head.length - 1; k < rhs.length; k++) {
    if (rhs[k] === '(') depth++;
    else if (rhs[k] === ')' && --depth === 0) return k === rhs.length - 1 ? rhs.slice(head.length, -1) : rhs;
  }
  return rhs;
}

/** `prev + v * c`, folding zeros and ones. */
export function affineStep(prev: string, v: string, c: number): string {
  if (c === 0) return prev;
  const term = c === 1 ? v : `${v} * ${intLiteral(c, 'index coefficient')}`;
  return prev === '0' ? term : `${prev} + ${term}`;
}

function spellIndex(ix: IndexExpr, ctx: EmitContext): string {
  switch (ix.k) {
    case 'const':
      return intLiteral(ix.v, 'index constant');
    case 'axis':
      return ctx.axisVar(ix.axis);
    case 'raxis':
      return ctx.raxisVar(ix.axis);
    case 'add':
      return `(${spellIndex(ix.a, ctx)} + ${spellIndex(ix.b, ctx)})`;
    case 'mul':
      return `(${spellIndex(ix.a, ctx)} * ${intLiteral(ix.c, 'index factor')})`;
    case 'div':
      return `Math.floor(${spellIndex(ix.a, ctx)} / ${intLiteral(ix.c, 'index divisor')})`;
    case 'mod': {
      const c = intLiteral(ix.c, 'index modulus');
      return `(((${spellIndex(ix.a, ctx)} % ${c}) + ${c}) % ${c})`;
    }
  }
}

function checkIndexExpr(ix: IndexExpr, rank: number, rrank: number, where: string): void {
  switch (ix.k) {
    case 'const':
      intLiteral(ix.v, where);
      return;
    case 'axis':
    case 'raxis': {
      const n = ix.k === 'axis' ? rank : rrank;
      if (!Number.isInteger(ix.axis) || ix.axis < 0 || ix.axis >= n) {
        throw new MalformedProgramError(`${ix.k} ${String(ix.axis)} is out of range (rank ${n})`, where);
      }
      return;
    }
    case 'add':
      checkIndexExpr(ix.a, rank, rrank, where);
      checkIndexExpr(ix.b, rank, rrank, where);
      return;
    case 'mul':
    case 'div':
    case 'mod':
      intLiteral(ix.c, where);
      if (ix.k !== 'mul' && !(ix.c > 0))
        throw new MalformedProgramError(`${ix.k} by non-positive ${ix.c}`, where);
      checkIndexExpr(ix.a, rank, rrank, where);
      return;
    default:
      throw new MalformedProgramError(`unknown index expression kind`, where);
  }
}

function checkExtent(d: number, where: string): number {
  if (!Number.isSafeInteger(d) || d < 0)
    throw new MalformedProgramError(`invalid extent ${String(d)}`, where);
  return d;
}

function checkDtype(d: DType, where: string): void {
  if (d !== 'float32' && d !== 'int32' && d !== 'bool')
    throw new UnsupportedDtypeError(String(d).slice(0, 40), 'js', where);
}

function ruleOf<T>(table: Record<string, T>, fn: string, where: string): T {
  const rule = Object.hasOwn(table, fn) ? table[fn] : undefined;
  if (rule === undefined) throw new UnsupportedOpError(String(fn).slice(0, 40), 'js', where);
  return rule;
}
