import { MalformedProgramError } from '@paradox/backend';
import { exprIndices, exprOperands, type IndexExpr, type Kernel, usesRaxis } from '@paradox/ir';

/**
 * Where each expression of a kernel lives:
 * - `rdep`: varies over the reduction domain, so it is computed inside a reduction loop;
 * - `after`: how many reduction passes must finish before it exists (a reduce in pass p has
 *   after = p + 1; softmax's sum over exp(x - max) runs in pass 1, after the max of pass 0);
 * - `used`: reachable from a store (unreachable exprs are not rendered);
 * - `axes`: the domain axes it depends on, directly or through operands.
 */
export interface KernelFacts {
  rdep: boolean[];
  after: number[];
  used: boolean[];
  axes: Set<number>[];
  passes: number;
}

export function indexAxes(ix: IndexExpr, out: Set<number>): Set<number> {
  switch (ix.k) {
    case 'axis':
      out.add(ix.axis);
      break;
    case 'add':
      indexAxes(ix.a, out);
      indexAxes(ix.b, out);
      break;
    case 'mul':
    case 'div':
    case 'mod':
      indexAxes(ix.a, out);
      break;
    default:
      break;
  }
  return out;
}

export function kernelFacts(kernel: Kernel, where: string): KernelFacts {
  const n = kernel.exprs.length;
  const rdep = new Array<boolean>(n).fill(false);
  const after = new Array<number>(n).fill(0);
  const axes: Set<number>[] = [];
  let passes = 0;
  kernel.exprs.forEach((e, i) => {
    const ops = exprOperands(e);
    for (const o of ops) {
      if (!Number.isInteger(o) || o < 0 || o >= i) {
        throw new MalformedProgramError(
          `expr ${i} refers to expr ${String(o)}, which is not an earlier expr`,
          where,
        );
      }
    }
    const own = new Set<number>();
    for (const ix of exprIndices(e)) indexAxes(ix, own);
    for (const o of ops) for (const k of axes[o]!) own.add(k);
    axes.push(own);
    if (e.op === 'reduce') {
      after[i] = after[e.a]! + 1;
      passes = Math.max(passes, after[i]!);
    } else {
      rdep[i] = exprIndices(e).some(usesRaxis) || ops.some((o) => rdep[o]);
      after[i] = Math.max(0, ...ops.map((o) => after[o]!));
    }
  });
  const used = new Array<boolean>(n).fill(false);
  for (const s of kernel.stores) {
    if (!Number.isInteger(s.value) || s.value < 0 || s.value >= n) {
      throw new MalformedProgramError(
        `a store refers to expr ${String(s.value)}, which does not exist`,
        where,
      );
    }
    if ((s.phase ?? 'domain') === 'domain' && rdep[s.value]) {
      throw new MalformedProgramError(
        `a domain-phase store writes expr ${s.value}, which varies over the reduction domain`,
        where,
      );
    }
    if (s.phase === 'reduction' && !kernel.reduce) {
      throw new MalformedProgramError(
        'a reduction-phase store in a kernel without a reduction domain',
        where,
      );
    }
    used[s.value] = true;
  }
  // Operands come before their users, so one backward sweep marks everything a store reaches
  // (no recursion: a 100,000-expr chain is fine).
  for (let i = n - 1; i >= 0; i--) {
    if (used[i]) for (const o of exprOperands(kernel.exprs[i]!)) used[o] = true;
  }
  return { rdep, after, used, axes, passes };
}

/** The rdep exprs needed to compute `roots` inside a reduction loop, in topological order. */
export function reductionCone(kernel: Kernel, facts: KernelFacts, roots: number[]): number[] {
  // A backward sweep over exprs reached through rdep exprs only (operands precede their users).
  const reached = new Set(roots);
  const cone: number[] = [];
  for (let i = kernel.exprs.length - 1; i >= 0; i--) {
    if (!reached.has(i) || !facts.rdep[i]) continue;
    cone.push(i);
    for (const o of exprOperands(kernel.exprs[i]!)) reached.add(o);
  }
  return cone.reverse();
}
