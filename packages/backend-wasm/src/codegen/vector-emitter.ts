import type { Bound, ScalarExpr, Store } from '@paradox/ir';
import { F64, FunctionBody, I32, V128 } from '../encoder/function-body.js';
import { SimdOp as S } from '../encoder/opcodes.js';
import type { ExprEmitter, IndexContext } from './expr-emitter.js';
import { emitGuardedVectorLoad } from './guarded-vector-load.js';
import type { HelperName } from './helpers.js';
import type { IndexForm } from './kernel-plan.js';
import { pushReciprocalSplat, type ReciprocalUser, reciprocalSafe } from './reciprocal-division.js';
import type { Dt } from './scalar-ops.js';
import { emitExp, type MathFn } from './simd-math.js';
import { splat, VBINARY, type VectorContext, VUNARY, vectorCast } from './simd-ops.js';
import {
  accFold,
  accInit,
  accUpdate,
  accUpdatePairwise,
  accValue,
  type VectorAccumulator,
  type VectorReduceFn,
} from './vector-accumulators.js';

/** Whether a vector rule handles an (op, dtype): asked once by emitting into a throwaway body. */
const supportCache = new Map<string, boolean>();
const probeContext: VectorContext = {
  b: new FunctionBody(4),
  math: () => 0,
  helper: () => 0,
};
function supported(key: string, ask: () => boolean): boolean {
  let ok = supportCache.get(key);
  if (ok === undefined) {
    ok = ask();
    supportCache.set(key, ok);
  }
  return ok;
}

/** Most exp/tanh/sigmoid exprs a kernel inlines (more: calls to the module's functions). */
const MAX_INLINED_MATH = 128;

/** i8x16.shuffle lanes picking f32 lanes 0, 2 of the first operand and 1, 3 of the second. */
const EVEN_ELEMENTS = [0, 1, 2, 3, 8, 9, 10, 11, 20, 21, 22, 23, 28, 29, 30, 31];

/** exp, tanh and sigmoid: the math a vector loop inlines (log is always a call). */
export function isInlinableMath(e: ScalarExpr): boolean {
  return e.op === 'unary' && (e.fn === 'exp' || e.fn === 'tanh' || e.fn === 'sigmoid');
}

/** A vector loop's unit stride test: the form's coefficient on the loop's group. */
export type InnerCoef = (f: IndexForm) => number;

/**
 * Emits four consecutive points of a contiguous innermost loop at once: loads and stores of
 * stride-1 affine indices as v128, every expr computed inside the loop as a v128 local, values
 * from outer levels splatted once before the loop, and f32x4 accumulators for sum/max/min.
 * The caller first asks `vectorizable` and falls back to scalar code when it is false.
 */
export class VectorEmitter implements VectorContext, ReciprocalUser {
  private readonly vval = new Map<number, number>();
  /** Loop-invariant values splatted once before the loop; unrolled copies share their root's. */
  private readonly splats: Map<number, number>;
  /** Divisor expr -> local holding splat(1 / divisor), for the loop last prepared (shared too). */
  private readonly recips: Map<number, number>;
  private divisors: number[] = [];
  /** Set by `withReciprocals`: float32 divisions by loop-invariant values emit as multiplies. */
  useReciprocals = false;
  private readonly vacc = new Map<number, VectorAccumulator>();
  readonly b: FunctionBody;

  private coef: InnerCoef = () => 1;
  /** Set while emitting code the caller has proven inside every load guard (plain loads then). */
  guardsHold = false;
  readonly inlineMath: boolean;

  constructor(
    readonly x: ExprEmitter,
    readonly math: (fn: MathFn) => number,
    /** Bytes added to stride-1 loads and stores: an unrolled copy works 4 points further on. */
    private readonly laneOffset = 0,
    /** The copy at lane offset 0, whose splats this one reads. */
    private readonly root?: VectorEmitter,
  ) {
    this.b = x.b;
    this.splats = root?.splats ?? new Map();
    this.recips = root?.recips ?? new Map();
    // Inlining costs ~600 bytes per use (per unrolled copy): worth it up to W3-sized chains (76 in 200
    // ops: 35 -> 24 us per call), not in a 1,000-op chain (build time and size).
    const transcendental = x.plan.exprs.filter(isInlinableMath).length;
    this.inlineMath = transcendental <= MAX_INLINED_MATH;
  }

  /**
   * An emitter with its own locals for the unrolled copy `laneOffset` bytes further on. It reads
   * this one's splats (one v128 per loop-invariant value, not one per copy: 8 copies of softmax's
   * max and 1/sum tied up 14 registers or stack slots).
   */
  sibling(laneOffset: number): VectorEmitter {
    return new VectorEmitter(this.x, this.math, laneOffset, this.root ?? this);
  }

  /** Scalar f32 locals of the divisors known only at run time (ReciprocalUser). */
  get runtimeDivisors(): readonly number[] {
    return this.root?.divisors ?? this.divisors;
  }

  /** The loop the next emits belong to (as given to `vectorizable`). */
  useLoop(coef: InnerCoef): void {
    this.coef = coef;
  }

  /** Makes expr `i` read as the v128 local `local` (a contraction's accumulator). */
  bind(i: number, local: number): void {
    this.vval.set(i, local);
  }

  helper(name: HelperName): number {
    return this.x.helper(name);
  }

  private dt(i: number): Dt {
    return this.x.plan.exprs[i]!.dtype as Dt;
  }

  /** Whether exprs `inner` (computed per lane) and `stores` can run as f32x4/i32x4 code. */
  vectorizable(
    inner: number[],
    stores: Store[],
    coef: InnerCoef,
    reduces: number[] = [],
    /**
     * Also float32 loads with guards whose indices do not decrease along the loop
     * (emitGuardedVectorLoad), and unguarded float32 loads of every other element (stride 2).
     */
    laneLoads = false,
  ): boolean {
    const { plan } = this.x;
    const guardsOk = (guard: Bound[], id: number) =>
      laneLoads &&
      this.x.layout(id, plan.where).dtype === 'float32' &&
      guard.every((g) => {
        const f = plan.form(g.expr, plan.where);
        return f.affine !== null && coef(f) >= 0;
      });
    const probe = probeContext;
    const contiguous = (f: IndexForm) => f.affine !== null && coef(f) === 1;
    // A load that does not move along the loop is one element, splatted (v128.load32_splat).
    const loadable = (f: IndexForm) => f.affine !== null && (coef(f) === 1 || coef(f) === 0);
    const strided = (f: IndexForm, id: number) =>
      laneLoads && f.affine !== null && coef(f) === 2 && this.x.layout(id, plan.where).dtype === 'float32';
    const bufferOk = (id: number) => this.x.layout(id, plan.where).dtype !== 'bool';
    const ok = inner.every((i) => {
      const e = plan.exprs[i]!;
      switch (e.op) {
        case 'load':
          return (
            !e.dynamic &&
            bufferOk(e.buffer) &&
            ((loadable(plan.form(e.index, plan.where)) &&
              (!e.guard?.length || guardsOk(e.guard, e.buffer))) ||
              (!e.guard?.length && strided(plan.form(e.index, plan.where), e.buffer)))
          );
        case 'const':
        case 'where':
        case 'cast':
          return true;
        case 'unary':
          return supported(
            `u:${e.fn}:${this.dt(e.a)}`,
            () => VUNARY[e.fn]?.(probe, 0, this.dt(e.a)) ?? false,
          );
        case 'binary':
          return supported(
            `b:${e.fn}:${this.dt(e.a)}`,
            () => VBINARY[e.fn]?.(probe, 0, 1, this.dt(e.a)) ?? false,
          );
        default:
          return false;
      }
    });
    const storesOk = stores.every((s) => contiguous(plan.form(s.index, plan.where)) && bufferOk(s.buffer));
    const reducesOk = reduces.every((r) => {
      const e = plan.exprs[r] as Extract<ScalarExpr, { op: 'reduce' }>;
      return (e.fn === 'sum' || e.fn === 'max' || e.fn === 'min') && this.dt(e.a) === 'float32';
    });
    return ok && storesOk && reducesOk;
  }

  /** Splats the scalar operands (not in `inner`) of `inner` exprs and of `values`, before the loop. */
  prepareSplats(inner: number[], values: number[]): void {
    if (this.root) return; // the root copy prepared the same loop's splats
    const { plan } = this.x;
    const within = new Set(inner);
    const need = new Set<number>(values.filter((v) => !within.has(v)));
    for (const i of inner) {
      const e = plan.exprs[i]!;
      const ops =
        e.op === 'unary' || e.op === 'cast'
          ? [e.a]
          : e.op === 'binary'
            ? [e.a, e.b]
            : e.op === 'where'
              ? [e.c, e.a, e.b]
              : [];
      for (const o of ops) if (!within.has(o)) need.add(o);
    }
    this.prepareReciprocals(inner, within);
    for (const j of need) {
      let local = this.splats.get(j);
      if (local === undefined) {
        local = this.b.local(V128);
        this.splats.set(j, local);
      }
      splat(this, this.x.val[j]!, this.dt(j));
      this.b.set(local);
    }
  }

  get reciprocals(): number {
    return this.recips.size;
  }

  /** splat(1 / b) for each float32 division by a value `b` from outside the loop (reciprocal-division.ts). */
  private prepareReciprocals(inner: number[], within: Set<number>): void {
    const { plan } = this.x;
    this.recips.clear();
    this.divisors = [];
    for (const i of inner) {
      const e = plan.exprs[i]!;
      if (e.op !== 'binary' || e.fn !== 'div' || e.dtype !== 'float32' || within.has(e.b)) continue;
      if (this.recips.has(e.b)) continue;
      const d = plan.exprs[e.b]!;
      if (d.op === 'const' && !reciprocalSafe(Math.fround(d.value))) continue;
      if (d.op !== 'const') this.divisors.push(this.x.val[e.b]!);
      const local = this.b.local(V128);
      pushReciprocalSplat(this.b, this.x.val[e.b]!);
      this.b.set(local);
      this.recips.set(e.b, local);
    }
  }

  private operand(j: number): number {
    return this.vval.get(j) ?? this.splats.get(j)!;
  }

  private local(i: number): number {
    let l = this.vval.get(i);
    if (l === undefined) {
      l = this.b.local(V128);
      this.vval.set(i, l);
    }
    return l;
  }

  /** Computes expr `i` for lanes [lane 0 .. 3]; `ctx` gives lane 0's indices. */
  emit(i: number, ctx: IndexContext): void {
    const { plan } = this.x;
    const e = plan.exprs[i]!;
    const b = this.b;
    const out = this.local(i);
    switch (e.op) {
      case 'load': {
        const buf = this.x.layout(e.buffer, plan.where);
        const form = plan.form(e.index, plan.where);
        if (e.guard?.length && !this.guardsHold) {
          emitGuardedVectorLoad(this.x, form, e.guard, buf, e.other ?? 0, ctx, this.coef);
          break;
        }
        this.x.address(form, buf, ctx);
        if (this.coef(form) === 2) {
          // Elements 0, 2, 4, 6: lanes 0 and 2 of [0..3] and lanes 1 and 3 of [3..6] (no over-read).
          const at = b.local(I32);
          b.tee(at).simdMem(S.v128Load, buf.offset, 2);
          b.get(at).simdMem(S.v128Load, buf.offset + 12, 2);
          b.shuffle(EVEN_ELEMENTS);
          break;
        }
        if (this.coef(form) === 0) b.simdMem(S.v128Load32Splat, buf.offset, 2);
        else b.simdMem(S.v128Load, buf.offset + this.laneOffset);
        break;
      }
      case 'const':
        if (e.dtype === 'float32') b.v128Splat(e.value);
        else b.i32x4Splat(e.dtype === 'int32' ? e.value | 0 : e.value ? -1 : 0);
        break;
      case 'unary':
        if (e.fn === 'exp' && this.inlineMath && this.x.plan.nonPositive.has(e.a))
          emitExp(b, this.operand(e.a), { nonPositive: true });
        else VUNARY[e.fn]!(this, this.operand(e.a), this.dt(e.a));
        break;
      case 'binary': {
        const recip = this.useReciprocals && e.fn === 'div' ? this.recips.get(e.b) : undefined;
        if (recip !== undefined) b.get(this.operand(e.a)).get(recip).simd(S.f32x4Mul);
        else VBINARY[e.fn]!(this, this.operand(e.a), this.operand(e.b), this.dt(e.a));
        break;
      }
      case 'where':
        b.get(this.operand(e.a)).get(this.operand(e.b)).get(this.operand(e.c)).simd(S.v128Bitselect);
        break;
      case 'cast':
        vectorCast(this, this.operand(e.a), this.dt(e.a), e.dtype as Dt);
        break;
      default:
        throw new Error(`unreachable: vector ${e.op}`);
    }
    b.set(out);
  }

  /** Loads expr `i`'s four lanes from the address on the stack plus `offset` (a row cache). */
  loadInto(i: number, offset: number): void {
    this.b.simdMem(S.v128Load, offset + this.laneOffset, 2).set(this.local(i));
  }

  /** Stores expr `i`'s four lanes at the address on the stack plus `offset`. */
  storeFrom(i: number, offset: number): void {
    this.b.get(this.local(i)).simdMem(S.v128Store, offset + this.laneOffset, 2);
  }

  store(s: Store, ctx: IndexContext): void {
    const { plan } = this.x;
    const buf = this.x.layout(s.buffer, plan.where);
    this.x.address(plan.form(s.index, plan.where), buf, ctx);
    this.b.get(this.operand(s.value)).simdMem(S.v128Store, buf.offset + this.laneOffset);
  }

  private accumulator(r: number): VectorAccumulator {
    let a = this.vacc.get(r);
    if (!a) {
      const e = this.x.plan.exprs[r] as Extract<ScalarExpr, { op: 'reduce' }>;
      const fn = e.fn as VectorReduceFn;
      a = {
        fn,
        acc: this.b.local(V128),
        ...(fn === 'sum' ? {} : { lo: this.b.local(V128), hi: this.b.local(V128) }),
      };
      this.vacc.set(r, a);
    }
    return a;
  }

  accInit(r: number): void {
    accInit(this.b, this.accumulator(r));
  }

  /**
   * Updates reduce expr `r`'s accumulators from every unrolled copy: copy u into set u % sets; a sum
   * sharing sets adds its copies' operands pairwise first (`accUpdatePairwise`).
   */
  accUpdateCopies(r: number, copies: readonly VectorEmitter[], sets: number): void {
    const e = this.x.plan.exprs[r] as Extract<ScalarExpr, { op: 'reduce' }>;
    if (e.fn !== 'sum' || sets >= copies.length) {
      for (const [u, v] of copies.entries()) v.accUpdate(r, copies[u % sets]);
      return;
    }
    for (let s = 0; s < sets; s++) {
      const operands = copies.filter((_, u) => u % sets === s).map((c) => c.operand(e.a));
      accUpdatePairwise(this.b, copies[s]!.accumulator(r), operands);
    }
  }

  accUpdate(r: number, into: VectorEmitter = this): void {
    const e = this.x.plan.exprs[r] as Extract<ScalarExpr, { op: 'reduce' }>;
    accUpdate(this.b, into.accumulator(r), this.operand(e.a));
  }

  /** Makes reduce expr `r` read as its four lanes' results (reductions along the lanes' own points). */
  accResult(r: number): void {
    const a = this.accumulator(r);
    const local = this.b.local(V128);
    accValue(this.b, a);
    this.b.set(local);
    this.vval.set(r, local);
  }

  /** Folds the four lanes into the scalar accumulator (lane order). */
  accFold(r: number): void {
    accFold(this.b, this.accumulator(r), this.x.accumulator(r));
  }
}

export { F64 };
