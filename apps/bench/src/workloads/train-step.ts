import { uniform } from '../rng.js';
import type { Workload } from '../types.js';
import { MLP } from './mlp.js';

/** Adam's hyperparameters for W6 (every contender uses these). */
export const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** W6 inputs, in order: the batch, the W2 MLP's parameters, then Adam's first and second moments per parameter. */
export const TRAIN_INPUTS = [
  'x',
  'y',
  'w1',
  'b1',
  'w2',
  'b2',
  'm_w1',
  'm_b1',
  'm_w2',
  'm_b2',
  'v_w1',
  'v_b1',
  'v_w2',
  'v_b2',
];

type Dims = { batch: number; inDim: number; hidden: number; outDim: number };

/**
 * Mean softmax cross-entropy of the W2 MLP and its gradients by hand (backpropagation), in float64.
 * `p` is w1, b1, w2, b2 (row-major); `y` one-hot.
 */
export function mlpLossGradients(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  [w1, b1, w2, b2]: ArrayLike<number>[],
  { batch: B, inDim: I, hidden: H, outDim: O }: Dims = MLP,
): { loss: number; grads: Float64Array[] } {
  const pre = new Float64Array(B * H);
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < H; j++) pre[r * H + j] = b1![j]!;
    for (let k = 0; k < I; k++) {
      const a = x[r * I + k]!;
      for (let j = 0; j < H; j++) pre[r * H + j]! += a * w1![k * H + j]!;
    }
  }
  const h = pre.map((v) => Math.max(0, v));
  const dz = new Float64Array(B * O);
  let loss = 0;
  for (let r = 0; r < B; r++) {
    const z = new Float64Array(O);
    for (let o = 0; o < O; o++) {
      let s = b2![o]!;
      for (let j = 0; j < H; j++) s += h[r * H + j]! * w2![j * O + o]!;
      z[o] = s;
    }
    const mx = Math.max(...z);
    const e = z.map((v) => Math.exp(v - mx));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let o = 0; o < O; o++) {
      dz[r * O + o] = (e[o]! / sum - y[r * O + o]!) / B;
      loss -= (y[r * O + o]! * (z[o]! - mx - Math.log(sum))) / B;
    }
  }
  const gw2 = new Float64Array(H * O);
  const gb2 = new Float64Array(O);
  const dh = new Float64Array(B * H);
  for (let r = 0; r < B; r++) {
    for (let o = 0; o < O; o++) {
      const d = dz[r * O + o]!;
      gb2[o]! += d;
      for (let j = 0; j < H; j++) {
        gw2[j * O + o]! += h[r * H + j]! * d;
        dh[r * H + j]! += d * w2![j * O + o]!;
      }
    }
    for (let j = 0; j < H; j++) if (pre[r * H + j]! <= 0) dh[r * H + j] = 0;
  }
  const gw1 = new Float64Array(I * H);
  const gb1 = new Float64Array(H);
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < H; j++) gb1[j]! += dh[r * H + j];
    for (let k = 0; k < I; k++) {
      const a = x[r * I + k]!;
      if (a === 0) continue;
      for (let j = 0; j < H; j++) gw1[k * H + j]! += a * dh[r * H + j]!;
    }
  }
  return { loss, grads: [gw1, gb1, gw2, gb2] };
}

/**
 * One Adam step (t = 1) of the W2 MLP, in float64. Inputs as TRAIN_INPUTS; returns the new w1, b1,
 * w2, b2, concatenated.
 */
export function trainStepReference(inputs: Float32Array[]): Float64Array {
  const [x, y, ...rest] = inputs as [Float32Array, Float32Array, ...Float32Array[]];
  const params = rest.slice(0, 4);
  const { grads } = mlpLossGradients(x, y, params);
  const out = new Float64Array(params.reduce((s, p) => s + p.length, 0));
  let at = 0;
  const { lr, beta1, beta2, eps } = ADAM;
  params.forEach((p, i) => {
    const g = grads[i]!;
    const m = rest[4 + i]!;
    const v = rest[8 + i]!;
    for (let e = 0; e < p.length; e++) {
      const mHat = (beta1 * m[e]! + (1 - beta1) * g[e]!) / (1 - beta1);
      const vHat = (beta2 * v[e]! + (1 - beta2) * g[e]! * g[e]!) / (1 - beta2);
      out[at++] = p[e]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  });
  return out;
}

/** One-hot labels for `batch` rows of `classes`, deterministic. */
function oneHot(batch: number, classes: number, seed: number): Float32Array {
  const labels = uniform(batch, 0, classes, seed);
  const y = new Float32Array(batch * classes);
  for (let r = 0; r < batch; r++) y[r * classes + Math.floor(labels[r]!)] = 1;
  return y;
}

export function trainStep(): Workload {
  const { batch, inDim, hidden, outDim } = MLP;
  const g1 = Math.sqrt(6 / (inDim + hidden));
  const g2 = Math.sqrt(6 / (hidden + outDim));
  const shapes = [[inDim, hidden], [hidden], [hidden, outDim], [outDim]];
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const paramCount = sizes.reduce((a, b) => a + b, 0);
  const macs = batch * (inDim * hidden + hidden * outDim);
  return {
    id: 'W6',
    name: 'MLP training step',
    description:
      `one Adam step of the W2 MLP (${inDim}->${hidden} relu ->${outDim}) on softmax cross-entropy, batch ${batch}: ` +
      'forward, backward, update; result: the new parameters',
    kind: 'run',
    inputs: TRAIN_INPUTS.map((name, i) => ({
      name,
      shape: i === 0 ? [batch, inDim] : i === 1 ? [batch, outDim] : shapes[(i - 2) % 4]!,
    })),
    outputShape: [paramCount],
    makeInputs: () => [
      uniform(batch * inDim, 0, 1, 61),
      oneHot(batch, outDim, 62),
      uniform(sizes[0]!, -g1, g1, 63),
      uniform(sizes[1]!, -0.1, 0.1, 64),
      uniform(sizes[2]!, -g2, g2, 65),
      uniform(sizes[3]!, -0.1, 0.1, 66),
      // Moments as after some training, so the step's size depends on the gradient's value (not only its sign).
      ...sizes.map((n, i) => uniform(n, -1e-3, 1e-3, 67 + i)),
      ...sizes.map((n, i) => uniform(n, 1e-5, 1e-4, 71 + i)),
    ],
    reference: (inputs) => trainStepReference(inputs),
    // 1% of the learning rate: a wrong gradient moves a parameter by up to lr.
    tolerance: { atol: 1e-5, rtol: 1e-4 },
    // Read: batch, parameters, moments; written: parameters and moments (in place or not).
    bytes: 4 * (batch * (inDim + outDim) + 3 * paramCount + 3 * paramCount),
    // Forward 2 MACs per weight and row; backward twice that (input and weight gradients).
    flops: 2 * macs * 3,
    limit: 'fma',
    perRun: 1,
  };
}
