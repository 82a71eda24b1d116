import { uniform } from '../rng.js';
import type { Workload } from '../types.js';

export const MLP = { batch: 256, inDim: 784, hidden: 512, outDim: 10 } as const;

/** softmax(relu(x @ w1 + b1) @ w2 + b2) in float64. Inputs: x, w1, b1, w2, b2 (row-major). */
export function mlpReference(
  [x, w1, b1, w2, b2]: Float32Array[],
  { batch, inDim, hidden, outDim }: { batch: number; inDim: number; hidden: number; outDim: number } = MLP,
): Float64Array {
  const h = new Float64Array(hidden);
  const out = new Float64Array(batch * outDim);
  for (let r = 0; r < batch; r++) {
    h.fill(0);
    for (let k = 0; k < inDim; k++) {
      const a = x![r * inDim + k]!;
      for (let j = 0; j < hidden; j++) h[j]! += a * w1![k * hidden + j]!;
    }
    for (let j = 0; j < hidden; j++) h[j] = Math.max(0, h[j]! + b1![j]!);
    let mx = Number.NEGATIVE_INFINITY;
    const logits = new Float64Array(outDim);
    for (let o = 0; o < outDim; o++) {
      let s = b2![o]!;
      for (let j = 0; j < hidden; j++) s += h[j]! * w2![j * outDim + o]!;
      logits[o] = s;
      mx = Math.max(mx, s);
    }
    let z = 0;
    for (let o = 0; o < outDim; o++) z += Math.exp(logits[o]! - mx);
    for (let o = 0; o < outDim; o++) out[r * outDim + o] = Math.exp(logits[o]! - mx) / z;
  }
  return out;
}

export function mlp(): Workload {
  const { batch, inDim, hidden, outDim } = MLP;
  // Glorot-uniform weights, inputs in [0,1) like image pixels.
  const g1 = Math.sqrt(6 / (inDim + hidden));
  const g2 = Math.sqrt(6 / (hidden + outDim));
  return {
    id: 'W2',
    name: 'MLP inference',
    description: `softmax(relu(x[${batch}x${inDim}] @ w1 + b1) @ w2 + b2), ${inDim}->${hidden} (relu) ->${outDim} (softmax)`,
    kind: 'run',
    inputs: [
      { name: 'x', shape: [batch, inDim] },
      { name: 'w1', shape: [inDim, hidden] },
      { name: 'b1', shape: [hidden] },
      { name: 'w2', shape: [hidden, outDim] },
      { name: 'b2', shape: [outDim] },
    ],
    outputShape: [batch, outDim],
    makeInputs: () => [
      uniform(batch * inDim, 0, 1, 21),
      uniform(inDim * hidden, -g1, g1, 22),
      uniform(hidden, -0.1, 0.1, 23),
      uniform(hidden * outDim, -g2, g2, 24),
      uniform(outDim, -0.1, 0.1, 25),
    ],
    reference: (inputs) => mlpReference(inputs),
    tolerance: { atol: 2e-5, rtol: 1e-3 },
    bytes: 4 * (batch * inDim + inDim * hidden + hidden + hidden * outDim + outDim + batch * outDim),
    flops: 2 * batch * inDim * hidden + 2 * batch * hidden * outDim,
    limit: 'fma',
    perRun: 1,
  };
}
