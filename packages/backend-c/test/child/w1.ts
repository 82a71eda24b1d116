// Child process for the cache, thread and unavailable-compiler tests: runs the W1 chain on 'c'
// and prints one JSON line ({ invocations, maxError, idleCpuMs, warnings, reason }).
import { readdirSync, readFileSync } from 'node:fs';
import '@paradox/backend-js';
import { jit } from '@paradox/jit';
import { tensor } from '@paradox/tracer';
import { cBackend, compilerStats } from '../../src/index.js';

const n = Number(process.env.W1_SIZE ?? 1 << 20);
const warnings: string[] = [];
console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
const input = Float32Array.from({ length: n }, (_, i) => ((i % 1000) - 500) / 50);
const f = jit((x: any) => x.mul(2).add(1).relu().mul(x.sigmoid()).sub(0.5), { backend: 'c' });
cBackend.threads = Number(process.env.W1_THREADS ?? 1);
const x = tensor(input, [n], 'float32');
const threadsBefore = new Set(readdirSync('/proc/self/task'));
const y = f(x).dataSync() as Float32Array;
let maxError = 0;
for (let i = 0; i < n; i++) {
  const x = input[i]!;
  const want = Math.max(x * 2 + 1, 0) * (1 / (1 + Math.exp(-x))) - 0.5;
  maxError = Math.max(maxError, Math.abs(y[i]! - want));
}
// CPU time of the threads the run started (OpenMP's workers) while the process waits after it,
// from /proc (clock ticks: 10 ms): a spinning worker shows here.
function otherThreadsCpuMs(): number {
  let ticks = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    if (threadsBefore.has(tid)) continue;
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ticks * 10;
}
const before = otherThreadsCpuMs();
const started = Date.now();
while (Date.now() - started < 500) await new Promise((r) => setTimeout(r, 50));
const idleCpuMs = otherThreadsCpuMs() - before;
console.log(
  JSON.stringify({
    invocations: compilerStats.invocations,
    maxError,
    idleCpuMs,
    warnings,
    reason: cBackend.unavailableReason ?? null,
  }),
);
