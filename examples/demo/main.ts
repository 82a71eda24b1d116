// Paradox demo: the same functions eagerly (one program per op) and jitted (traced once, fused, compiled).
// Run with `npm run demo` from the repository root.
import '@paradox/backend-js';
import { getBackend } from '@paradox/backend';
import { jit } from '@paradox/jit';
import { randn, type Tensor, tensor } from '@paradox/tracer';

/**
 * Median wall time in ms of `runs` warm calls. Warm-up: at least one call and 300 ms of them, so V8 has
 * optimized the generated kernels (and eager's per-op kernels) before timing starts.
 */
function medianMs(runs: number, body: () => void): number {
  const warmUntil = performance.now() + 300;
  do body();
  while (performance.now() < warmUntil);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  return worst;
}

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(1)} us` : `${ms.toFixed(1)} ms`);

function compare(label: string, fn: (...args: Tensor[]) => Tensor, args: Tensor[], runs: number) {
  const fast = jit(fn);
  const eagerResult = fn(...args);
  const jitResult = fast(...args);
  const diff = maxAbsDiff(jitResult, eagerResult);
  if (diff > 1e-5) throw new Error(`${label}: jit differs from eager by ${diff}`);
  const eager = medianMs(runs, () => fn(...args).dispose());
  const compiled = medianMs(runs, () => fast(...args).dispose());
  const info = fast.inspect();
  console.log(
    `${label}\n  eager ${fmt(eager)}, jit ${fmt(compiled)} -> ${(eager / compiled).toFixed(1)}x ` +
      `(median of ${runs}; ${info.kernelCount} kernel(s); max |jit - eager| = ${diff})`,
  );
  return info;
}

console.log(`Paradox demo on backend '${getBackend().name}'\n`);

// W1: an elementwise chain, six ops -> one fused kernel.
const x = randn([4_194_304], 1);
const w1 = compare(
  'W1 relu(x*2+1)*sigmoid(x)-0.5 on 4,194,304 f32',
  (x) => x.mul(2).add(1).relu().mul(x.sigmoid()).sub(0.5),
  [x],
  3,
);
console.log(w1.fusionReportText!.replace(/^/gm, '  '));

// A small MLP layer: the bias add and relu fuse into the matmul's epilogue.
const input = randn([64, 784], 2);
const weights = randn([784, 256], 3).mul(0.05);
const bias = randn([256], 4);
compare(
  '\nMLP layer relu(x @ W + b), [64,784] x [784,256]',
  (x, w, b) => x.matmul(w).add(b).relu(),
  [input, weights, bias],
  5,
);

// Warm-call overhead: a 200-op chain on 16 elements is all dispatch, no arithmetic.
const chain = (x: Tensor) => {
  let y = x;
  for (let i = 0; i < 100; i++) y = y.mul(1.0001).add(0.001);
  return y;
};
compare(
  '\n200-op chain on f32[16] (per-call overhead)',
  chain,
  [tensor(Array.from({ length: 16 }, (_, i) => i))],
  200,
);
