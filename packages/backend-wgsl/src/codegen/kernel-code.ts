import { MalformedProgramError, UnsupportedOpError } from '@paradox/backend';
import type { Bound, DType, Kernel, KernelFacts, ScalarExpr, Store } from '@paradox/ir';
import { exprIndices, kernelFacts, mix32 } from '@paradox/ir';
import { constant, fromStorage, toStorage, WGSL_DTYPES, wgslDType } from './dtypes.js';
import { type IndexCtx, IndexRenderer } from './index-expr.js';
import { i32Literal, u32Literal } from './literals.js';
import { BINARY, cast, UNARY } from './syntax.js';

/** A storage buffer binding of a kernel: @group(0) @binding(slot) var b<slot>. */
export interface Binding {
  /** Program buffer id. */
  id: number;
  slot: number;
  name: string;
  dtype: DType;
  write: boolean;
  /** Declared as array<vec4<T>> (set by templates that vectorize every access to it). */
  vec4: boolean;
}

/** Where an expression is evaluated: loop-index spellings and the names of operand values. */
export interface PointCtx extends IndexCtx {
  ref(j: number): string;
  /** Template override for a load (vectorized access); undefined falls back to a scalar load. */
  load?(i: number): string | undefined;
}

/**
 * Everything shared by the kernel templates: validated facts, bindings (numbered by first use, so
 * the WGSL depends only on kernel structure and equal kernels share one pipeline), and the WGSL
 * of each scalar expression at a point.
 */
export class KernelCode {
  readonly exprs: ScalarExpr[];
  readonly domain: number[];
  readonly rshape: number[];
  readonly facts: KernelFacts;
  readonly ix: IndexRenderer;
  readonly bindings: Binding[] = [];
  private readonly byId = new Map<number, Binding>();

  constructor(
    readonly kernel: Kernel,
    readonly where: string,
  ) {
    this.exprs = kernel.exprs;
    this.domain = kernel.domain.map((d, k) => checkExtent(d, `${where}, domain axis ${k}`));
    this.rshape = (kernel.reduce?.shape ?? []).map((d, k) => checkExtent(d, `${where}, reduction axis ${k}`));
    this.ix = new IndexRenderer(this.domain, this.rshape, where);
    this.facts = kernelFacts(kernel);
    kernel.exprs.forEach((e, i) => {
      const w = `${where}, expr ${i}`;
      wgslDType(e.dtype, w);
      for (const ix of exprIndices(e)) this.ix.check(ix, w);
      if (e.op === 'load') this.bind(e.buffer, e.dtype, false, w);
    });
    kernel.stores.forEach((s, i) => {
      const w = `${where}, store ${i}`;
      this.ix.check(s.index, w);
      this.bind(s.buffer, this.exprs[s.value]!.dtype, true, w);
    });
  }

  private bind(id: number, dtype: DType, write: boolean, where: string): void {
    i32Literal(id, where);
    const b = this.byId.get(id);
    if (b) {
      if (b.dtype !== dtype)
        throw new MalformedProgramError(`buffer ${id} is used as ${b.dtype} and ${dtype}`, where);
      b.write ||= write;
      return;
    }
    const slot = this.bindings.length;
    const nb: Binding = { id, slot, name: `b${slot}`, dtype, write, vec4: false };
    this.bindings.push(nb);
    this.byId.set(id, nb);
  }

  binding(id: number): Binding {
    return this.byId.get(id)!;
  }

  get domainSize(): number {
    return this.domain.reduce((a, b) => a * b, 1);
  }

  get reduceSize(): number {
    return this.rshape.reduce((a, b) => a * b, 1);
  }

  regType(i: number): string {
    return WGSL_DTYPES[this.exprs[i]!.dtype].reg;
  }

  usesF16(): boolean {
    return this.bindings.some((b) => b.dtype === 'float16') || this.exprs.some((e) => e.dtype === 'float16');
  }

  /** The scalar element `index` of a binding, as a register value. */
  scalarLoad(b: Binding, index: string): string {
    return fromStorage(b.dtype, `${b.name}[${index}]`);
  }

  /**
   * Guards as one bool. Non-short-circuit `&`: each `&&` is a branch, and SwiftShader's compile time
   * explodes on dozens of them in a loop body (a 4-lane serial reduction over a double concat took
   * minutes and gigabytes to compile; issue #18).
   */
  bounds(guards: readonly Bound[], ctx: IndexCtx, where: string): string {
    if (guards.length === 0) return 'true';
    return guards
      .map((g) => {
        const v = this.ix.render(g.expr, ctx);
        return `((${v} >= ${i32Literal(g.lo, where)}) & (${v} < ${i32Literal(g.hi, where)}))`;
      })
      .join(' & ');
  }

  /** WGSL computing expr `i` at `ctx` (reduce exprs are the templates' business). */
  rhs(i: number, ctx: PointCtx): string {
    const e = this.exprs[i]!;
    const where = `${this.where}, expr ${i}`;
    const dt = (j: number) => this.exprs[j]!.dtype;
    switch (e.op) {
      case 'load': {
        const b = this.binding(e.buffer);
        const guard = e.guard && e.guard.length > 0 ? e.guard : undefined;
        // A guarded index that is negative everywhere never loads (its guard must fail), and as a
        // constant it would be a WGSL compile error ("index -1 out of bounds"): empty shapes make these.
        if (guard && this.ix.range(e.index)[1] < 0) return constant(e.dtype, e.other ?? 0, where);
        const d = e.dynamic;
        // The dynamic term: the index value clamped into the axis (never out of bounds), times stride.
        const dyn = d
          ? ` + clamp(${ctx.ref(d.value)}, 0i, ${i32Literal(d.extent - 1, where)}) * ${i32Literal(d.stride, where)}`
          : '';
        const read = ctx.load?.(i) ?? this.scalarLoad(b, `${this.ix.render(e.index, ctx)}${dyn}`);
        if (!guard) return read;
        // Both arms evaluate; WebGPU's robust buffer access keeps an out-of-range read harmless.
        return `select(${constant(e.dtype, e.other ?? 0, where)}, ${read}, ${this.bounds(guard, ctx, where)})`;
      }
      case 'const':
        return constant(e.dtype, e.value, where);
      case 'index':
        return cast(this.ix.render(e.index, ctx), 'int32', e.dtype);
      case 'inbounds':
        return `(${this.bounds(e.guards, ctx, where)})`;
      case 'unary':
        return ruleOf(UNARY, e.fn, where)(ctx.ref(e.a), dt(e.a));
      case 'binary':
        return ruleOf(BINARY, e.fn, where)(ctx.ref(e.a), ctx.ref(e.b), dt(e.a));
      case 'where':
        return `select(${ctx.ref(e.b)}, ${ctx.ref(e.a)}, ${ctx.ref(e.c)})`;
      case 'cast':
        return cast(ctx.ref(e.a), dt(e.a), e.dtype);
      case 'random': {
        // randomBits(seed, i) = mix32(i + mix32(seed) * 0x9e3779b9): the product is a compile-time key.
        if (typeof e.seed !== 'number' || !Number.isInteger(e.seed)) {
          throw new MalformedProgramError('random seed must be an integer', where);
        }
        const key = Math.imul(mix32(e.seed >>> 0), 0x9e3779b9) >>> 0;
        const fn = e.distribution === 'normal' ? 'rand_normal' : 'rand_uniform';
        if (e.distribution !== 'normal' && e.distribution !== 'uniform') {
          throw new MalformedProgramError('unknown random distribution', where);
        }
        return cast(
          `${fn}(${u32Literal(key, where)}, u32(${this.ix.render(e.index, ctx)}))`,
          'float32',
          e.dtype,
        );
      }
      case 'reduce':
        throw new MalformedProgramError('a reduce expr outside a reduction template', where);
      default:
        throw new MalformedProgramError(
          `unknown expr op '${String((e as { op: unknown }).op).slice(0, 40)}'`,
          where,
        );
    }
  }

  /** A store statement writing register value `value`. */
  storeLine(s: Store, ctx: IndexCtx, value: string): string {
    const b = this.binding(s.buffer);
    return `${b.name}[${this.ix.render(s.index, ctx)}] = ${toStorage(b.dtype, value)};`;
  }

  /** `enable f16;` and the binding declarations. */
  header(): string {
    const lines: string[] = [];
    if (this.usesF16()) lines.push('enable f16;');
    for (const b of this.bindings) {
      const el = WGSL_DTYPES[b.dtype].storage;
      const t = b.vec4 ? `vec4<${el}>` : el;
      lines.push(
        `@group(0) @binding(${b.slot}) var<storage, ${b.write ? 'read_write' : 'read'}> ${b.name}: array<${t}>;`,
      );
    }
    return lines.join('\n');
  }
}

function checkExtent(d: number, where: string): number {
  if (!Number.isSafeInteger(d) || d < 0 || d > 2147483647)
    throw new MalformedProgramError(`invalid extent ${String(d)}`, where);
  return d;
}

function ruleOf<T>(table: Record<string, T>, fn: string, where: string): T {
  const rule = Object.hasOwn(table, fn) ? table[fn] : undefined;
  if (rule === undefined) throw new UnsupportedOpError(String(fn).slice(0, 40), 'wgsl', where);
  return rule;
}
