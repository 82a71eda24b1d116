// Child process for the tier persistence test: plain jit(f) (default tiers js -> c) on one
// program, then prints one JSON line ({ firstRan, best, invocations, maxError }).
import '@paradox/backend-js';
import { jit } from '@paradox/jit';
import { tensor } from '@paradox/tracer';
import { compilerStats } from '../../src/index.js';

const n = 4096;
const input = Float32Array.from({ length: n }, (_, i) => ((i % 200) - 100) / 25);
const f = jit((x: any) => x.mul(3).sub(1).relu().add(x.tanh()));
const x = tensor(input, [n], 'float32');
f(x);
const firstRan = f.inspect().tier?.lastRan ?? null;
const best = await f.ready(x);
const y = f(x).dataSync() as Float32Array;
let maxError = 0;
for (let i = 0; i < n; i++) {
  const v = input[i]!;
  maxError = Math.max(maxError, Math.abs(y[i]! - (Math.max(3 * v - 1, 0) + Math.tanh(v))));
}
console.log(JSON.stringify({ firstRan, best, invocations: compilerStats.invocations, maxError }));
