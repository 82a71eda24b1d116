import { MalformedProgramError } from '@paradox/backend';
import {
  type Bound,
  type DType,
  indexRange,
  mix32,
  exprOperands as operands,
  type ScalarExpr,
  type Store,
} from '@paradox/ir';
import type { KernelAnalysis } from './analysis.js';
import {
  binarySyntax,
  type CDialect,
  castSyntax,
  constLiteral,
  type HelperName,
  indexLiteral,
  type OpSyntax,
  registerType,
  uintLiteral,
  unarySyntax,
} from './c_family.js';
import type { IndexNames, IndexRenderer } from './index_expr.js';
import type { Lines } from './source_writer.js';

/** px_recip_ok at compile time: 1 / b is a normal float, or b is 0, Inf or NaN. */
function reciprocalSafe(b: number): boolean {
  const a = Math.abs(Math.fround(b));
  return !(a > 0 && a < 2 ** -126) && !(a > 2 ** 126 && a < Infinity);
}

/** What every emitter of one kernel shares. */
export interface EmitContext {
  analysis: KernelAnalysis;
  dialect: CDialect;
  /** Collects the helpers the kernel's source must define. */
  helpers: Set<HelperName>;
  index: IndexRenderer;
  /** Parameter name of a buffer. */
  param(buffer: number): string;
  /** Float32 exprs of the kernel known to be <= 0 or NaN at every point (ir's `nonPositiveExprs`). */
  nonPositive?: ReadonlySet<number>;
}

/**
 * Emits a kernel's scalar expression DAG as `const T vN = ...;` statements into one scope
 * (`out`), each expr once. Loop index variables are named through `names`. A nested emitter
 * (a loop body) sees the values of its enclosing scopes; `hoist` evaluates what a loop needs but
 * does not vary inside it in the enclosing scope first, so loops recompute nothing invariant.
 */
export class ExprEmitter {
  private readonly memo = new Map<number, string>();
  /** Reciprocals of loop-invariant divisors made in this scope (`reciprocal`), by divisor expr. */
  private readonly reciprocals = new Map<number, { inv: string; ok?: string }>();

  constructor(
    readonly ctx: EmitContext,
    readonly out: Lines,
    readonly names: IndexNames,
    private readonly parent?: ExprEmitter,
  ) {}

  nested(out: Lines, names: IndexNames = this.names): ExprEmitter {
    return new ExprEmitter(this.ctx, out, names, this);
  }

  /** Makes expr `i` (a reduce result) available under `name` in this scope. */
  bind(i: number, name: string): void {
    this.memo.set(i, name);
  }

  /**
   * Evaluates, in this scope, the exprs `roots` need that do not depend on a reduction axis, and
   * (where the dialect allows) the reciprocal of each float32 divisor among them (`reciprocal`).
   */
  hoist(roots: readonly number[]): void {
    const exprs = this.ctx.analysis.kernel.exprs;
    const perPoint = this.ctx.analysis.perReductionPoint;
    const seen = new Set<number>();
    const invariant: number[] = [];
    const divisors = new Set<number>();
    // An explicit stack: expression chains can be far deeper than the JS call stack.
    const stack = [...roots];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (seen.has(i)) continue;
      seen.add(i);
      const e = exprs[i]!;
      if (e.op === 'reduce' || e.op === 'const') continue;
      if (!perPoint[i]) invariant.push(i);
      else stack.push(...operands(e));
      if (e.op === 'binary' && e.fn === 'div' && e.dtype === 'float32' && perPoint[i] && !perPoint[e.b])
        divisors.add(e.b);
    }
    for (const i of invariant.sort((a, b) => a - b)) this.value(i);
    if (this.ctx.dialect.reciprocalDivision) for (const b of divisors) this.reciprocal(b);
  }

  /**
   * `1 / b` once in this scope for the divisions by `b` in the loops below it, which then multiply
   * (`x * inv`, in `syntax`). A constant divisor is used only when its reciprocal is a normal float;
   * a run-time one is checked once here (`px_recip_ok`) and the loop keeps the exact division for
   * the other case: the select is loop-invariant, so the compiler unswitches the loop on it.
   */
  private reciprocal(b: number): void {
    if (this.lookupReciprocal(b) !== undefined) return;
    const e = this.ctx.analysis.kernel.exprs[b]!;
    const v = this.value(b);
    const inv = `inv${b}`;
    if (e.op === 'const') {
      if (!reciprocalSafe(e.value)) return;
      this.out.push(`const float ${inv} = 1.0f / ${v};`);
      this.reciprocals.set(b, { inv });
      return;
    }
    const ok = `invok${b}`;
    this.ctx.helpers.add('recip_ok');
    this.out.push(`const float ${inv} = 1.0f / ${v};`, `const int ${ok} = px_recip_ok(${v});`);
    this.reciprocals.set(b, { inv, ok });
  }

  /** Name (or literal) holding the value of expr `i`, emitting its definition (and its operands') if needed. */
  value(i: number): string {
    const known = this.lookup(i);
    if (known !== undefined) return known;
    const exprs = this.ctx.analysis.kernel.exprs;
    const e = exprs[i]!;
    if (e.op === 'const') return constLiteral(e.value, e.dtype, this.ctx.dialect);
    if (e.op === 'reduce')
      throw new MalformedProgramError(`reduce expr ${i} is used before its reduction completes`);
    // Post-order over an explicit stack, so a 100,000-expr chain needs no deep recursion: an
    // expr is defined once every operand it names is, and defining it then only looks names up.
    const stack = [i];
    while (stack.length > 0) {
      const j = stack[stack.length - 1]!;
      if (this.lookup(j) !== undefined) {
        stack.pop();
        continue;
      }
      const pending = operands(exprs[j]!).filter((o) => this.needsDefinition(o));
      if (pending.length > 0) {
        stack.push(...pending.reverse()); // the first operand on top: defined first, as written
        continue;
      }
      stack.pop();
      this.define(j);
    }
    return this.lookup(i)!;
  }

  private needsDefinition(i: number): boolean {
    const op = this.ctx.analysis.kernel.exprs[i]!.op;
    return op !== 'const' && op !== 'reduce' && this.lookup(i) === undefined;
  }

  /** Emits `const T vI = ...;` for an expr whose operands are all available. */
  private define(i: number): void {
    const e = this.ctx.analysis.kernel.exprs[i]!;
    const syntax = this.syntax(e);
    for (const h of syntax.helpers ?? []) this.ctx.helpers.add(h);
    const name = `v${i}`;
    this.out.push(`const ${registerType(e.dtype)} ${name} = ${syntax.text};`);
    this.memo.set(i, name);
  }

  /** `p[index] = value;` for one store, converting the value to the buffer's element type. */
  store(s: Store): void {
    const decl = this.ctx.analysis.buffers.find((b) => b.id === s.buffer)!;
    const source = this.ctx.analysis.kernel.exprs[s.value]!;
    let v = this.value(s.value);
    if (source.dtype !== decl.dtype) v = this.convert(v, source.dtype, decl.dtype);
    if (decl.dtype === 'bool') v = `(unsigned char)(${v})`;
    this.out.push(`${this.ctx.param(decl.id)}[${this.index(s.index)}] = ${v};`);
  }

  /** Renders an index expression with this scope's loop variables. */
  index(e: Parameters<IndexRenderer['render']>[0]): string {
    return this.ctx.index.render(e, this.names);
  }

  convert(v: string, from: DType, to: DType): string {
    const c = castSyntax(v, from, to);
    for (const h of c.helpers ?? []) this.ctx.helpers.add(h);
    return c.text === v ? v : `(${c.text})`;
  }

  private lookup(i: number): string | undefined {
    return this.memo.get(i) ?? this.parent?.lookup(i);
  }

  private lookupReciprocal(b: number): { inv: string; ok?: string } | undefined {
    return this.reciprocals.get(b) ?? this.parent?.lookupReciprocal(b);
  }

  /** `a / b` as a multiply by b's hoisted reciprocal (`reciprocal`), where there is one. */
  private division(a: string, b: number): OpSyntax | undefined {
    const r = this.lookupReciprocal(b);
    if (r === undefined) return undefined;
    const product = `${a} * ${r.inv}`;
    return { text: r.ok === undefined ? product : `${r.ok} ? ${product} : ${a} / ${this.value(b)}` };
  }

  private syntax(e: ScalarExpr): OpSyntax {
    const exprs = this.ctx.analysis.kernel.exprs;
    switch (e.op) {
      case 'load':
        return { text: this.load(e) };
      case 'index':
        return { text: this.ctx.analysis.wide ? `(int)(${this.index(e.index)})` : this.index(e.index) };
      case 'inbounds':
        return { text: this.guard(e.guards) ?? 'true' };
      case 'unary': {
        const { dialect, nonPositive } = this.ctx;
        if (e.fn === 'exp' && dialect.expNonPositive && nonPositive?.has(e.a))
          return { text: dialect.expNonPositive(this.value(e.a)) };
        return unarySyntax(e.fn, this.value(e.a), exprs[e.a]!.dtype, dialect);
      }
      case 'binary':
        if (e.fn === 'div' && e.dtype === 'float32') {
          const viaReciprocal = this.division(this.value(e.a), e.b);
          if (viaReciprocal) return viaReciprocal;
        }
        return binarySyntax(e.fn, this.value(e.a), this.value(e.b), exprs[e.a]!.dtype);
      case 'where':
        return { text: `${this.value(e.c)} ? ${this.value(e.a)} : ${this.value(e.b)}` };
      case 'cast':
        return castSyntax(this.value(e.a), exprs[e.a]!.dtype, e.dtype);
      case 'random': {
        const seedMix = uintLiteral(mix32(e.seed >>> 0));
        const index = `(unsigned)(${this.index(e.index)})`;
        const fn = e.distribution === 'normal' ? 'px_random_normal' : 'px_random_uniform';
        const helper: HelperName = e.distribution === 'normal' ? 'random_normal' : 'random_uniform';
        const text = `${fn}(${seedMix}, ${index})`;
        if (e.dtype === 'float32') return { text, helpers: [helper] };
        const cast = castSyntax(text, 'float32', e.dtype);
        return { text: cast.text, helpers: [helper, ...(cast.helpers ?? [])] };
      }
      default:
        throw new MalformedProgramError(`expr op '${String(e.op)}' cannot be rendered here`);
    }
  }

  private load(e: Extract<ScalarExpr, { op: 'load' }>): string {
    const decl = this.ctx.analysis.buffers.find((b) => b.id === e.buffer)!;
    let at = this.index(e.index);
    if (e.dynamic) {
      // The dynamic term: the index value clamped into the axis (never out of bounds), times stride.
      const { value, extent, stride } = e.dynamic;
      const v = this.value(value);
      const last = indexLiteral(extent - 1, this.ctx.analysis.wide);
      at = `${at} + (${v} < 0 ? 0 : ${v} > ${last} ? ${last} : ${v}) * ${indexLiteral(stride, this.ctx.analysis.wide)}`;
    }
    let text = `${this.ctx.param(decl.id)}[${at}]`;
    if (decl.dtype === 'bool') text = `(${text} != 0)`;
    if (decl.dtype !== e.dtype) text = this.convert(text, decl.dtype, e.dtype);
    const cond = this.guard(e.guard ?? []);
    if (cond === undefined) return text;
    return `${cond} ? ${text} : ${constLiteral(e.other ?? 0, e.dtype, this.ctx.dialect)}`;
  }

  /** Conjunction of the bounds that can fail (undefined when all always hold). */
  private guard(bounds: readonly Bound[]): string | undefined {
    const terms: string[] = [];
    for (const b of bounds) {
      const [min, max] = indexRange(b.expr, this.ctx.analysis.space);
      if (min >= b.lo && max < b.hi) continue;
      const x = this.index(b.expr);
      const wide = this.ctx.analysis.wide;
      if (min < b.lo) terms.push(`${x} >= ${indexLiteral(b.lo, wide)}`);
      if (max >= b.hi) terms.push(`${x} < ${indexLiteral(b.hi, wide)}`);
    }
    return terms.length === 0 ? undefined : `(${terms.join(' && ')})`;
  }
}
