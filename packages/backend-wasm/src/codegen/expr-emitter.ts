import { MalformedProgramError, UnsupportedOpError } from '@paradox/backend';
import {
  type Bound,
  type DynamicIndex,
  type IndexExpr,
  reduceDef,
  type ScalarExpr,
  type Store,
} from '@paradox/ir';
import { F32, F64, type FunctionBody, I32 } from '../encoder/function-body.js';
import { Op } from '../encoder/opcodes.js';
import type { HelperName } from './helpers.js';
import { type IndexForm, i32Value, type KernelPlan } from './kernel-plan.js';
import { BINARY, type Dt, emitCast, type OpContext, pushArgmaxTakes, UNARY, valType } from './scalar-ops.js';
import type { MathFn } from './simd-math.js';

/** Where a buffer lives in linear memory. */
export interface BufferLocation {
  /** Byte address of element 0 (a constant); with `base`, added to that local's value. */
  offset: number;
  dtype: Dt;
  /** Local holding the buffer's address when it is only known per call (program inputs and outputs). */
  base?: number;
}

export type Layout = (buffer: number, where: string) => BufferLocation;

/** How an index form's value is read at the point being emitted: pushes it as an i32. */
export interface IndexContext {
  affine(f: IndexForm): void;
  /** Loop counter of a domain / reduction group (for div/mod forms, whose axes are never collapsed). */
  axis(group: number): number;
  raxis(group: number): number;
}

export const elemBytes = (d: Dt): number => (d === 'bool' ? 1 : 4);

/**
 * Emits the scalar value of each expr of a kernel into its own local (`val[i]`), reductions'
 * accumulators, loads and stores. Loop structure is the caller's (loop-nest, contraction).
 */
export class ExprEmitter implements OpContext {
  readonly val: number[];
  private readonly acc = new Map<number, { acc: number; at?: number; pos?: number }>();

  constructor(
    readonly b: FunctionBody,
    readonly plan: KernelPlan,
    readonly layout: Layout,
    private readonly helpers: (name: HelperName) => number,
    readonly math?: (fn: MathFn) => number,
  ) {
    this.val = plan.exprs.map((e) => b.local(valType(e.dtype as Dt)));
  }

  /** Whether the kernel calls an imported JS helper (so it must run where those exist: the main thread). */
  usesHelpers = false;

  helper(name: HelperName): number {
    this.usesHelpers = true;
    return this.helpers(name);
  }

  /** Pushes the i32 value of an index form. */
  index(f: IndexForm, ctx: IndexContext): void {
    if (f.affine) ctx.affine(f);
    else this.spell(f.expr, ctx);
  }

  private spell(ix: IndexExpr, ctx: IndexContext): void {
    const b = this.b;
    switch (ix.k) {
      case 'const':
        b.i32(ix.v);
        return;
      case 'axis':
        b.get(ctx.axis(this.plan.groupOfAxis.get(ix.axis)!));
        return;
      case 'raxis':
        b.get(ctx.raxis(this.plan.groupOfRaxis.get(ix.axis)!));
        return;
      case 'add':
        this.spell(ix.a, ctx);
        this.spell(ix.b, ctx);
        b.op(Op.i32Add);
        return;
      case 'mul':
        this.spell(ix.a, ctx);
        b.i32(ix.c).op(Op.i32Mul);
        return;
      case 'div':
      case 'mod': {
        // Floor division by c > 0 without a branch: trunc((t - (t < 0 ? c - 1 : 0)) / c).
        const t = b.local(I32);
        this.spell(ix.a, ctx);
        b.set(t);
        if (ix.k === 'mod') b.get(t);
        b.get(t)
          .get(t)
          .i32(31)
          .op(Op.i32ShrS)
          .i32(ix.c - 1)
          .op(Op.i32And)
          .op(Op.i32Sub);
        b.i32(ix.c).op(Op.i32DivS);
        if (ix.k === 'mod') b.i32(ix.c).op(Op.i32Mul).op(Op.i32Sub);
        return;
      }
    }
  }

  /** Pushes 1 when every bound holds, else 0. */
  private bounds(guards: Bound[], ctx: IndexContext, where: string): void {
    const b = this.b;
    if (guards.length === 0) {
      b.i32(1);
      return;
    }
    guards.forEach((g, j) => {
      const t = b.local(I32);
      this.index(this.plan.form(g.expr, where), ctx);
      b.tee(t).i32(i32Value(g.lo, where)).op(Op.i32GeS);
      b.get(t).i32(i32Value(g.hi, where)).op(Op.i32LtS).op(Op.i32And);
      if (j > 0) b.op(Op.i32And);
    });
  }

  /** Pushes the byte address (minus the buffer's constant offset) of element `form` of a buffer. */
  address(f: IndexForm, buffer: BufferLocation, ctx: IndexContext, dynamic?: DynamicIndex): void {
    this.index(f, ctx);
    if (dynamic) this.dynamicTerm(dynamic);
    if (elemBytes(buffer.dtype) === 4) this.b.i32(2).op(Op.i32Shl);
    if (buffer.base !== undefined) this.b.get(buffer.base).op(Op.i32Add);
  }

  /**
   * Adds a load's dynamic term to the index on the stack: the index value clamped into [0, extent)
   * (select(last, max(v, 0), v > last), reading v's local only), times stride.
   */
  private dynamicTerm(d: DynamicIndex): void {
    const v = this.val[d.value]!;
    const last = i32Value(d.extent - 1, this.plan.where);
    const b = this.b;
    b.i32(last);
    b.get(v).i32(0).get(v).i32(0).op(Op.i32GtS).op(Op.select);
    b.get(v).i32(last).op(Op.i32GtS).op(Op.select);
    b.i32(i32Value(d.stride, this.plan.where)).op(Op.i32Mul).op(Op.i32Add);
  }

  load(buffer: BufferLocation): void {
    if (buffer.dtype === 'float32') this.b.mem(Op.f32Load, 2, buffer.offset);
    else if (buffer.dtype === 'int32') this.b.mem(Op.i32Load, 2, buffer.offset);
    else this.b.mem(Op.i32Load8U, 0, buffer.offset);
  }

  /** Computes expr `i` into its local. */
  emit(i: number, ctx: IndexContext): void {
    this.push(i, ctx);
    this.b.set(this.val[i]!);
  }

  private push(i: number, ctx: IndexContext): void {
    const e = this.plan.exprs[i]!;
    const where = `${this.plan.where}, expr ${i}`;
    const b = this.b;
    const dt = (j: number) => this.plan.exprs[j]!.dtype as Dt;
    switch (e.op) {
      case 'load': {
        const buf = this.layout(e.buffer, where);
        if (buf.dtype !== e.dtype)
          throw new MalformedProgramError(`loads ${e.dtype} from a ${buf.dtype} buffer`, where);
        const form = this.plan.form(e.index, where);
        if (!e.guard?.length) {
          this.address(form, buf, ctx, e.dynamic);
          this.load(buf);
          return;
        }
        this.bounds(e.guard, ctx, where);
        b.if(valType(e.dtype as Dt));
        this.address(form, buf, ctx, e.dynamic);
        this.load(buf);
        b.else();
        this.constant(e.other ?? 0, e.dtype as Dt, where);
        b.end();
        return;
      }
      case 'const':
        this.constant(e.value, e.dtype as Dt, where);
        return;
      case 'index':
        this.index(this.plan.form(e.index, where), ctx);
        return;
      case 'inbounds':
        this.bounds(e.guards, ctx, where);
        return;
      case 'unary':
        ruleOf(UNARY, e.fn, where)(this, this.val[e.a]!, dt(e.a));
        return;
      case 'binary':
        ruleOf(BINARY, e.fn, where)(this, this.val[e.a]!, this.val[e.b]!, dt(e.a));
        return;
      case 'where':
        b.get(this.val[e.a]!).get(this.val[e.b]!).get(this.val[e.c]!).op(Op.select);
        return;
      case 'cast':
        emitCast(this, this.val[e.a]!, dt(e.a), e.dtype as Dt);
        return;
      case 'random': {
        if (typeof e.seed !== 'number' || !Number.isFinite(e.seed))
          throw new MalformedProgramError('random seed must be a number', where);
        b.f64(e.seed);
        this.index(this.plan.form(e.index, where), ctx);
        b.call(this.helper(e.distribution === 'normal' ? 'normal' : 'uniform')).op(Op.f32DemoteF64);
        return;
      }
      case 'reduce':
        this.reduceResult(i);
        return;
      default:
        throw new MalformedProgramError(
          `unknown expr op '${String((e as { op: unknown }).op).slice(0, 40)}'`,
          where,
        );
    }
  }

  constant(v: unknown, dtype: Dt, where: string): void {
    if (typeof v !== 'number') throw new MalformedProgramError(`expected a number, got ${typeof v}`, where);
    if (dtype === 'float32') this.b.f32(v);
    else this.b.i32(dtype === 'int32' ? v | 0 : v ? 1 : 0);
  }

  reduceInit(i: number): void {
    const e = this.plan.exprs[i] as Extract<ScalarExpr, { op: 'reduce' }>;
    const d = this.plan.exprs[e.a]!.dtype as Dt;
    const b = this.b;
    if (e.fn === 'argmax') {
      const slot = { acc: b.local(F64), at: b.local(I32), pos: b.local(I32) };
      this.acc.set(i, slot);
      b.f64(reduceDef('argmax').identity(d)).set(slot.acc).i32(0).set(slot.at).i32(0).set(slot.pos);
      return;
    }
    // Float accumulators are f32, stepping as the reference does (a double one would miss an
    // overflow to inf, and the NaN an inf * 0 then gives).
    const float = d === 'float32';
    let slot = this.acc.get(i);
    if (!slot) {
      slot = { acc: b.local(float ? F32 : I32) };
      this.acc.set(i, slot);
    }
    const def = ['sum', 'prod', 'max', 'min'].includes(e.fn) ? reduceDef(e.fn) : undefined;
    if (!def) throw new UnsupportedOpError(String(e.fn).slice(0, 40), 'wasm', this.plan.where);
    const init = def.identity(d);
    if (float) b.f32(init);
    else b.i32(init);
    b.set(slot.acc);
  }

  /** Folds the operand's local into the accumulator (float32 steps, the reference's rounding). */
  reduceUpdate(i: number): void {
    const e = this.plan.exprs[i] as Extract<ScalarExpr, { op: 'reduce' }>;
    const d = this.plan.exprs[e.a]!.dtype as Dt;
    const slot = this.acc.get(i)!;
    const v = this.val[e.a]!;
    const b = this.b;
    const float = d === 'float32';
    switch (e.fn) {
      case 'sum':
      case 'prod':
        if (float)
          b.get(slot.acc)
            .get(v)
            .op(e.fn === 'sum' ? Op.f32Add : Op.f32Mul);
        else
          b.get(slot.acc)
            .get(v)
            .op(e.fn === 'sum' ? Op.i32Add : Op.i32Mul);
        b.set(slot.acc);
        return;
      case 'max':
      case 'min':
        if (float)
          b.get(slot.acc)
            .get(v)
            .op(e.fn === 'max' ? Op.f32Max : Op.f32Min);
        else
          b.get(v)
            .get(slot.acc)
            .get(v)
            .get(slot.acc)
            .op(e.fn === 'max' ? Op.i32GtS : Op.i32LtS)
            .op(Op.select);
        b.set(slot.acc);
        return;
      case 'argmax': {
        // The registry's rule: v beats the best so far, or is the first NaN (NaN wins, first occurrence kept).
        const x = b.local(F64);
        b.get(v)
          .op(float ? Op.f64PromoteF32 : d === 'int32' ? Op.f64ConvertI32S : Op.f64ConvertI32U)
          .set(x);
        pushArgmaxTakes(b, x, slot.acc);
        b.if().get(x).set(slot.acc).get(slot.pos!).set(slot.at!).end();
        b.get(slot.pos!).i32(1).op(Op.i32Add).set(slot.pos!);
        return;
      }
    }
  }

  /** The scalar accumulator local of reduce expr `i` (after reduceInit). */
  accumulator(i: number): number {
    return this.acc.get(i)!.acc;
  }

  private reduceResult(i: number): void {
    const e = this.plan.exprs[i] as Extract<ScalarExpr, { op: 'reduce' }>;
    const slot = this.acc.get(i);
    if (!slot) throw new MalformedProgramError('reduce result read before its reduction', this.plan.where);
    this.b.get(e.fn === 'argmax' ? slot.at! : slot.acc);
  }

  store(s: Store, ctx: IndexContext, where: string): void {
    const buf = this.layout(s.buffer, where);
    const value = this.plan.exprs[s.value]!;
    if (value.dtype !== buf.dtype)
      throw new MalformedProgramError(`stores ${value.dtype} into a ${buf.dtype} buffer`, where);
    this.address(this.plan.form(s.index, where), buf, ctx);
    this.b.get(this.val[s.value]!);
    if (buf.dtype === 'float32') this.b.mem(Op.f32Store, 2, buf.offset);
    else if (buf.dtype === 'int32') this.b.mem(Op.i32Store, 2, buf.offset);
    else this.b.mem(Op.i32Store8, 0, buf.offset);
  }
}

function ruleOf<T>(table: Record<string, T>, fn: string, where: string): T {
  const rule = Object.hasOwn(table, fn) ? table[fn] : undefined;
  if (rule === undefined) throw new UnsupportedOpError(String(fn).slice(0, 40), 'wasm', where);
  return rule;
}

export { F32 };
