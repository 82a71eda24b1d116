/**
 * CPU-time comparison of Paradox jit on 'c' (with and without copy-out) and onnxruntime-node on one
 * thread: runs interleaved, each timed by the process's CPU time (process.cpuUsage), so time the
 * OS gives other processes does not count. For a machine shared with other jobs, where wall-clock
 * medians vary tenfold. `npm run bench:cpu -w @paradox/bench`; WS=W1,W2 picks workloads.
 * Prints per workload the median (and min) CPU time per run (W3: per op) and its ratio to ORT.
 */
import { onnxruntime } from './contenders/onnxruntime.js';
import { paradoxC } from './contenders/paradox-c.js';
import type { Session } from './types.js';
import { allWorkloads } from './workloads/index.js';

const ids = (process.env.WS ?? 'W1,W2,W3,W4a,W4b').split(',');
const ROUNDS = 25;
const REPS: Record<string, number> = { W1: 6, W2: 20, W3: 2000, W4a: 30, W4b: 30 };
const rows = [paradoxC(1, false), paradoxC(1, true), onnxruntime(1)];
for (const c of rows) await c.load();

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const format = (ns: number) =>
  ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(1)} us`
      : `${ns.toFixed(1)} ns`;

for (const w of allWorkloads().filter((x) => ids.includes(x.id) && x.kind === 'run')) {
  const sessions: (Session | undefined)[] = [];
  for (const c of rows)
    sessions.push(c.unsupported?.(w) || !c.setup ? undefined : await c.setup(w, w.makeInputs()));
  const reps = REPS[w.id] ?? 10;
  const times: number[][] = rows.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of sessions.entries()) {
      if (!s) continue;
      await s.run();
      const start = process.cpuUsage();
      for (let k = 0; k < reps; k++) await s.run();
      const used = process.cpuUsage(start);
      times[i]!.push(((used.user + used.system) * 1000) / reps / (w.perRun ?? 1));
    }
  }
  const ort = median(times[2]!);
  const cells = rows.flatMap((c, i) =>
    times[i]!.length === 0
      ? []
      : [
          `${c.id} ${format(median(times[i]!))} (min ${format(Math.min(...times[i]!))}, ${(median(times[i]!) / ort).toFixed(2)}x ort)`,
        ],
  );
  console.log(`${w.id}, CPU time per run${(w.perRun ?? 1) > 1 ? ' per op' : ''}: ${cells.join('; ')}`);
  for (const s of sessions) await s?.dispose();
}
