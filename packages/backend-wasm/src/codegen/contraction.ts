import type { ScalarExpr } from '@paradox/ir';
import { F32, I32, V128 } from '../encoder/function-body.js';
import { Op, SimdOp as S } from '../encoder/opcodes.js';
import type { ExprEmitter, IndexContext } from './expr-emitter.js';
import type { IndexForm, KernelPlan } from './kernel-plan.js';
import { emitLoop, HI, LO } from './loops.js';
import type { VectorEmitter } from './vector-emitter.js';

/** Register block: MR rows x NV f32x4 vectors of columns per k step (8 accumulators). */
export const MR = 4;
export const NV = 2;

interface Operand {
  form: IndexForm;
  offset: number;
  base?: number;
}

export interface ContractionPlan {
  lhs: Operand;
  rhs: Operand;
  acc: number;
  /** Exprs after the sum (and values it reads), in order; the reduce expr itself is bound to the accumulator. */
  epilogue: number[];
  batchAxes: number[];
  M: number;
  N: number;
  K: number;
  m: number;
  n: number;
  /** SIMD columns: rhs contiguous along n and a vectorizable epilogue. */
  vector: boolean;
}

/**
 * A contraction kernel qualifies for register blocking when its reduction is exactly
 * sum_k lhs[.., m, k] * rhs[.., k, n] over float32 operands with affine, unguarded, non-negative
 * strides, and everything else is an epilogue on the sum with affine indices. Otherwise: undefined
 * (the loop nest renders it).
 */
export function planContraction(
  plan: KernelPlan,
  x: ExprEmitter,
  vec?: VectorEmitter,
): ContractionPlan | undefined {
  const { kernel, exprs } = plan;
  const c = kernel.contraction;
  const rank = plan.domain.length;
  if (kernel.kind !== 'contraction' || !c || plan.rshape.length !== 1 || rank < 2) return undefined;
  if (c.m !== rank - 2 || c.n !== rank - 1 || plan.passes !== 1) return undefined;
  if (kernel.stores.some((s) => s.phase === 'reduction')) return undefined;
  const acc = exprs[c.acc];
  if (acc?.op !== 'reduce' || acc.fn !== 'sum' || acc.dtype !== 'float32') return undefined;
  const prod = exprs[acc.a];
  if (prod?.op !== 'binary' || prod.fn !== 'mul' || prod.dtype !== 'float32') return undefined;
  if (!((prod.a === c.lhs && prod.b === c.rhs) || (prod.a === c.rhs && prod.b === c.lhs))) return undefined;
  const operand = (i: number): Operand | undefined => {
    const e = exprs[i] as ScalarExpr | undefined;
    if (e?.op !== 'load' || e.dtype !== 'float32' || (e.guard?.length ?? 0) > 0) return undefined;
    const form = plan.formsOf(e)[0]!;
    if (!form.affine || form.affine.ax.some((k) => k < 0) || form.affine.rx[0]! < 0) return undefined;
    const loc = x.layout(e.buffer, plan.where);
    return { form, offset: loc.offset, base: loc.base };
  };
  const lhs = operand(c.lhs);
  const rhs = operand(c.rhs);
  if (!lhs || !rhs || lhs.form.affine!.ax[c.n] !== 0 || rhs.form.affine!.ax[c.m] !== 0) return undefined;
  const body = new Set([c.lhs, c.rhs, acc.a]);
  if (exprs.some((_, i) => plan.used[i] && plan.rdep[i] && !body.has(i))) return undefined;
  if (exprs.some((e, i) => e.op === 'reduce' && plan.used[i] && i !== c.acc)) return undefined;
  const epilogue = exprs.flatMap((_, i) => (plan.used[i] && !plan.rdep[i] ? [i] : []));
  for (const i of epilogue) for (const f of plan.formsOf(exprs[i]!)) if (!f.affine) return undefined;
  for (const s of kernel.stores) if (!plan.form(s.index, plan.where).affine) return undefined;
  const coefN = (f: IndexForm) => f.affine!.ax[c.n]!;
  const vector =
    vec !== undefined &&
    rhs.form.affine!.ax[c.n] === 1 &&
    vec.vectorizable(
      epilogue.filter((i) => i !== c.acc),
      kernel.stores,
      coefN,
    );
  return {
    lhs,
    rhs,
    acc: c.acc,
    epilogue,
    batchAxes: plan.domain.slice(0, rank - 2).map((_, k) => k),
    M: plan.domain[c.m]!,
    N: plan.domain[c.n]!,
    K: plan.rshape[0]!,
    m: c.m,
    n: c.n,
    vector,
  };
}

/** Rows of all batches: the range `k<i>(lo, hi)` splits. */
export const contractionRows = (p: ContractionPlan, plan: KernelPlan): number =>
  p.batchAxes.reduce((n, k) => n * plan.domain[k]!, p.M);

/**
 * Renders a planned contraction over rows [lo, hi) of the flattened (batch, m) axis: per batch, MR-row
 * blocks (then single rows), each over NV-vector column blocks, single vectors, then scalar columns.
 * In each block the k loop keeps MR x width accumulators in locals, reading lhs through one pointer
 * (rows at constant offsets) and rhs through another; the epilogue and stores follow per point.
 */
export function renderContraction(
  p: ContractionPlan,
  plan: KernelPlan,
  x: ExprEmitter,
  vec?: VectorEmitter,
): void {
  const b = x.b;
  const row = b.local(I32);
  const mStart = b.local(I32);
  const mEnd = b.local(I32);
  const m0 = b.local(I32);
  const n0 = b.local(I32);
  const k = b.local(I32);
  const lp = b.local(I32);
  const rp = b.local(I32);
  const mPoint = b.local(I32);
  const nPoint = b.local(I32);
  const forms = new Map<IndexForm, number>();
  const batchPart = (f: IndexForm) => {
    let l = forms.get(f);
    if (l === undefined) {
      l = b.local(I32);
      forms.set(f, l);
    }
    return l;
  };
  const allForms = new Set<IndexForm>([p.lhs.form, p.rhs.form]);
  for (const i of p.epilogue) for (const f of plan.formsOf(plan.exprs[i]!)) allForms.add(f);
  for (const s of plan.kernel.stores) allForms.add(plan.form(s.index, plan.where));
  const ctx: IndexContext = {
    affine: (f) => {
      const a = f.affine!;
      b.get(batchPart(f)).get(mPoint).i32(a.ax[p.m]!).op(Op.i32Mul).op(Op.i32Add);
      b.get(nPoint).i32(a.ax[p.n]!).op(Op.i32Mul).op(Op.i32Add);
    },
    axis: () => mPoint,
    raxis: () => k,
  };
  const ck = (f: IndexForm) => f.affine!.rx[0]!;
  const cm = (f: IndexForm) => f.affine!.ax[p.m]!;
  const cn = (f: IndexForm) => f.affine!.ax[p.n]!;

  /** One block of `rows` x `width` points (width 4*NV, 4 or 1) at (m0, n0). */
  const block = (rows: number, width: number) => {
    const lanes = width === 1 ? 1 : width / 4;
    const accs = Array.from({ length: rows * lanes }, () => b.local(width === 1 ? F32 : V128));
    for (const a of accs) (width === 1 ? b.f32(0) : b.v128Splat(0)).set(a);
    if (p.K > 0) {
      const pointer = (o: Operand, at: number, coef: number, local: number) => {
        b.get(batchPart(o.form)).get(at).i32(coef).op(Op.i32Mul).op(Op.i32Add).i32(2).op(Op.i32Shl);
        if (o.base !== undefined) b.get(o.base).op(Op.i32Add);
        b.set(local);
      };
      pointer(p.lhs, m0, cm(p.lhs.form), lp);
      pointer(p.rhs, n0, cn(p.rhs.form), rp);
      const rhsLocals = Array.from({ length: lanes }, () => b.local(width === 1 ? F32 : V128));
      const a = b.local(width === 1 ? F32 : V128);
      emitLoop(
        b,
        k,
        () => b.i32(0),
        () => b.i32(p.K),
        () => {
          rhsLocals.forEach((r, c) => {
            b.get(rp);
            if (width === 1) b.mem(Op.f32Load, 2, p.rhs.offset);
            else b.simdMem(S.v128Load, p.rhs.offset + 16 * c, 2);
            b.set(r);
          });
          for (let r = 0; r < rows; r++) {
            b.get(lp);
            if (width === 1) b.mem(Op.f32Load, 2, p.lhs.offset + 4 * r * cm(p.lhs.form)).set(a);
            else b.simdMem(S.v128Load32Splat, p.lhs.offset + 4 * r * cm(p.lhs.form), 2).set(a);
            for (let c = 0; c < lanes; c++) {
              const acc = accs[r * lanes + c]!;
              b.get(acc).get(a).get(rhsLocals[c]!);
              if (width === 1) b.op(Op.f32Mul).op(Op.f32Add);
              else b.simd(S.f32x4Mul).simd(S.f32x4Add);
              b.set(acc);
            }
          }
          b.get(lp)
            .i32(4 * ck(p.lhs.form))
            .op(Op.i32Add)
            .set(lp);
          b.get(rp)
            .i32(4 * ck(p.rhs.form))
            .op(Op.i32Add)
            .set(rp);
        },
        1,
        true,
      );
    }
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < lanes; c++) {
        b.get(m0).i32(r).op(Op.i32Add).set(mPoint);
        b.get(n0)
          .i32(4 * c)
          .op(Op.i32Add)
          .set(nPoint);
        const acc = accs[r * lanes + c]!;
        if (width === 1) {
          b.get(acc).set(x.val[p.acc]!);
          for (const i of p.epilogue) if (i !== p.acc) x.emit(i, ctx);
          for (const s of plan.kernel.stores) x.store(s, ctx, plan.where);
        } else {
          vec!.bind(p.acc, acc);
          for (const i of p.epilogue) if (i !== p.acc) vec!.emit(i, ctx);
          for (const s of plan.kernel.stores) vec!.store(s, ctx);
        }
      }
    }
  };

  /** Column blocks of one row block, widest first. */
  const columns = (rows: number) => {
    const widths = p.vector ? [4 * NV, 4, 1] : [1];
    b.i32(0).set(n0);
    for (const w of widths) {
      // while (n0 + w <= N) { block; n0 += w }
      b.block().loop();
      b.get(n0).i32(w).op(Op.i32Add).i32(p.N).op(Op.i32GtS).brIf(1);
      block(rows, w);
      b.get(n0).i32(w).op(Op.i32Add).set(n0).br(0).end().end();
    }
  };

  if (vec) vec.useLoop(cn);
  // Rows [lo, hi) of the flattened (batch, m) axis, one batch at a time.
  b.get(LO).set(row);
  b.block().loop();
  b.get(row).get(HI).op(Op.i32GeS).brIf(1);
  // Batch partial offsets of every form, from the batch index row / M.
  for (const f of allForms) {
    b.i32(f.affine!.c).set(batchPart(f));
  }
  const t = b.local(I32);
  b.get(row).i32(p.M).op(Op.i32DivS).set(t);
  for (let a = p.batchAxes.length - 1; a >= 0; a--) {
    const extent = plan.domain[a]!;
    for (const f of allForms) {
      const c = f.affine!.ax[a]!;
      if (c === 0) continue;
      b.get(batchPart(f))
        .get(t)
        .i32(extent)
        .op(Op.i32RemS)
        .i32(c)
        .op(Op.i32Mul)
        .op(Op.i32Add)
        .set(batchPart(f));
    }
    b.get(t).i32(extent).op(Op.i32DivS).set(t);
  }
  // m runs from row % M to min(M, m + hi - row).
  b.get(row).i32(p.M).op(Op.i32RemS).tee(mStart).set(m0);
  b.get(mStart)
    .get(HI)
    .get(row)
    .op(Op.i32Sub)
    .op(Op.i32Add)
    .tee(mEnd)
    .i32(p.M)
    .get(mEnd)
    .i32(p.M)
    .op(Op.i32LtS)
    .op(Op.select)
    .set(mEnd);
  for (const rows of [MR, 1]) {
    b.block().loop();
    b.get(m0).i32(rows).op(Op.i32Add).get(mEnd).op(Op.i32GtS).brIf(1);
    columns(rows);
    b.get(m0).i32(rows).op(Op.i32Add).set(m0).br(0).end().end();
  }
  b.get(row).get(mEnd).get(mStart).op(Op.i32Sub).op(Op.i32Add).set(row);
  b.br(0).end().end();
}
