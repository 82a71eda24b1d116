// W5 stage by stage in CPU time: trace (without call sites, as jit's misses trace), decompose, each
// pass of jit's default pipeline, lowering, backend compile (codegen + new Function) and the first
// run, on never-seen 1,000-op chains; "(trace with call sites)" is what trace() and StaticGraph cost.
// `npm run w5-stages -w @paradox/bench`; median and min over W5_SAMPLES graphs (the min is the figure
// least disturbed by other processes on a shared machine).
import { getBackend } from '@paradox/backend';
import '@paradox/backend-js';
import { decomposeOps } from '@paradox/ir';
import '@paradox/jit'; // registers the passes of the default pipeline
import { lowerGraph } from '@paradox/pass-lower';
import { DEFAULT_PIPELINE, PassManager } from '@paradox/pass-manager';
import { tensor, traceWithInfo, withTraceOptions } from '@paradox/tracer';
import { paradoxForward } from './contenders/paradox.js';
import { cpuMs, w5Input, w5Samples, w5Warmup, w5Workload } from './w5-probe.js';
import { makeChain } from './workloads/chain.js';
import { W5_OPS, W5_SIZE } from './workloads/compile.js';

const samples = w5Samples;
const w = w5Workload;
const x = w5Input;
const stages = new Map<string, number[]>();
const add = (name: string, ms: number, k: number) => {
  const v = stages.get(name) ?? [];
  v[k] = (v[k] ?? 0) + ms;
  stages.set(name, v);
};
const backend = getBackend('js');
for (let k = 0; k < samples; k++) {
  const ops = makeChain(W5_OPS, 1000 + k);
  const fn = (a: unknown) => paradoxForward(w, ops, [a]);
  const xt = tensor(x, [W5_SIZE], 'float32');
  let t = cpuMs();
  const start = t;
  const graph = withTraceOptions({ sourceLocations: false }, () => traceWithInfo(fn, xt).graph);
  add('trace', cpuMs() - t, k);
  const located = cpuMs();
  traceWithInfo(fn, xt);
  add('(trace with call sites)', cpuMs() - located, k);
  t = cpuMs();
  const decomposed = decomposeOps(graph);
  add('decompose', cpuMs() - t, k);
  t = cpuMs();
  let passStart = t;
  const manager = new PassManager(DEFAULT_PIPELINE, {
    capabilities: backend.capabilities,
    verify: false,
    skipRepeatedRuns: true,
    instrumentations: [
      {
        beforePass() {
          passStart = cpuMs();
        },
        afterPass(pass) {
          add(`  pass ${pass}`, cpuMs() - passStart, k);
        },
      },
    ],
  });
  const optimized = manager.run(decomposed).graph;
  add('passes (all)', cpuMs() - t, k);
  t = cpuMs();
  const program = lowerGraph(optimized);
  add('lower', cpuMs() - t, k);
  t = cpuMs();
  const exe = backend.compile(program) as Exclude<ReturnType<typeof backend.compile>, Promise<unknown>>;
  add('backend compile', cpuMs() - t, k);
  t = cpuMs();
  const input = backend.allocate('float32', W5_SIZE);
  backend.upload(input, x);
  const outputs = exe.run([input]);
  if (outputs instanceof Promise) throw new Error('the js backend runs synchronously');
  backend.download(outputs[0]!);
  add('first run', cpuMs() - t, k);
  if (process.env.W5_SECOND_RUN) {
    t = cpuMs();
    for (let r = 0; r < 10; r++) exe.run([input]);
    add('(next runs, each)', (cpuMs() - t) / 10, k);
  }
  add('total', cpuMs() - start - (stages.get('(trace with call sites)')![k] ?? 0), k);
  if (k === 0)
    console.log(
      `kernels: ${program.kernels.length}, source chars: ${exe.sources.reduce((s, x) => s + x.length, 0)}`,
    );
}
console.log(`${'stage'.padEnd(24)}  median     min (CPU ms; the first ${w5Warmup} samples warm V8 up)`);
for (const [name, v] of stages) {
  const s = v.slice(w5Warmup).sort((a, b) => a - b);
  const median = s[s.length >> 1] ?? 0;
  console.log(`${name.padEnd(24)} ${median.toFixed(2).padStart(7)} ${(s[0] ?? 0).toFixed(2).padStart(7)}`);
}
