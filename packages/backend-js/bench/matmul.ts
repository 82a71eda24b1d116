/**
 * matmul [256x784] @ [784x512] on backend-js vs a naive i-k-j loop over Float32Arrays.
 * Run: npx tsx --conditions=@paradox/development packages/backend-js/bench/matmul.ts
 * Prints medians over repeats and the speedup (target: >= 1.5x).
 */
import { GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { jsBackend } from '../src/index.js';

const [M, K, N] = [256, 784, 512];
const REPEATS = Number(process.env.REPEATS ?? 15);

const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i) * 0.5);
const w = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.37) * 0.5);

function naive(x: Float32Array, y: Float32Array): Float32Array {
  const out = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      const v = x[i * K + k]!;
      const row = k * N;
      const o = i * N;
      for (let j = 0; j < N; j++) out[o + j]! += v * y[row + j]!;
    }
  }
  return out;
}

const b = new GraphBuilder('matmul');
const graph = b
  .output(
    b.op('matmul', [
      b.input('a', { dtype: 'float32', shape: [M, K] }),
      b.input('w', { dtype: 'float32', shape: [K, N] }),
    ]),
  )
  .build();
const exe = jsBackend.compile(lowerGraph(graph));
const inputs = [a, w].map((d) => {
  const buf = jsBackend.allocate('float32', d.length);
  jsBackend.upload(buf, d);
  return buf;
});

function median(f: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return times[times.length >> 1]!;
}

let sink = 0;
// Warm both up (JIT tiers), then measure.
for (let i = 0; i < 3; i++) {
  sink += naive(a, w)[0]!;
  sink += (jsBackend.download(exe.run(inputs)[0]!) as Float32Array)[0]!;
}
const tNaive = median(() => {
  sink += naive(a, w)[1]!;
});
const tJs = median(() => {
  sink += (exe.run(inputs)[0]! as unknown as { data: Float32Array }).data[1]!;
});
const ref = naive(a, w);
const got = jsBackend.download(exe.run(inputs)[0]!) as Float32Array;
let maxErr = 0;
for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(ref[i]! - got[i]!));
const gflops = (t: number) => ((2 * M * K * N) / (t * 1e6)).toFixed(2);
console.log(`matmul [${M}x${K}]@[${K}x${N}], median of ${REPEATS}:`);
console.log(`  naive i-k-j : ${tNaive.toFixed(1)} ms (${gflops(tNaive)} GFLOP/s)`);
console.log(`  backend-js  : ${tJs.toFixed(1)} ms (${gflops(tJs)} GFLOP/s)`);
console.log(
  `  speedup     : ${(tNaive / tJs).toFixed(2)}x  (max |diff| ${maxErr.toExponential(2)}; sink ${sink > 0 ? '+' : '-'})`,
);
