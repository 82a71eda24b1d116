// W5 in CPU time, for profiling on a shared machine (wall times there measure the other processes):
// `npm run w5-cpu -w @paradox/bench` compiles never-seen 1,000-op chains with jit on js and prints
// median and min CPU ms of the whole compile + first run, and of the trace alone (without call sites,
// as jit's misses trace; and with them, as trace() and StaticGraph.capture do). Add
// `node --cpu-prof` (see the README) to see where the time goes.
import '@paradox/backend-js';
import { jit } from '@paradox/jit';
import { tensor, traceWithInfo, withTraceOptions } from '@paradox/tracer';
import { paradoxForward } from './contenders/paradox.js';
import { cpuMs, w5Input, w5Samples, w5Warmup, w5Workload } from './w5-probe.js';
import { makeChain } from './workloads/chain.js';
import { W5_OPS, W5_SIZE } from './workloads/compile.js';

const samples = w5Samples;
const w = w5Workload;
const x = w5Input;
const whole: number[] = [];
const trace: number[] = [];
const located: number[] = [];
for (let k = 0; k < samples; k++) {
  const ops = makeChain(W5_OPS, 1000 + k);
  const fn = (a: unknown) => paradoxForward(w, ops, [a]);
  const xt = tensor(x, [W5_SIZE], 'float32');
  let t = cpuMs();
  withTraceOptions({ sourceLocations: false }, () => traceWithInfo(fn, xt));
  trace.push(cpuMs() - t);
  t = cpuMs();
  traceWithInfo(fn, xt);
  located.push(cpuMs() - t);
  t = cpuMs();
  jit(fn, { backend: 'js' })(xt).dataSync();
  whole.push(cpuMs() - t);
}
const show = (name: string, v: number[]) => {
  const s = v.slice(w5Warmup).sort((a, b) => a - b); // the first ones warm V8 up
  console.log(`${name}: median ${s[s.length >> 1]!.toFixed(1)} ms, min ${s[0]!.toFixed(1)} ms (CPU)`);
};
show('W5 trace + optimize + codegen + first run', whole);
show('W5 trace alone', trace);
show('W5 trace alone, with call sites', located);
