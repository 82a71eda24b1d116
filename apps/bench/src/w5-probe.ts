import type { Workload } from './types.js';
import { W5_SIZE } from './workloads/compile.js';

/** What the W5 CPU-time probes (w5-cpu, w5-stages) share: sample count, warm-up, input, clock. */
export const w5Samples = Number(process.env.W5_SAMPLES ?? 40);
/** Samples left out of the figures: V8 optimizes the compiler over its first ~15 compiles (bench README). */
export const w5Warmup = Math.min(12, w5Samples >> 1);
export const w5Workload = { id: 'W5' } as Workload;
export const w5Input = Float32Array.from({ length: W5_SIZE }, (_, i) => i / 8 - 1);

/** This process's CPU time (user + system) in ms: other processes on a shared machine do not count. */
export const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
