/**
 * The interleaved CPU-time harness of the CPU-time probes (cpu-time.ts, cpu-time-wasm.ts): each
 * workload (WS=W1,W2 picks them) is set up on every contender, then `rounds` rounds each run every
 * contender's batch in turn (one untimed run, then `reps` timed ones), so all see the same machine
 * state. A batch is timed by the process's CPU time (process.cpuUsage: time the OS gives other
 * processes does not count; V8's helper threads and page faults do) and by wall time. The probes
 * differ only in their contenders and in the statistic `report` prints.
 */
import type { Contender, Session, Workload } from './types.js';
import { allWorkloads } from './workloads/index.js';

/** Per contender (in the probe's order) its samples in ns per run (per op where the workload has several); empty where it skipped the workload. */
export interface CpuSamples {
  cpu: number[][];
  wall: number[][];
}

export interface CpuProbe {
  contenders: Contender[];
  rounds: number;
  /** Timed runs per batch, by workload id (10 where not named). */
  reps: Record<string, number>;
  /** Prints one workload's figures. */
  report(w: Workload, samples: CpuSamples): void;
}

export async function runCpuProbe(probe: CpuProbe): Promise<void> {
  const ids = (process.env.WS ?? 'W1,W2,W3,W4a,W4b').split(',');
  const rows = probe.contenders;
  for (const c of rows) await c.load();
  for (const w of allWorkloads().filter((x) => ids.includes(x.id) && x.kind === 'run')) {
    const sessions: (Session | undefined)[] = [];
    for (const c of rows)
      sessions.push(c.unsupported?.(w) || !c.setup ? undefined : await c.setup(w, w.makeInputs()));
    const reps = probe.reps[w.id] ?? 10;
    const perRun = w.perRun ?? 1;
    const samples: CpuSamples = { cpu: rows.map(() => []), wall: rows.map(() => []) };
    for (let round = 0; round < probe.rounds; round++) {
      for (const [i, s] of sessions.entries()) {
        if (!s) continue;
        await s.run();
        const start = process.cpuUsage();
        const t0 = performance.now();
        for (let k = 0; k < reps; k++) await s.run();
        const t1 = performance.now();
        const used = process.cpuUsage(start);
        samples.cpu[i]!.push(((used.user + used.system) * 1000) / reps / perRun);
        samples.wall[i]!.push(((t1 - t0) * 1e6) / reps / perRun);
      }
    }
    probe.report(w, samples);
    for (const s of sessions) await s?.dispose();
  }
}

/** `ns` as ms, us or ns with the precision the probes print. */
export function formatNs(ns: number): string {
  return ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(1)} us`
      : `${ns.toFixed(1)} ns`;
}
