/**
 * CPU-time comparison for issue #22: Paradox jit on 'wasm' against tfjs's wasm backend (XNNPACK) and
 * jax-js's wasm jit, one thread each, runs interleaved (each contender's batch in turn, ROUNDS
 * rounds), so all see the same machine state. Prints per workload and contender the median process
 * CPU time per run (process.cpuUsage: time the OS gives other processes does not count; it does
 * count V8's helper threads and page faults) and the 10th percentile of wall time (a run that got
 * the CPU), each also as a ratio of Paradox's to the peer's. W3: per op.
 * `npm run bench:cpu-wasm -w @paradox/bench`; WS=W1,W4a picks workloads, ROUNDS=20 the rounds.
 */
import { jaxJs } from './contenders/jax.js';
import { paradox } from './contenders/paradox.js';
import { tfjs } from './contenders/tfjs.js';
import { formatNs as format, runCpuProbe } from './cpu-harness.js';

const quantile = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) * p)]!;
const rows = [paradox('jit', 'wasm'), tfjs('wasm'), jaxJs('jit')];

await runCpuProbe({
  contenders: rows,
  rounds: Number(process.env.ROUNDS ?? 12),
  reps: { W1: 4, W2: 20, W3: 200, W4a: 30, W4b: 30 },
  report(w, { cpu, wall }) {
    const perRun = w.perRun ?? 1;
    const ours = { cpu: quantile(cpu[0]!, 0.5), wall: quantile(wall[0]!, 0.1) };
    for (const [i, c] of rows.entries()) {
      if (cpu[i]!.length === 0) continue;
      const mine = { cpu: quantile(cpu[i]!, 0.5), wall: quantile(wall[i]!, 0.1) };
      const vs =
        i === 0
          ? ''
          : `; paradox-jit-wasm / ${c.id}: CPU ${(ours.cpu / mine.cpu).toFixed(2)}x, wall p10 ${(ours.wall / mine.wall).toFixed(2)}x`;
      console.log(
        `${w.id} ${c.id}: CPU median ${format(mine.cpu)}, wall p10 ${format(mine.wall)}${perRun > 1 ? ' per op' : ''}${vs}`,
      );
    }
  },
});
