import type { Probe } from '../types.js';

/**
 * STREAM triad a[i] = b[i] + s*c[i] on Float64Arrays in plain JS, one thread.
 * Counts 24 bytes per element (two reads, one write), as STREAM does. Best of `reps`.
 */
export function jsTriad(n: number, reps: number): Probe {
  const a = new Float64Array(n);
  const b = new Float64Array(n).fill(1);
  const c = new Float64Array(n).fill(2);
  const s = 3;
  const kernel = (a: Float64Array, b: Float64Array, c: Float64Array, s: number) => {
    for (let i = 0; i < a.length; i++) a[i] = b[i]! + s * c[i]!;
  };
  kernel(a, b, c, s); // first touch + JIT warm-up
  kernel(a, b, c, s);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    kernel(a, b, c, s);
    best = Math.min(best, performance.now() - t0);
  }
  if (a[n - 1] !== 7) throw new Error(`triad check failed: ${a[n - 1]}`);
  const gbs = (24 * n) / (best * 1e-3) / 1e9;
  return {
    id: 'js-triad',
    name: 'STREAM triad, JS Float64Array',
    value: gbs,
    unit: 'GB/s',
    threads: 1,
    detail: `${((24 * n) / 2 ** 20).toFixed(0)} MiB per pass, best of ${reps}, ${best.toFixed(1)} ms`,
  };
}
