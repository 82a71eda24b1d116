import { MalformedProgramError } from '@paradox/backend';
import { exprOperands, exprReadsRaxis, type Kernel } from '@paradox/ir';

/**
 * Where each expression of a kernel lives:
 * - `rdep`: varies over the reduction domain, so it is computed inside a reduction loop;
 * - `after`: how many reduction passes must finish before it exists (a reduce in pass p has after = p + 1;
 *   softmax's sum over exp(x - max) runs in pass 1, after the max of pass 0);
 * - `used`: reachable from a store (unreachable exprs are not rendered).
 */
export interface KernelFacts {
  rdep: boolean[];
  after: number[];
  used: boolean[];
  /** Number of reduction passes (loops over the reduction domain that accumulate). */
  passes: number;
}

export function kernelFacts(kernel: Kernel, where: string): KernelFacts {
  const n = kernel.exprs.length;
  const rdep = new Array<boolean>(n).fill(false);
  const after = new Array<number>(n).fill(0);
  let passes = 0;
  kernel.exprs.forEach((e, i) => {
    const ops = exprOperands(e);
    for (const o of ops) {
      if (!Number.isInteger(o) || o < 0 || o >= i) {
        throw new MalformedProgramError(`expr ${i} refers to expr ${o}, which is not an earlier expr`, where);
      }
    }
    if (e.op === 'reduce') {
      after[i] = after[e.a]! + 1;
      passes = Math.max(passes, after[i]!);
    } else {
      rdep[i] = exprReadsRaxis(e) || ops.some((o) => rdep[o]);
      after[i] = Math.max(0, ...ops.map((o) => after[o]!));
    }
  });
  const used = new Array<boolean>(n).fill(false);
  const mark = (i: number): void => {
    if (used[i]) return;
    used[i] = true;
    for (const o of exprOperands(kernel.exprs[i]!)) mark(o);
  };
  for (const s of kernel.stores) {
    if (!Number.isInteger(s.value) || s.value < 0 || s.value >= n) {
      throw new MalformedProgramError(`a store refers to expr ${s.value}, which does not exist`, where);
    }
    if ((s.phase ?? 'domain') === 'domain' && rdep[s.value]) {
      throw new MalformedProgramError(
        `a domain-phase store writes expr ${s.value}, which varies over the reduction domain`,
        where,
      );
    }
    mark(s.value);
  }
  return { rdep, after, used, passes };
}
