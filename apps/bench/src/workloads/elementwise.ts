import { uniform } from '../rng.js';
import type { Workload } from '../types.js';

export const W1_SIZE = 4_194_304;

/** relu(x*2+1)*sigmoid(x)-0.5 in float64. */
export function w1Scalar(x: number): number {
  const a = x * 2 + 1;
  return (a > 0 ? a : 0) * (1 / (1 + Math.exp(-x))) - 0.5;
}

export function elementwise(n = W1_SIZE): Workload {
  return {
    id: 'W1',
    name: 'elementwise chain',
    description: `relu(x*2+1)*sigmoid(x)-0.5 on ${n.toLocaleString('en-US')} float32`,
    kind: 'run',
    inputs: [{ name: 'x', shape: [n] }],
    outputShape: [n],
    makeInputs: () => [uniform(n, -4, 4, 1)],
    reference([x]) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = w1Scalar(x![i]!);
      return out;
    },
    tolerance: { atol: 1e-5, rtol: 1e-5 },
    bytes: 2 * 4 * n,
    // mul, add, relu, sigmoid (neg, exp, add, div = 4), mul, sub
    flops: 9 * n,
    limit: 'bandwidth',
    perRun: 1,
  };
}
