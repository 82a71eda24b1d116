import type { ScalarExpr } from '@paradox/ir';
import { affineStep, type EmitContext, type IndexForm, type KernelAnalysis } from './kernel-analysis.js';
import { intLiteral } from './literals.js';
import type { SourceWriter } from './source-writer.js';

/** Register block of the tiled matmul: TM rows x TN columns of accumulators per k step. */
export interface TileShape {
  m: number;
  n: number;
}

// 2 x 8 measured fastest on V8 for 256x784x512 (4x4 spills: 16 accumulators + 8 operands).
export const DEFAULT_TILE: TileShape = { m: 2, n: 8 };

interface Plan {
  lhs: IndexForm;
  rhs: IndexForm;
  lhsParam: string;
  rhsParam: string;
  acc: number;
  /** Exprs of the reduction body (rendered by the tile loop itself). */
  body: Set<number>;
}

/**
 * A contraction kernel qualifies for register tiling when its reduction is exactly
 * sum_k lhs[.., m, k] * rhs[.., k, n] over float32 operands with affine, unguarded indices, and
 * everything else is an epilogue on the sum. Anything else renders as a plain loop nest.
 */
export function planContraction(a: KernelAnalysis): Plan | undefined {
  const c = a.kernel.contraction;
  const rank = a.domain.length;
  if (a.kernel.kind !== 'contraction' || !c || a.rshape.length !== 1 || rank < 2) return undefined;
  if (c.m !== rank - 2 || c.n !== rank - 1 || a.facts.passes !== 1) return undefined;
  if (a.kernel.stores.some((s) => s.phase === 'reduction')) return undefined;
  const acc = a.exprs[c.acc];
  if (acc?.op !== 'reduce' || acc.fn !== 'sum' || acc.dtype !== 'float32') return undefined;
  const prod = a.exprs[acc.a];
  if (prod?.op !== 'binary' || prod.fn !== 'mul' || prod.dtype !== 'float32') return undefined;
  if (!((prod.a === c.lhs && prod.b === c.rhs) || (prod.a === c.rhs && prod.b === c.lhs))) return undefined;
  const operand = (i: number) => {
    const e = a.exprs[i] as ScalarExpr | undefined;
    if (e?.op !== 'load' || e.dtype !== 'float32' || (e.guard?.length ?? 0) > 0) return undefined;
    const f = a.formsOf(e)[0]!;
    return f.affine ? { form: f, param: a.param(e.buffer) } : undefined;
  };
  const lhs = operand(c.lhs);
  const rhs = operand(c.rhs);
  if (!lhs || !rhs || lhs.form.affine!.ax[c.n] !== 0 || rhs.form.affine!.ax[c.m] !== 0) return undefined;
  const body = new Set([c.lhs, c.rhs, acc.a]);
  const others = a.exprs.some((_, i) => a.facts.used[i] && a.facts.rdep[i] && !body.has(i));
  const otherReduce = a.exprs.some((e, i) => e.op === 'reduce' && a.facts.used[i] && i !== c.acc);
  if (others || otherReduce) return undefined;
  return { lhs: lhs.form, rhs: rhs.form, lhsParam: lhs.param, rhsParam: rhs.param, acc: c.acc, body };
}

/**
 * Renders a planned contraction: loops over batch axes, then TM x TN register blocks over (m, n) with
 * the k loop innermost (operands read through their affine strides, accumulators in locals), then the
 * epilogue and stores for each point of the block. Edges that do not fill a block use 1 x 1 blocks.
 */
export function renderContraction(a: KernelAnalysis, plan: Plan, tile: TileShape, w: SourceWriter): void {
  const rank = a.domain.length;
  const mAxis = rank - 2;
  const nAxis = rank - 1;
  const [M, N] = [a.domain[mAxis]!, a.domain[nAxis]!];
  const K = a.rshape[0]!;
  const where = a.where;
  const lit = (v: number) => intLiteral(v, where);
  const forms = [...a.forms.values()];
  const usedForms = new Set<IndexForm>();
  a.exprs.forEach((e, i) => {
    if (a.facts.used[i]) for (const f of a.formsOf(e)) usedForms.add(f);
  });
  for (const s of a.kernel.stores) usedForms.add(a.storeForm(s));
  // The k loop reads both operands even when nothing uses the sum (a kernel without stores).
  usedForms.add(plan.lhs);
  usedForms.add(plan.rhs);
  const affineForms = forms.filter((f) => f.affine && usedForms.has(f));

  // Batch part of an affine form after batch loop `L` (t<form>_<L> partial offsets).
  const bpart = (f: IndexForm, L: number): string => {
    for (let k = L; k >= 0; k--) if (f.affine!.ax[k] !== 0) return `t${f.id}_${k}`;
    return lit(f.affine!.c);
  };
  const batchInner = rank - 3;
  const epilogue = a.exprs.flatMap((_, i) => (a.facts.used[i] && !a.facts.rdep[i] ? [i] : []));
  const epilogueForms = affineForms.filter(
    (f) =>
      epilogue.some((i) => a.formsOf(a.exprs[i]!).includes(f)) ||
      a.kernel.stores.some((s) => a.storeForm(s) === f),
  );

  const region = (m0: number, m1: number, n0: number, n1: number, tm: number, tn: number) => {
    if (m1 <= m0 || n1 <= n0) return;
    const am = plan.lhs.affine!.ax[mAxis]!;
    const ak = plan.lhs.affine!.rx[0]!;
    const bn = plan.rhs.affine!.ax[nAxis]!;
    const bk = plan.rhs.affine!.rx[0]!;
    w.block(`for (let mi = ${lit(m0)}; mi < ${lit(m1)}; mi += ${lit(tm)})`, () => {
      w.block(`for (let nj = ${lit(n0)}; nj < ${lit(n1)}; nj += ${lit(tn)})`, () => {
        const accs = [];
        for (let r = 0; r < tm; r++) for (let c = 0; c < tn; c++) accs.push(`s${r}_${c} = 0`);
        w.line(`let ${accs.join(', ')};`);
        const pa = affineStep(bpart(plan.lhs, batchInner), 'mi', am);
        const pb = affineStep(bpart(plan.rhs, batchInner), 'nj', bn);
        const step = (v: string, c: number) => (c === 0 ? '' : `, ${v} += ${lit(c)}`);
        // float64 sums, unless float32 steps could overflow (`exact`, set per run): then each
        // product and sum is rounded as the reference does, so Inf and Inf - Inf = NaN match.
        // Two copies of the k loop keep the test out of the hot loop.
        const kLoop = (exact: boolean) =>
          w.block(
            `for (let k = 0, pa = ${pa}, pb = ${pb}; k < ${lit(K)}; k++${step('pa', ak)}${step('pb', bk)})`,
            () => {
              const at = (base: string, off: number) => (off === 0 ? base : `${base} + ${lit(off)}`);
              for (let r = 0; r < tm; r++) w.line(`const x${r} = ${plan.lhsParam}[${at('pa', r * am)}];`);
              for (let c = 0; c < tn; c++) w.line(`const y${c} = ${plan.rhsParam}[${at('pb', c * bn)}];`);
              for (let r = 0; r < tm; r++) {
                const cols = Array.from({ length: tn }, (_, c) => c);
                const sum = (c: number) =>
                  exact
                    ? `s${r}_${c} = Math.fround(s${r}_${c} + Math.fround(x${r} * y${c}));`
                    : `s${r}_${c} += x${r} * y${c};`;
                w.line(cols.map(sum).join(' '));
              }
            },
          );
        w.block('if (exact)', () => kLoop(true));
        w.block('else', () => kLoop(false));
        for (const f of epilogueForms) {
          const step1 = affineStep(bpart(f, batchInner), 'mi', f.affine!.ax[mAxis]!);
          w.line(`const e${f.id} = ${affineStep(step1, 'nj', f.affine!.ax[nAxis]!)};`);
        }
        for (let r = 0; r < tm; r++) {
          for (let c = 0; c < tn; c++) {
            const ctx: EmitContext = {
              affine: (f) => {
                const off = r * f.affine!.ax[mAxis]! + c * f.affine!.ax[nAxis]!;
                return off === 0 ? `e${f.id}` : `(e${f.id} + ${lit(off)})`;
              },
              axisVar: (k) => (k === mAxis ? `(mi + ${r})` : k === nAxis ? `(nj + ${c})` : `i${k}`),
              raxisVar: () => 'k',
            };
            w.block('', () => {
              for (const i of epilogue) {
                w.line(`const v${i} = ${i === plan.acc ? `Math.fround(s${r}_${c})` : a.value(i, ctx)};`);
              }
              for (const s of a.kernel.stores) w.line(a.store(s, ctx));
            });
          }
        }
      });
    });
  };

  const emitBatch = (L: number) => {
    if (L >= 0) {
      for (const f of affineForms) {
        const c = f.affine!.ax[L]!;
        if (c !== 0) w.line(`const t${f.id}_${L} = ${affineStep(bpart(f, L - 1), `i${L}`, c)};`);
      }
    }
    if (L < batchInner) {
      const next = L + 1;
      w.block(`for (let i${next} = 0; i${next} < ${lit(a.domain[next]!)}; i${next}++)`, () =>
        emitBatch(next),
      );
      return;
    }
    const mFull = M - (M % tile.m);
    const nFull = N - (N % tile.n);
    region(0, mFull, 0, nFull, tile.m, tile.n);
    region(0, M, nFull, N, 1, 1);
    region(mFull, M, 0, nFull, 1, 1);
  };
  // Below 1e38 no float32 product or partial sum can overflow, so float64 sums round to the
  // reference's results within tolerance; operands with Inf/NaN or huge values take exact steps.
  w.line(`const exact = rt.mayOverflowF32(${plan.lhsParam}, ${plan.rhsParam}, ${lit(K)});`);
  emitBatch(-1);
}
