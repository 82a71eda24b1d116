import { MalformedProgramError, UnsupportedDtypeError, UnsupportedOpError } from '@paradox/backend';
import {
  type Bound,
  type DType,
  exprIndices,
  exprOperands,
  type IndexExpr,
  type IndexForm,
  IndexForms,
  type Kernel,
  type KernelFacts,
  kernelFacts,
  type ScalarExpr,
} from '@paradox/ir';
import { constantValue, intLiteral, numberLiteral } from './literals.js';
import { argmaxBeats, BINARY, CAST, REDUCE, UNARY } from './syntax.js';

export type JsDType = Exclude<DType, 'float16'>;

export type { IndexForm } from '@paradox/ir';

/** How the value of an index form, and a loop variable, is spelled at the point being emitted. */
export interface EmitContext {
  affine(form: IndexForm): string;
  axisVar(axis: number): string;
  raxisVar(axis: number): string;
  /** How operand expr `i` is read (default: its local `v<i>`). */
  name?(expr: number): string;
  /** Accumulator of reduce expr `i` (default `a<i>`; rows jammed into one loop have one each). */
  accumulator?(expr: number): string;
}

/**
 * The js renderers' view of a kernel (ir's kernel facts plus index forms, buffer parameters and the
 * spelling of every scalar op), shared by the loop-nest renderer and the tiled contraction renderer: facts about every
 * expr, buffer parameters (numbered by first use, so the source depends only on kernel structure),
 * index forms, and the spelling of every scalar op.
 */
export class KernelAnalysis {
  readonly exprs: ScalarExpr[];
  readonly domain: number[];
  readonly rshape: number[];
  readonly facts: KernelFacts;
  /** Distinct index forms (ir's IndexForms); structurally equal index exprs share one (and one set of partial offsets). */
  private readonly indexForms: IndexForms;
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
    this.facts = kernelFacts(kernel);
    this.indexForms = new IndexForms(this.domain.length, this.rshape.length);
    kernel.exprs.forEach((e, i) => {
      checkDtype(e.dtype, `${where}, expr ${i}`);
      if (e.op === 'load') this.param(e.buffer);
      for (const ix of exprIndices(e)) this.form(ix);
    });
    for (const s of kernel.stores) {
      this.param(s.buffer);
      this.form(s.index);
    }
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

  /** Every distinct index form, keyed by canonical form, in id order. */
  get forms(): Map<string, IndexForm> {
    return this.indexForms.all;
  }

  form(ix: IndexExpr): IndexForm {
    return this.indexForms.form(ix);
  }

  /** Index forms an expr reads (its own, not its operands'). */
  formsOf(e: ScalarExpr): IndexForm[] {
    return this.indexForms.of(e);
  }

  /** Source of an index form: affine ones through the context, others spelled out (floor div/mod). */
  index(form: IndexForm, ctx: EmitContext): string {
    return form.affine ? ctx.affine(form) : spellIndex(form.expr, ctx);
  }

  private bounds(guards: Bound[], ctx: EmitContext, where: string): string {
    if (guards.length === 0) return 'true';
    return guards
      .map((g) => {
        const v = this.index(this.indexForms.known(g.expr)!, ctx);
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
    switch (e.op) {
      case 'load': {
        const at = this.index(this.indexForms.known(e.index)!, ctx);
        const d = e.dynamic;
        // The dynamic term: the index value clamped into the axis (never out of bounds), times stride.
        const dyn = d
          ? ` + (${operandName(d.value, ctx)} < 0 ? 0 : ${operandName(d.value, ctx)} > ${intLiteral(d.extent - 1, where)} ? ${intLiteral(d.extent - 1, where)} : ${operandName(d.value, ctx)}) * ${intLiteral(d.stride, where)}`
          : '';
        const read = `${this.param(e.buffer)}[${at}${dyn}]`;
        if (!e.guard || e.guard.length === 0) return read;
        const other = numberLiteral(constantValue(e.other ?? 0, e.dtype, where), where);
        return `(${this.bounds(e.guard, ctx, where)} ? ${read} : ${other})`;
      }
      case 'const':
        return numberLiteral(constantValue(e.value, e.dtype, where), where);
      case 'index':
        return this.index(this.indexForms.known(e.index)!, ctx);
      case 'inbounds':
        return `(${this.bounds(e.guards, ctx, where)} ? 1 : 0)`;
      case 'unary':
        return ruleOf(UNARY, e.fn, where)(operandName(e.a, ctx), this.exprs[e.a]!.dtype as JsDType);
      case 'binary':
        return ruleOf(BINARY, e.fn, where)(
          operandName(e.a, ctx),
          operandName(e.b, ctx),
          this.exprs[e.a]!.dtype as JsDType,
        );
      case 'where':
        return `(${operandName(e.c, ctx)} ? ${operandName(e.a, ctx)} : ${operandName(e.b, ctx)})`;
      case 'cast':
        return CAST[e.dtype as JsDType](operandName(e.a, ctx), this.exprs[e.a]!.dtype as JsDType);
      case 'random': {
        const draw = e.distribution === 'normal' ? 'rt.normal' : 'rt.uniform';
        const bits = `${draw}(${intLiteral(e.seed, where)}, ${this.index(this.indexForms.known(e.index)!, ctx)})`;
        return CAST[e.dtype as JsDType](`Math.fround(${bits})`, 'float32');
      }
      case 'reduce':
        return this.reduceResult(i, ctx.accumulator?.(i) ?? `a${i}`);
      default:
        throw new MalformedProgramError(
          `unknown expr op '${String((e as { op: unknown }).op).slice(0, 40)}'`,
          where,
        );
    }
  }

  /** Accumulator declaration for a reduce expr (`a`: its name, see EmitContext.accumulator). */
  reduceInit(i: number, a = `a${i}`): string {
    const e = this.exprs[i] as Extract<ScalarExpr, { op: 'reduce' }>;
    if (e.fn === 'argmax') return `let ${a} = -Infinity, ${a}at = 0, ${a}pos = 0;`;
    return `let ${a} = ${ruleOf(REDUCE, e.fn, `${this.where}, expr ${i}`).init(this.exprs[e.a]!.dtype as JsDType)};`;
  }

  /** Folds the operand into the accumulator (innermost reduction loop). */
  reduceUpdate(i: number, ctx?: EmitContext): string {
    const e = this.exprs[i] as Extract<ScalarExpr, { op: 'reduce' }>;
    const x = ctx?.name?.(e.a) ?? `v${e.a}`;
    const a = ctx?.accumulator?.(i) ?? `a${i}`;
    if (e.fn === 'argmax') return `if (${argmaxBeats(x, a)}) { ${a} = ${x}; ${a}at = ${a}pos; } ${a}pos++;`;
    return ruleOf(REDUCE, e.fn, `${this.where}, expr ${i}`).update(a, x, this.exprs[e.a]!.dtype as JsDType);
  }

  private reduceResult(i: number, a: string): string {
    const e = this.exprs[i] as Extract<ScalarExpr, { op: 'reduce' }>;
    if (e.fn === 'argmax') return `${a}at`;
    return ruleOf(REDUCE, e.fn, `${this.where}, expr ${i}`).result(a, this.exprs[e.a]!.dtype as JsDType);
  }

  storeForm(s: Kernel['stores'][number]): IndexForm {
    return this.indexForms.known(s.index)!;
  }

  store(s: Kernel['stores'][number], ctx: EmitContext): string {
    const value = ctx.name?.(s.value) ?? `v${s.value}`;
    return `${this.param(s.buffer)}[${this.index(this.indexForms.known(s.index)!, ctx)}] = ${value};`;
  }
}

/** An operand's variable (`v<j>`, unless the context names it). */
const operandName = (j: number, ctx: EmitContext): string => ctx.name?.(j) ?? `v${j}`;

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
