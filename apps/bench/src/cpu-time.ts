/**
 * CPU-time comparison of Paradox jit on 'c' (with and without copy-out) and onnxruntime-node on one
 * thread: runs interleaved, each timed by the process's CPU time (process.cpuUsage), so time the
 * OS gives other processes does not count. For a machine shared with other jobs, where wall-clock
 * medians vary tenfold. `npm run bench:cpu -w @paradox/bench`; WS=W1,W2 picks workloads.
 * Prints per workload the median (and min) CPU time per run (W3: per op) and its ratio to ORT.
 */
import { onnxruntime } from './contenders/onnxruntime.js';
import { paradoxC } from './contenders/paradox-c.js';
import { formatNs as format, runCpuProbe } from './cpu-harness.js';

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const rows = [paradoxC(1, false), paradoxC(1, true), onnxruntime(1)];

await runCpuProbe({
  contenders: rows,
  rounds: 25,
  reps: { W1: 6, W2: 20, W3: 2000, W4a: 30, W4b: 30 },
  report(w, { cpu: times }) {
    const ort = median(times[2]!);
    const cells = rows.flatMap((c, i) =>
      times[i]!.length === 0
        ? []
        : [
            `${c.id} ${format(median(times[i]!))} (min ${format(Math.min(...times[i]!))}, ${(median(times[i]!) / ort).toFixed(2)}x ort)`,
          ],
    );
    console.log(`${w.id}, CPU time per run${(w.perRun ?? 1) > 1 ? ' per op' : ''}: ${cells.join('; ')}`);
  },
});
