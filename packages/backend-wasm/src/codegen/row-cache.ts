import { reductionCone } from '@paradox/ir';
import type { KernelPlan } from './kernel-plan.js';

/** Costly values the last reduction pass keeps in a row-sized scratch and the store pass reads back. */
export interface RowCache {
  mode: 'write' | 'read';
  exprs: Set<number>;
}

/** Largest reduction row whose costly values are kept rather than recomputed (floats). */
export const ROW_CACHE_LIMIT = 1 << 16;
const COSTLY = new Set(['exp', 'log', 'tanh', 'sigmoid', 'sin', 'cos', 'sqrt', 'rsqrt', 'pow']);

/** Exprs varying over the reduction that `roots` need, in order; `stopAt` exprs are needed, not their operands. */
export const neededRdep = (
  plan: KernelPlan,
  roots: readonly number[],
  stopAt?: ReadonlySet<number>,
): number[] => reductionCone(plan.kernel, plan, roots, stopAt);

/**
 * Costly float exprs both the last reduction pass and the phase-'reduction' stores compute (softmax's
 * exp), when the reduction is one loop of at most ROW_CACHE_LIMIT: the pass stores them in scratch,
 * the store pass reads them back. `bytes`: the scratch one thread needs.
 */
export function findRowCache(plan: KernelPlan): { exprs: Set<number>; bytes: number } | undefined {
  if (plan.rgroups.length !== 1 || plan.rextents[0]! > ROW_CACHE_LIMIT) return undefined;
  const late = plan.kernel.stores.filter((s) => s.phase === 'reduction');
  if (late.length === 0 || plan.passes === 0) return undefined;
  const lastReduces = plan.exprs.flatMap((e, i) =>
    e.op === 'reduce' && plan.used[i] && plan.after[i] === plan.passes ? [e.a] : [],
  );
  const inLast = new Set(neededRdep(plan, lastReduces));
  const costly = neededRdep(
    plan,
    late.map((s) => s.value),
  ).filter((i) => {
    const e = plan.exprs[i]!;
    return (
      inLast.has(i) && e.dtype === 'float32' && (e.op === 'unary' || e.op === 'binary') && COSTLY.has(e.fn)
    );
  });
  if (costly.length === 0) return undefined;
  return { exprs: new Set(costly), bytes: plan.rextents[0]! * 4 * costly.length };
}
