import type { Kernel, KernelProgram } from '../kernel.js';
import { numel } from '../shape.js';
import { storedRun } from './coverage.js';
import { exprCone } from './phases.js';

/**
 * Which outputs may be stored straight into the memory of a donated input (buffer donation, as
 * JAX's donate_argnums): a map from output position to input position, at most one output per
 * input. `donated` lists program input positions whose memory the caller hands over.
 *
 * Output O may take input J's memory when (same dtype and size):
 * - exactly one kernel k stores O, once, in the domain phase, through an index that maps the domain
 *   one to one onto all of O (so point p owns element e(p) alone);
 * - no kernel after k reads J, and k reads J only at that same index e(p), in loads that the stored
 *   value depends on (so at each point the read happens before the write, in every rendering,
 *   SIMD lanes and threads included: they work on distinct points);
 * - k has no reduction-phase stores (a second loop could read J again after the write).
 * Kernels before k may read J anywhere: they finish before k starts.
 */
export function donatableOutputs(program: KernelProgram, donated: readonly number[]): Map<number, number> {
  const decls = new Map(program.buffers.map((b) => [b.id, b]));
  const pairs = new Map<number, number>();
  const taken = new Set<number>();
  program.outputs.forEach((outId, o) => {
    const out = decls.get(outId);
    if (!out) return;
    for (const j of donated) {
      if (taken.has(j)) continue;
      const inId = program.inputs[j];
      const input = inId === undefined ? undefined : decls.get(inId);
      if (!input || input.dtype !== out.dtype || input.size !== out.size) continue;
      if (program.inputs.indexOf(inId!) !== j) continue; // an input listed twice: keep it simple, no reuse
      if (!canStoreInPlace(program, outId, inId!)) continue;
      pairs.set(o, j);
      taken.add(j);
      return;
    }
  });
  return pairs;
}

function canStoreInPlace(program: KernelProgram, outId: number, inId: number): boolean {
  const writers = program.kernels.flatMap((k, i) => (k.stores.some((s) => s.buffer === outId) ? [i] : []));
  if (writers.length !== 1) return false;
  const at = writers[0]!;
  const kernel = program.kernels[at]!;
  const stores = kernel.stores.filter((s) => s.buffer === outId);
  if (stores.length !== 1 || kernel.stores.some((s) => s.phase === 'reduction')) return false;
  const store = stores[0]!;
  const size = program.buffers.find((b) => b.id === outId)!.size;
  const run = storedRun(store, kernel.domain, []);
  if (!run || run[0] !== 0 || run[1] !== size - 1 || numel(kernel.domain) !== size) return false;
  for (let later = at + 1; later < program.kernels.length; later++)
    if (reads(program.kernels[later]!, inId)) return false;
  const feeding = exprCone(kernel, store.value);
  const storeKey = JSON.stringify(store.index);
  return kernel.exprs.every(
    (e, i) =>
      e.op !== 'load' ||
      e.buffer !== inId ||
      // A dynamic (gather) load reads wherever its data says: never the store's own element alone.
      (feeding.has(i) && !e.dynamic && JSON.stringify(e.index) === storeKey),
  );
}

const reads = (k: Kernel, buffer: number): boolean =>
  k.exprs.some((e) => e.op === 'load' && e.buffer === buffer);
