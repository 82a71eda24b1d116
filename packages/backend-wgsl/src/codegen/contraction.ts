import { exprOperands, type IndexExpr, type ScalarExpr } from '@paradox/ir';
import { WGSL_DTYPES } from './dtypes.js';
import type { KernelCode, PointCtx } from './kernel-code.js';
import { i32Literal } from './literals.js';
import { assemble, decompose, Lines, type RenderedKernel, trackedAxis } from './shader.js';
import { BINARY, REDUCE } from './syntax.js';

export interface ContractionOptions {
  workgroupSize: number;
  vectorize: boolean;
}

/** Register block: each thread computes TM x TN outputs. */
const TM = 4;
const TN = 4;
const LANES = ['x', 'y', 'z', 'w'];

type Load = Extract<ScalarExpr, { op: 'load' }>;

/**
 * Register-blocked matmul with the fused epilogue (`relu(x @ w + b)` is one kernel). Each thread
 * owns a TM x TN block of one batch point and keeps its accumulators in registers across the K
 * loop; on CPU adapters (SwiftShader) this beats shared-memory tiling, whose barriers cost more
 * than the loads they save. When the right operand is contiguous along N (and the left along K),
 * they are read as vec4 and the accumulators are vec4 rows. Returns undefined for kernels that do
 * not have the plain sum-of-products shape; the generic reduction template renders those.
 */
export function renderContraction(code: KernelCode, opts: ContractionOptions): RenderedKernel | undefined {
  const c = code.kernel.contraction;
  const { exprs, facts, domain } = code;
  if (!c || code.rshape.length !== 1 || facts.passes !== 1) return undefined;
  if (code.kernel.stores.some((s) => s.phase === 'reduction')) return undefined;
  const rank = domain.length;
  const { m, n } = c;
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && n >= 0 && m < rank && n < rank && m !== n))
    return undefined;
  const acc = exprs[c.acc];
  const lhs = exprs[c.lhs];
  const rhs = exprs[c.rhs];
  if (acc?.op !== 'reduce' || acc.fn !== 'sum' || lhs?.op !== 'load' || rhs?.op !== 'load') return undefined;
  if (acc.dtype === 'float16' || acc.dtype === 'bool') return undefined;
  const prod = exprs[acc.a];
  if (prod?.op !== 'binary' || prod.fn !== 'mul') return undefined;
  if (!((prod.a === c.lhs && prod.b === c.rhs) || (prod.a === c.rhs && prod.b === c.lhs))) return undefined;
  if (prod.dtype !== acc.dtype || lhs.dtype !== acc.dtype || rhs.dtype !== acc.dtype) return undefined;
  if (facts.axes[c.lhs]!.has(n) || facts.axes[c.rhs]!.has(m)) return undefined;
  // The only reduction-domain values are the two loads and their product, and only one reduce.
  const rdepOk = exprs.every(
    (_, i) => !facts.used[i] || !facts.rdep[i] || i === c.lhs || i === c.rhs || i === acc.a,
  );
  const oneReduce = exprs.every((e, i) => e.op !== 'reduce' || i === c.acc || !facts.used[i]);
  if (!rdepOk || !oneReduce) return undefined;

  const where = code.where;
  const M = domain[m]!;
  const N = domain[n]!;
  const K = code.rshape[0]!;
  const W = opts.workgroupSize;
  const Mb = Math.ceil(M / TM);
  const Nb = Math.ceil(N / TN);
  const batchAxes = domain.map((_, k) => k).filter((k) => k !== m && k !== n);
  const grid = [...batchAxes.map((k) => domain[k]!), Mb, Nb];
  const threads = grid.reduce((a, b) => a * b, 1);
  const t = WGSL_DTYPES[acc.dtype].reg;
  const lhsB = code.binding(lhs.buffer);
  const rhsB = code.binding(rhs.buffer);

  // A vec4 binding serves only the K loop's product: no other load of the buffer, no store to it, and
  // no epilogue reading the operand itself (it would index the vec4 array as scalars; fuzz 3274606434).
  const onlyUse = (buffer: number, load: number) =>
    exprs.every((e, i) => !facts.used[i] || e.op !== 'load' || e.buffer !== buffer || i === load) &&
    exprs.every((e, i) => !facts.used[i] || i === acc.a || !exprOperands(e).includes(load)) &&
    code.kernel.stores.every((s) => s.buffer !== buffer && s.value !== load);
  // vec4 along an axis: unit coefficient on it, every other coefficient and the constant 4-aligned.
  const alignedAlongN = (ix: IndexExpr) => {
    const a = code.ix.affine(ix);
    if (!a || a.axes[n] !== 1 || a.constant % 4 !== 0) return false;
    return (
      a.axes.every((cf, k) => k === n || domain[k]! <= 1 || cf % 4 === 0) &&
      a.raxes.every((cf) => cf % 4 === 0)
    );
  };
  const vecB =
    opts.vectorize &&
    !rhs.guard?.length &&
    N % 4 === 0 &&
    rhsB !== lhsB &&
    onlyUse(rhs.buffer, c.rhs) &&
    alignedAlongN(rhs.index);
  const vecA =
    vecB && !lhs.guard?.length && K % 4 === 0 && onlyUse(lhs.buffer, c.lhs) && alignedAlongK(code, lhs);
  if (vecB) rhsB.vec4 = true;
  if (vecA) lhsB.vec4 = true;

  const used = new Set<number>();
  const ax = trackedAxis(used, 'i');
  const w = new Lines();
  w.line(`let tid = wg * ${W}i + lid;`);
  w.block(`if (tid < ${i32Literal(threads, where)})`, () => {
    const body = new Lines(0);
    // Block origin; loads use clamped rows/columns so edge blocks stay in bounds.
    body.line(`let m0 = g${batchAxes.length} * ${TM}i;`);
    body.line(`let n0 = g${batchAxes.length + 1} * ${TN}i;`);
    for (let ii = 0; ii < TM; ii++)
      body.line(`let mi${ii} = min(m0 + ${ii}i, ${i32Literal(Math.max(M - 1, 0), where)});`);
    for (let jj = 0; jj < TN; jj++)
      body.line(`let nj${jj} = min(n0 + ${jj}i, ${i32Literal(Math.max(N - 1, 0), where)});`);
    const pointCtx = (ii: number, jj: number, k: string): PointCtx => ({
      axis: (a) => (a === m ? `mi${ii}` : a === n ? `nj${jj}` : ax(a)),
      raxis: () => k,
      ref: (j) => `v${j}_${ii}_${jj}`,
    });
    const zero = REDUCE.sum.init(acc.dtype);
    if (vecB) {
      for (let ii = 0; ii < TM; ii++) body.line(`var c${ii} = vec4<${t}>(${zero});`);
      const step = vecA ? 4 : 1;
      body.block(`for (var k = 0i; k < ${i32Literal(K, where)}; k += ${step}i)`, () => {
        const bq = (kk: string) => {
          const ctx = { ...pointCtx(0, 0, kk), axis: (a: number) => (a === n ? 'n0' : ax(a)) };
          return `${rhsB.name}[${code.ix.render(rhs.index, ctx)} / 4i]`;
        };
        for (let s = 0; s < step; s++) body.line(`let rv${s} = ${bq(s === 0 ? 'k' : `(k + ${s}i)`)};`);
        for (let ii = 0; ii < TM; ii++) {
          const ctx = pointCtx(ii, 0, 'k');
          const idx = code.ix.render(lhs.index, ctx);
          if (vecA) {
            body.line(`let lv${ii} = ${lhsB.name}[${idx} / 4i];`);
            body.line(
              `c${ii} = c${ii} + ${[0, 1, 2, 3].map((s) => `lv${ii}.${LANES[s]} * rv${s}`).join(' + ')};`,
            );
          } else {
            body.line(`c${ii} = c${ii} + ${code.rhs(c.lhs, ctx)} * rv0;`);
          }
        }
      });
    } else {
      for (let ii = 0; ii < TM; ii++)
        for (let jj = 0; jj < TN; jj++) body.line(`var c${ii}_${jj}: ${t} = ${zero};`);
      body.block(`for (var k = 0i; k < ${i32Literal(K, where)}; k++)`, () => {
        for (let ii = 0; ii < TM; ii++) body.line(`let lv${ii} = ${code.rhs(c.lhs, pointCtx(ii, 0, 'k'))};`);
        for (let jj = 0; jj < TN; jj++) body.line(`let rv${jj} = ${code.rhs(c.rhs, pointCtx(0, jj, 'k'))};`);
        for (let ii = 0; ii < TM; ii++) {
          for (let jj = 0; jj < TN; jj++) {
            const p =
              prod.a === c.lhs
                ? BINARY.mul(`lv${ii}`, `rv${jj}`, acc.dtype)
                : BINARY.mul(`rv${jj}`, `lv${ii}`, acc.dtype);
            body.line(`c${ii}_${jj} = ${p} + c${ii}_${jj};`);
          }
        }
      });
    }
    // Epilogue per output point: everything outside the reduction, then the guarded stores.
    for (let ii = 0; ii < TM; ii++) {
      for (let jj = 0; jj < TN; jj++) {
        const ctx = pointCtx(ii, jj, '0i');
        body.block(
          `if (m0 + ${ii}i < ${i32Literal(M, where)} && n0 + ${jj}i < ${i32Literal(N, where)})`,
          () => {
            exprs.forEach((_, i) => {
              if (!facts.used[i] || facts.rdep[i]) return;
              const value = i === c.acc ? (vecB ? `c${ii}.${LANES[jj]}` : `c${ii}_${jj}`) : code.rhs(i, ctx);
              body.line(`let v${i}_${ii}_${jj} = ${value};`);
            });
            for (const s of code.kernel.stores) body.line(code.storeLine(s, ctx, `v${s.value}_${ii}_${jj}`));
          },
        );
      }
    }
    // Grid coordinates: batch axes (named like the domain axes they are), then the block row and column.
    w.append(decompose('tid', grid, 'g', new Set(grid.map((_, k) => k))));
    batchAxes.forEach((k, g) => {
      if (used.has(k)) w.line(`let i${k} = g${g};`);
    });
    w.append(body);
  });
  return {
    source: assemble(code, W, [], w.lines()),
    bindings: code.bindings,
    workgroups: Math.ceil(threads / W),
    template: 'contraction',
  };
}

/** The left operand walks K with unit stride and is 4-aligned along every other axis. */
function alignedAlongK(code: KernelCode, lhs: Load): boolean {
  const a = code.ix.affine(lhs.index);
  if (!a || a.raxes[0] !== 1 || a.constant % 4 !== 0) return false;
  return a.axes.every((cf, k) => code.domain[k]! <= 1 || cf % 4 === 0);
}
