// Child process for the cache, thread and unavailable-compiler tests: runs the W1 chain on 'c'
// and prints one JSON line ({ invocations, maxError, idleCpuMs, mainCpuMs, warnings, reason }).
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
// CPU time (ns, from /proc's schedstat) of one thread, or of the threads the run started
// (OpenMP's workers): a spinning worker shows there while the process waits after the run.
function threadCpuNs(tid: string): number {
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return 0; // the thread ended meanwhile
  }
}
function otherThreadsCpuNs(): number {
  let ns = 0;
  for (const tid of readdirSync('/proc/self/task')) if (!threadsBefore.has(tid)) ns += threadCpuNs(tid);
  return ns;
}
// With W1_IDLE_CPU_MS set, the main thread spins until it has had that much CPU time after the
// run, so it is a spinner of known behaviour competing under the same load as the workers: a
// spinning worker gets about as much CPU as it (however loaded the machine), a sleeping one none.
let idleCpuMs = 0;
let mainCpuMs = 0;
const idleBudgetNs = Number(process.env.W1_IDLE_CPU_MS ?? 0) * 1e6;
if (idleBudgetNs > 0) {
  const main = String(process.pid);
  const workersBefore = otherThreadsCpuNs();
  const mainBefore = threadCpuNs(main);
  const started = Date.now();
  while (threadCpuNs(main) - mainBefore < idleBudgetNs && Date.now() - started < 60_000);
  idleCpuMs = (otherThreadsCpuNs() - workersBefore) / 1e6;
  mainCpuMs = (threadCpuNs(main) - mainBefore) / 1e6;
}
console.log(
  JSON.stringify({
    invocations: compilerStats.invocations,
    maxError,
    idleCpuMs,
    mainCpuMs,
    warnings,
    reason: cBackend.unavailableReason ?? null,
  }),
);
