import type { IndexExpr, Kernel } from '../kernel.js';
import { usesRaxis } from './index-expr.js';
import { exprIndices, exprOperands } from './phases.js';

/**
 * Where each expression of a (verified) kernel lives, for renderers that place exprs in loop nests:
 * - `rdep`: varies over the reduction domain, so it is computed inside a reduction loop;
 * - `after`: how many reduction passes must finish before it exists (a reduce in pass p has
 *   after = p + 1; softmax's sum over exp(x - max) runs in pass 1, after the max of pass 0);
 * - `used`: reachable from a store (unreachable exprs are not rendered);
 * - `axes`: the domain axes it depends on, directly or through operands.
 * All walks are iterative: a kernel of a 100,000-expr chain is fine.
 */
export interface KernelFacts {
  rdep: boolean[];
  after: number[];
  used: boolean[];
  axes: Set<number>[];
  /** Number of reduction passes (loops over the reduction domain that accumulate). */
  passes: number;
}

export function kernelFacts(kernel: Pick<Kernel, 'exprs' | 'stores'>): KernelFacts {
  const n = kernel.exprs.length;
  const rdep = new Array<boolean>(n).fill(false);
  const after = new Array<number>(n).fill(0);
  const axes: Set<number>[] = [];
  let passes = 0;
  kernel.exprs.forEach((e, i) => {
    const ops = exprOperands(e);
    const own = new Set<number>();
    for (const ix of exprIndices(e)) indexAxes(ix, own);
    for (const o of ops) for (const k of axes[o]!) own.add(k);
    axes.push(own);
    if (e.op === 'reduce') {
      after[i] = after[e.a]! + 1;
      passes = Math.max(passes, after[i]!);
    } else {
      rdep[i] = exprIndices(e).some(usesRaxis) || ops.some((o) => rdep[o]);
      after[i] = ops.reduce((m, o) => Math.max(m, after[o]!), 0);
    }
  });
  // Exprs are topological: walking backwards from the stores marks every operand of a used expr.
  const used = new Array<boolean>(n).fill(false);
  for (const s of kernel.stores) used[s.value] = true;
  for (let i = n - 1; i >= 0; i--)
    if (used[i]) for (const o of exprOperands(kernel.exprs[i]!)) used[o] = true;
  return { rdep, after, used, axes, passes };
}

/**
 * Whether a kernel loads from a buffer it also stores into. When it does not, its domain points only
 * read what earlier kernels wrote, so a renderer may interleave several points' loops (their stores
 * kept in point order); donated memory shared by an input and an output is read point-wise only
 * (see donatableOutputs), which keeps that true.
 */
export function loadsStoredBuffer(kernel: Pick<Kernel, 'exprs' | 'stores'>): boolean {
  const stored = new Set(kernel.stores.map((s) => s.buffer));
  return kernel.exprs.some((e) => e.op === 'load' && stored.has(e.buffer));
}

/**
 * The rdep exprs needed to compute `roots` inside a reduction loop, in topological order. Exprs in
 * `stopAt` are included but not looked through (their values are available otherwise, e.g. cached).
 */
export function reductionCone(
  kernel: Pick<Kernel, 'exprs'>,
  facts: Pick<KernelFacts, 'rdep'>,
  roots: readonly number[],
  stopAt: ReadonlySet<number> = new Set(),
): number[] {
  const needed = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (!facts.rdep[i] || needed.has(i)) continue;
    needed.add(i);
    if (!stopAt.has(i)) stack.push(...exprOperands(kernel.exprs[i]!));
  }
  return [...needed].sort((a, b) => a - b);
}

/** Adds the domain axes `ix` reads to `out`, and its reduction axes to `rout` when given (iteratively). */
export function indexAxes(ix: IndexExpr, out: Set<number> = new Set(), rout?: Set<number>): Set<number> {
  const stack = [ix];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.k === 'axis') out.add(e.axis);
    else if (e.k === 'raxis') rout?.add(e.axis);
    else if (e.k === 'add') stack.push(e.a, e.b);
    else if (e.k === 'mul' || e.k === 'div' || e.k === 'mod') stack.push(e.a);
  }
  return out;
}

/**
 * Exprs computed per domain point: operands of domain-phase stores, not looking through a reduce.
 * With an empty reduction domain only these run (an expr that only feeds reductions is never
 * evaluated, and verifyProgram does not range-check its loads), so a renderer that hoists
 * reduction-invariant exprs out of the reduction loop must skip the others then.
 */
export function domainPointExprs(kernel: Pick<Kernel, 'exprs' | 'stores'>): boolean[] {
  const perPoint = new Array<boolean>(kernel.exprs.length).fill(false);
  for (const s of kernel.stores) if (s.phase !== 'reduction') perPoint[s.value] = true;
  for (let i = kernel.exprs.length - 1; i >= 0; i--) {
    const e = kernel.exprs[i]!;
    if (perPoint[i] && e.op !== 'reduce') for (const o of exprOperands(e)) perPoint[o] = true;
  }
  return perPoint;
}
