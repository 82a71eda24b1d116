// Paradox demo: the same functions eagerly (one program per op) and jitted (traced once, fused, compiled).
// Run with `npm run demo` from the repository root. With backend-c imported and a C compiler present,
// jit's first call runs on JavaScript at once while C compiles in the background; later calls run native.
import '@paradox/backend-js';
import '@paradox/backend-c';
import { defaultTiers, getBackend } from '@paradox/backend';
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

/** The largest |a - b| and whether every element is within the conformance tolerance (1e-5 + 1e-5 |b|). */
function agreement(a: Tensor, b: Tensor): { diff: number; ok: boolean } {
  const x = a.dataSync();
  const y = b.dataSync();
  let diff = 0;
  let ok = true;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    diff = Math.max(diff, d);
    ok &&= d <= 1e-5 + 1e-5 * Math.abs(y[i]!);
  }
  return { diff, ok };
}

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(1)} us` : `${ms.toFixed(1)} ms`);

async function compare(label: string, fn: (...args: Tensor[]) => Tensor, args: Tensor[], runs: number) {
  const fast = jit(fn);
  const eagerResult = fn(...args);
  const start = performance.now();
  const first = fast(...args);
  first.dataSync();
  const firstMs = performance.now() - start;
  const firstTier = fast.inspect().tier?.lastRan ?? getBackend().name;
  // Only the demo waits here, to time the best tier; a program just keeps calling.
  const best = await fast.ready(...args);
  const readyMs = performance.now() - start;
  const checks = [agreement(first, eagerResult), agreement(fast(...args), eagerResult)];
  const diff = Math.max(...checks.map((c) => c.diff));
  if (!checks.every((c) => c.ok)) throw new Error(`${label}: jit differs from eager by ${diff}`);
  const eager = medianMs(runs, () => fn(...args).dispose());
  const compiled = medianMs(runs, () => fast(...args).dispose());
  const info = fast.inspect();
  const tiers =
    best === firstTier
      ? ''
      : `, ${best} ready ${fmt(readyMs)} after the first call (compiled in the background)`;
  console.log(
    `${label}\n  eager ${fmt(eager)}, jit on ${best} ${fmt(compiled)} -> ${(eager / compiled).toFixed(1)}x ` +
      `(median of ${runs}; ${info.kernelCount} kernel(s); max |jit - eager| = ${diff})\n` +
      `  first call ${fmt(firstMs)} on ${firstTier} (trace + compile + run)${tiers}`,
  );
  return info;
}

console.log(`Paradox demo: eager ops on '${getBackend().name}', jit tiers ${defaultTiers().join(' <- ')}\n`);

// W1: an elementwise chain, six ops -> one fused kernel.
const x = randn([4_194_304], 1);
const w1 = await compare(
  'W1 relu(x*2+1)*sigmoid(x)-0.5 on 4,194,304 f32',
  (x) => x.mul(2).add(1).relu().mul(x.sigmoid()).sub(0.5),
  [x],
  7,
);
console.log(w1.fusionReportText!.replace(/^/gm, '  '));

// A small MLP layer: the bias add and relu fuse into the matmul's epilogue.
const input = randn([64, 784], 2);
const weights = randn([784, 256], 3).mul(0.05);
const bias = randn([256], 4);
await compare(
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
await compare(
  '\n200-op chain on f32[16] (per-call overhead)',
  chain,
  [tensor(Array.from({ length: 16 }, (_, i) => i))],
  200,
);
