import { exprOperands, type Store } from '@paradox/ir';
import { I32 } from '../encoder/function-body.js';
import { Op } from '../encoder/opcodes.js';
import { emitDomainVectorReduction, planDomainVectorReduction } from './domain-vector-reduction.js';
import type { ExprEmitter, IndexContext } from './expr-emitter.js';
import type { IndexForm, KernelPlan } from './kernel-plan.js';
import { accumulatorSets, emitLoop, emitVectorLoop, HI, type LevelLoop, LO, unrollCopies } from './loops.js';
import { withReciprocals } from './reciprocal-division.js';
import { findRowCache, neededRdep, type RowCache } from './row-cache.js';
import { isInlinableMath, type VectorEmitter } from './vector-emitter.js';

/** What the innermost reduction loop does per point: fold reduce operands, or store (phase 'reduction'). */
type ReductionWork = { reduces: number[] } | { stores: Store[] };

/**
 * Renders a kernel as a scalar loop nest over its collapsed domain groups (group 0 over [lo, hi)),
 * every affine index carried as partial offsets (one multiply-add per loop level), every expr
 * emitted at the outermost level it depends on. Reductions run as passes over the reduction
 * domain at the innermost domain level; phase-'reduction' stores get a final pass.
 */
export class LoopNest {
  readonly counters: number[];
  readonly rcounters: number[];
  private readonly dpart = new Map<string, number>();
  private readonly spart = new Map<string, number>();
  readonly level: number[] = [];
  readonly inner: number;
  readonly rinner: number;

  /** Bytes of scratch this kernel reads at the address in local `scratch` (0: none). */
  scratchBytes = 0;
  /** Split points of the outer range must be multiples of this (vector loops without a tail). */
  align = 1;

  constructor(
    readonly plan: KernelPlan,
    readonly x: ExprEmitter,
    readonly vec?: VectorEmitter,
    /** Local holding this thread's scratch address. */
    private readonly scratch?: number,
  ) {
    const b = x.b;
    this.counters = plan.groups.map(() => b.local(I32));
    this.rcounters = plan.rgroups.map(() => b.local(I32));
    this.inner = plan.groups.length - 1;
    this.rinner = plan.rgroups.length - 1;
    plan.exprs.forEach((e, i) => {
      const ops = exprOperands(e);
      this.level[i] =
        e.op === 'reduce' || plan.after[i]! > 0
          ? this.inner
          : Math.max(-1, ...plan.formsOf(e).map((f) => plan.formLevel(f)), ...ops.map((o) => this.level[o]!));
    });
  }

  /** Pushes a form's offset as of domain level L. */
  domainPart(f: IndexForm, L: number): void {
    for (let g = L; g >= 0; g--) {
      if (this.plan.coef(f, g) !== 0) {
        this.x.b.get(this.dpart.get(`${f.id}:${g}`)!);
        return;
      }
    }
    this.x.b.i32(f.affine!.c);
  }

  private reductionPart(f: IndexForm, RL: number): void {
    for (let g = RL; g >= 0; g--) {
      if (this.plan.rcoef(f, g) !== 0) {
        this.x.b.get(this.spart.get(`${f.id}:${g}`)!);
        return;
      }
    }
    this.domainPart(f, this.inner);
  }

  private readonly contexts = new Map<number, IndexContext>();

  /** Index context at domain level L (made once per level: kernels emit thousands of exprs). */
  domainCtx(L: number): IndexContext {
    let ctx = this.contexts.get(L);
    if (!ctx) {
      ctx = this.makeDomainCtx(L);
      this.contexts.set(L, ctx);
    }
    return ctx;
  }

  /** Index context at reduction level RL. */
  reductionCtx(RL: number): IndexContext {
    const key = -2 - RL;
    let ctx = this.contexts.get(key);
    if (!ctx) {
      ctx = this.makeReductionCtx(RL);
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  private makeDomainCtx(L: number): IndexContext {
    return {
      affine: (f) => this.domainPart(f, L),
      axis: (g) => this.counters[g]!,
      raxis: (g) => this.rcounters[g]!,
    };
  }

  private makeReductionCtx(RL: number): IndexContext {
    return {
      affine: (f) => this.reductionPart(f, RL),
      axis: (g) => this.counters[g]!,
      raxis: (g) => this.rcounters[g]!,
    };
  }

  /** Sets the partial offsets of `forms` for domain level L (reduction level L when `reduction`). */
  step(forms: IndexForm[], L: number, reduction: boolean): void {
    const { b } = this.x;
    const parts = reduction ? this.spart : this.dpart;
    const counter = (reduction ? this.rcounters : this.counters)[L]!;
    for (const f of forms) {
      const c = reduction ? this.plan.rcoef(f, L) : this.plan.coef(f, L);
      if (c === 0) continue;
      const key = `${f.id}:${L}`;
      let local = parts.get(key);
      if (local === undefined) {
        local = b.local(I32);
        parts.set(key, local);
      }
      if (reduction) this.reductionPart(f, L - 1);
      else this.domainPart(f, L - 1);
      b.get(counter).i32(c).op(Op.i32Mul).op(Op.i32Add).set(local);
    }
  }

  /**
   * emitVectorLoop over level `at.L`'s counter, `width` points an iteration, whose vector body first
   * steps `at.forms` there. Ranges are split at multiples of `align` (run() and the worker pool):
   * an `at.extent` that is a multiple of 4 has no scalar tail.
   */
  vectorLoop(
    at: LevelLoop,
    parts: { vector: () => void; between?: () => void; scalar: () => void },
    width = 4,
  ): void {
    const counter = (at.reduction ? this.rcounters : this.counters)[at.L]!;
    const vector = () => {
      this.step(at.forms, at.L, at.reduction);
      parts.vector();
    };
    const scalar = at.extent % 4 === 0 ? undefined : parts.scalar;
    emitVectorLoop(this.x.b, counter, at.start, at.end, { vector, between: parts.between, scalar }, width);
  }

  /** Affine forms read by used exprs or stores. */
  usedAffineForms(): IndexForm[] {
    const { plan } = this;
    const forms = new Set<IndexForm>();
    plan.exprs.forEach((e, i) => {
      if (plan.used[i]) for (const f of plan.formsOf(e)) forms.add(f);
    });
    for (const s of plan.kernel.stores) forms.add(plan.form(s.index, plan.where));
    return [...forms].filter((f) => f.affine);
  }

  /** Renders the whole kernel body. */
  render(innermost?: () => void): void {
    const { plan, x } = this;
    if (plan.numel === 0) return;
    const forms = this.usedAffineForms();
    const vector = this.domainVectorPlan();
    const emitD = (L: number) => {
      if (L >= 0) this.step(forms, L, false);
      plan.exprs.forEach((_, i) => {
        if (plan.used[i] && !plan.rdep[i] && plan.after[i] === 0 && this.level[i] === L)
          x.emit(i, this.domainCtx(L));
      });
      if (L === this.inner) {
        (innermost ?? (() => this.innermostDomain()))();
        return;
      }
      const next = L + 1;
      const start = () => (next === 0 ? x.b.get(LO) : x.b.i32(0));
      const end = () => (next === 0 ? x.b.get(HI) : x.b.i32(plan.extents[next]!));
      if (next === this.inner && vector && this.vec) {
        const stores = plan.kernel.stores;
        const extent = plan.extents[next]!;
        // Unrolled copies work on independent points: a deep chain then runs at throughput, not
        // at the latency of each op. Only when the extent has no remainder (no scalar tail).
        const unroll = unrollCopies(extent, this.inlinedMath(vector));
        this.align = 4 * unroll;
        const vecs = Array.from({ length: unroll }, (_, u) =>
          u === 0 ? this.vec! : this.vec!.sibling(16 * u),
        );
        for (const vec of vecs) {
          vec.useLoop((f) => plan.coef(f, next));
          vec.prepareSplats(
            vector,
            stores.map((st) => st.value),
          );
        }
        withReciprocals(x.b, vecs, () =>
          this.vectorLoop(
            { L: next, reduction: false, forms, extent, start, end },
            {
              vector: () => {
                for (const i of vector) for (const vec of vecs) vec.emit(i, this.domainCtx(next));
                for (const st of stores) for (const vec of vecs) vec.store(st, this.domainCtx(next));
              },
              scalar: () => emitD(next),
            },
            4 * unroll,
          ),
        );
        return;
      }
      const dv = next === this.inner && plan.passes > 0 ? planDomainVectorReduction(this) : undefined;
      if (dv) {
        emitDomainVectorReduction(this, dv, forms, start, end, () => emitD(next));
        return;
      }
      emitLoop(x.b, this.counters[next]!, start, end, () => emitD(next), 1, next !== 0);
    };
    emitD(-1);
  }

  /** exp/tanh/sigmoid among `exprs` that the vector loop inlines. */
  private inlinedMath(exprs: number[]): number {
    if (!this.vec?.inlineMath) return 0;
    return exprs.filter((i) => isInlinableMath(this.plan.exprs[i]!)).length;
  }

  /** Exprs of the innermost domain loop when it can run as SIMD (elementwise kernels only). */
  private domainVectorPlan(): number[] | undefined {
    const { plan, vec } = this;
    if (!vec || plan.passes > 0 || plan.kernel.stores.some((s) => s.phase === 'reduction')) return undefined;
    if (this.inner > 0 && plan.extents[this.inner]! < 4) return undefined;
    const inner = plan.exprs.flatMap((_, i) => (plan.used[i] && this.level[i] === this.inner ? [i] : []));
    const g = this.inner;
    return vec.vectorizable(inner, plan.kernel.stores, (f) => plan.coef(f, g)) ? inner : undefined;
  }

  /** Reductions and stores for one domain point. */
  innermostDomain(): void {
    const { plan, x } = this;
    for (let p = 0; p < plan.passes; p++) {
      const reduces = plan.exprs.flatMap((e, i) =>
        e.op === 'reduce' && plan.used[i] && plan.after[i] === p + 1 ? [i] : [],
      );
      for (const r of reduces) x.reduceInit(r);
      this.reductionNest(
        reduces.map((r) => (plan.exprs[r] as { a: number }).a),
        { reduces },
        p === plan.passes - 1 && this.rowCache ? { mode: 'write', exprs: this.rowCache } : undefined,
      );
      plan.exprs.forEach((_, i) => {
        if (plan.used[i] && !plan.rdep[i] && plan.after[i] === p + 1) x.emit(i, this.domainCtx(this.inner));
      });
    }
    const late = plan.kernel.stores.filter((s) => s.phase === 'reduction');
    if (late.length > 0) {
      this.reductionNest(
        late.map((s) => s.value),
        { stores: late },
        this.rowCache ? { mode: 'read', exprs: this.rowCache } : undefined,
      );
    }
    for (const s of plan.kernel.stores)
      if ((s.phase ?? 'domain') === 'domain') x.store(s, this.domainCtx(this.inner), plan.where);
  }

  private cacheExprs: Set<number> | null | undefined;

  /** Costly float exprs both the last reduction pass and the phase-'reduction' stores compute. */
  private get rowCache(): Set<number> | undefined {
    if (this.cacheExprs === undefined) this.cacheExprs = this.findRowCache() ?? null;
    return this.cacheExprs ?? undefined;
  }

  private findRowCache(): Set<number> | undefined {
    if (this.scratch === undefined) return undefined;
    const found = findRowCache(this.plan);
    if (found) this.scratchBytes = Math.max(this.scratchBytes, found.bytes);
    return found?.exprs;
  }

  /** Rdep exprs `roots` need, in order; exprs in `stopAt` are needed but not their operands. */
  neededOf(roots: number[], stopAt?: ReadonlySet<number>): number[] {
    return neededRdep(this.plan, roots, stopAt);
  }

  /** A loop nest over the reduction domain computing what `roots` need, then `work` per point. */
  reductionNest(roots: number[], work: ReductionWork, cache?: RowCache): void {
    const { plan, x } = this;
    if (plan.rextents.some((e) => e === 0)) return;
    const order = this.neededOf(roots, cache?.mode === 'read' ? cache.exprs : undefined);
    // Cached value j of a row lives at scratch + (j * row + r) * 4.
    const cacheSlot = new Map([...(cache?.exprs ?? [])].map((i, j) => [i, j * plan.rextents[0]! * 4]));
    const cacheAddress = () =>
      x.b.get(this.rcounters[0]!).i32(2).op(Op.i32Shl).get(this.scratch!).op(Op.i32Add);
    const stores = 'stores' in work ? work.stores : [];
    const reduces = 'reduces' in work ? work.reduces : [];
    const forms = new Set<IndexForm>(
      stores.map((s) => plan.form(s.index, plan.where)).filter((f) => f.affine),
    );
    for (const i of order) for (const f of plan.formsOf(plan.exprs[i]!)) if (f.affine) forms.add(f);
    const list = [...forms];
    const rinner = this.rinner;
    const vec =
      this.vec &&
      plan.rextents[rinner]! >= 4 &&
      this.vec.vectorizable(order, stores, (f) => plan.rcoef(f, rinner), reduces)
        ? this.vec
        : undefined;
    const scalarPoint = () => {
      for (const i of order) {
        const slot = cacheSlot.get(i);
        if (slot !== undefined && cache?.mode === 'read') {
          cacheAddress();
          x.b.mem(Op.f32Load, 2, slot).set(x.val[i]!);
          continue;
        }
        x.emit(i, this.reductionCtx(rinner));
        if (slot !== undefined) {
          cacheAddress();
          x.b.get(x.val[i]!).mem(Op.f32Store, 2, slot);
        }
      }
      for (const r of reduces) x.reduceUpdate(r);
      for (const s of stores) x.store(s, this.reductionCtx(rinner), plan.where);
    };
    const emitR = (RL: number) => {
      this.step(list, RL, true);
      if (RL < rinner) loopR(RL + 1);
      else scalarPoint();
    };
    const loopR = (RL: number) => {
      const start = () => x.b.i32(0);
      const end = () => x.b.i32(plan.rextents[RL]!);
      if (RL !== rinner || !vec) {
        emitLoop(x.b, this.rcounters[RL]!, start, end, () => emitR(RL), 1, true);
        return;
      }
      const extent = plan.rextents[RL]!;
      // Unrolled copies share a few accumulators (accumulatorSets): chains overlap, few registers tied up.
      const math = this.inlinedMath(order);
      const unroll = unrollCopies(extent, math);
      const vecs = Array.from({ length: unroll }, (_, u) => (u === 0 ? vec : vec.sibling(16 * u)));
      const fnOf = (r: number) => (plan.exprs[r] as { fn: string }).fn;
      const sets = new Map(reduces.map((r) => [r, accumulatorSets(fnOf(r), unroll, math)]));
      vecs.forEach((v, u) => {
        v.useLoop((f) => plan.rcoef(f, RL));
        v.prepareSplats(order, [
          ...stores.map((s) => s.value),
          ...reduces.map((r) => (plan.exprs[r] as { a: number }).a),
        ]);
        for (const r of reduces) if (u < sets.get(r)!) v.accInit(r);
      });
      const ctx = this.reductionCtx(RL);
      const loop = () =>
        this.vectorLoop(
          { L: RL, reduction: true, forms: list, extent, start, end },
          {
            vector: () => {
              for (const i of order) {
                const slot = cacheSlot.get(i);
                for (const v of vecs) {
                  if (slot !== undefined && cache?.mode === 'read') {
                    cacheAddress();
                    v.loadInto(i, slot);
                    continue;
                  }
                  v.emit(i, ctx);
                  if (slot !== undefined) {
                    cacheAddress();
                    v.storeFrom(i, slot);
                  }
                }
              }
              for (const r of reduces) vec.accUpdateCopies(r, vecs, sets.get(r)!);
              for (const st of stores) for (const v of vecs) v.store(st, ctx);
            },
            between: () => {
              for (const r of reduces) for (const v of vecs.slice(0, sets.get(r)!)) v.accFold(r);
            },
            scalar: () => emitR(RL),
          },
          4 * unroll,
        );
      withReciprocals(x.b, vecs, loop);
    };
    loopR(0);
  }
}
