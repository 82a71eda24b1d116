import type { KernelProgram, Store } from '../kernel.js';
import { numel } from '../shape.js';
import { indexCoefficients } from './index-expr.js';

/**
 * Output buffers of a (verified) program that are not provably written in full: a backend that hands
 * out recycled memory for outputs must clear these first, or a partial writer would expose a freed
 * tensor's data. Proof: the stores into a buffer, each an affine bijection of its loops onto a
 * contiguous run of elements (strides forming a mixed radix), cover [0, size) together.
 */
export function outputsNotProvablyCovered(program: KernelProgram): number[] {
  const runs = new Map<number, [number, number][]>();
  for (const k of program.kernels) {
    if (numel(k.domain) === 0) continue;
    const reduce = k.reduce?.shape ?? [];
    for (const s of k.stores) {
      if (s.phase === 'reduction' && numel(reduce) === 0) continue;
      const run = storedRun(s, k.domain, s.phase === 'reduction' ? reduce : []);
      if (run) runs.set(s.buffer, [...(runs.get(s.buffer) ?? []), run]);
    }
  }
  return program.outputs.filter((id) => {
    const size = program.buffers.find((b) => b.id === id)?.size ?? 0;
    return !covers(runs.get(id) ?? [], size);
  });
}

/** The inclusive element range a store writes when it writes every element of it, else undefined. */
export function storedRun(s: Store, domain: number[], reduce: number[]): [number, number] | undefined {
  const f = indexCoefficients(s.index, domain.length, reduce.length);
  if (!f) return undefined;
  let start = f.constant;
  const steps: [number, number][] = [];
  const add = (coef: number, extent: number) => {
    if (extent <= 1 || coef === 0) return;
    // A negative stride walks the same run backwards.
    if (coef < 0) start += coef * (extent - 1);
    steps.push([Math.abs(coef), extent]);
  };
  f.axes.forEach((c, i) => {
    add(c, domain[i] ?? 1);
  });
  f.raxes.forEach((c, i) => {
    add(c, reduce[i] ?? 1);
  });
  steps.sort((a, b) => a[0] - b[0]);
  let next = 1;
  for (const [coef, extent] of steps) {
    if (coef !== next) return undefined;
    next = coef * extent;
  }
  return [start, start + next - 1];
}

function covers(runs: [number, number][], size: number): boolean {
  let reached = 0;
  for (const [lo, hi] of [...runs].sort((a, b) => a[0] - b[0])) {
    if (lo > reached) return false;
    reached = Math.max(reached, hi + 1);
  }
  return reached >= size;
}
