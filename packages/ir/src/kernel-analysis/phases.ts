import type { IndexExpr, Kernel, ScalarExpr } from '../kernel.js';
import { usesRaxis } from './index-expr.js';

/**
 * When an expr can be computed inside a kernel with a reduction:
 * - 'outer': depends on neither reduction indices nor reduce results (once per domain point, hoistable);
 * - 'inner': depends on reduction indices/loads, no reduce result (inside the reduction loop);
 * - 'post': depends on a reduce result, no reduction index (the epilogue). A reduce expr itself is 'post':
 *   its value exists after the loop;
 * - 'post-inner': both; only legal feeding stores with phase 'reduction' (the second loop).
 */
export type ExprPhase = 'outer' | 'inner' | 'post' | 'post-inner';

/** The exprs `root` depends on, itself included (explicit stack: chains can be deep). */
export function exprCone(kernel: Pick<Kernel, 'exprs'>, root: number): Set<number> {
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const e = kernel.exprs[i];
    if (e) stack.push(...exprOperands(e));
  }
  return seen;
}

/** Scalar operands of an expression (indices into the kernel's `exprs`). */
export function exprOperands(e: ScalarExpr): number[] {
  switch (e.op) {
    case 'unary':
    case 'cast':
    case 'reduce':
      return [e.a];
    case 'binary':
      return [e.a, e.b];
    case 'where':
      return [e.c, e.a, e.b];
    case 'load':
      return e.dynamic ? [e.dynamic.value] : [];
    default:
      return [];
  }
}

/** Index expressions an expression reads itself (not through its operands): load indices and guards. */
export function exprIndices(e: ScalarExpr): IndexExpr[] {
  switch (e.op) {
    case 'load':
      return e.guard?.length ? [e.index, ...e.guard.map((g) => g.expr)] : [e.index];
    case 'index':
    case 'random':
      return [e.index];
    case 'inbounds':
      return e.guards.map((g) => g.expr);
    default:
      return [];
  }
}

/** Whether an expression reads a reduction-loop index itself (not through an operand). */
export function exprReadsRaxis(e: ScalarExpr): boolean {
  return exprIndices(e).some(usesRaxis);
}

/** The phase of every expr of `kernel` (exprs are topological, so one forward pass suffices). */
export function exprPhases(kernel: Pick<Kernel, 'exprs'>): ExprPhase[] {
  const inner: boolean[] = [];
  const post: boolean[] = [];
  kernel.exprs.forEach((e, i) => {
    const ops = exprOperands(e);
    if (e.op === 'reduce') {
      inner[i] = false;
      post[i] = true;
    } else {
      inner[i] = exprReadsRaxis(e) || ops.some((o) => inner[o]);
      post[i] = ops.some((o) => post[o]);
    }
  });
  return kernel.exprs.map((_, i) =>
    inner[i] && post[i] ? 'post-inner' : inner[i] ? 'inner' : post[i] ? 'post' : 'outer',
  );
}
