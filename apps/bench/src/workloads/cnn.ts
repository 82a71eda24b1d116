import { uniform } from '../rng.js';
import type { Workload } from '../types.js';

/**
 * W7: a small CNN on MNIST-sized images, NCHW: conv3x3(pad 1)+bias, relu, maxpool 2x2, twice, then
 * a dense layer: x[batch,1,28,28] -> [batch,c1,14,14] -> [batch,c2,7,7] -> flatten -> [batch,10].
 */
export const CNN = { batch: 32, size: 28, c1: 8, c2: 16, outDim: 10 } as const;

type Dims = { batch: number; size: number; c1: number; c2: number; outDim: number };

/** conv3x3, stride 1, zero pad 1, + bias, relu, then 2x2 max pooling: float64 loops. */
function convReluPool(
  x: Float64Array,
  n: number,
  cin: number,
  hw: number,
  w: Float32Array,
  b: Float32Array,
  cout: number,
): Float64Array {
  const conv = new Float64Array(n * cout * hw * hw);
  for (let i = 0; i < n; i++)
    for (let o = 0; o < cout; o++)
      for (let y = 0; y < hw; y++)
        for (let xx = 0; xx < hw; xx++) {
          let s = b[o]!;
          for (let c = 0; c < cin; c++)
            for (let ky = 0; ky < 3; ky++)
              for (let kx = 0; kx < 3; kx++) {
                const iy = y + ky - 1;
                const ix = xx + kx - 1;
                if (iy < 0 || iy >= hw || ix < 0 || ix >= hw) continue;
                s += x[((i * cin + c) * hw + iy) * hw + ix]! * w[((o * cin + c) * 3 + ky) * 3 + kx]!;
              }
          conv[((i * cout + o) * hw + y) * hw + xx] = Math.max(0, s);
        }
  const half = hw / 2;
  const out = new Float64Array(n * cout * half * half);
  for (let p = 0; p < n * cout; p++)
    for (let y = 0; y < half; y++)
      for (let xx = 0; xx < half; xx++) {
        const at = (dy: number, dx: number) => conv[(p * hw + 2 * y + dy) * hw + 2 * xx + dx]!;
        out[(p * half + y) * half + xx] = Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1));
      }
  return out;
}

/** The CNN in float64. Inputs: x, w1, b1, w2, b2, w3, b3 (row-major; w3 is [c2*7*7, 10]). */
export function cnnReference([x, w1, b1, w2, b2, w3, b3]: Float32Array[], d: Dims = CNN): Float64Array {
  const h1 = convReluPool(Float64Array.from(x!), d.batch, 1, d.size, w1!, b1!, d.c1);
  const h2 = convReluPool(h1, d.batch, d.c1, d.size / 2, w2!, b2!, d.c2);
  const flat = (d.c2 * d.size * d.size) / 16;
  const out = new Float64Array(d.batch * d.outDim);
  for (let i = 0; i < d.batch; i++)
    for (let o = 0; o < d.outDim; o++) {
      let s = b3![o]!;
      for (let k = 0; k < flat; k++) s += h2[i * flat + k]! * w3![k * d.outDim + o]!;
      out[i * d.outDim + o] = s;
    }
  return out;
}

export function cnn(): Workload {
  const { batch, size, c1, c2, outDim } = CNN;
  const flat = (c2 * size * size) / 16;
  const g1 = Math.sqrt(6 / (9 + 9 * c1));
  const g2 = Math.sqrt(6 / (9 * c1 + 9 * c2));
  const g3 = Math.sqrt(6 / (flat + outDim));
  const macs = batch * (c1 * size * size * 9 + c2 * c1 * (size / 2) ** 2 * 9 + flat * outDim);
  return {
    id: 'W7',
    name: 'small CNN inference',
    description: `x[${batch}x1x${size}x${size}] -> conv3x3(${c1})+relu+maxpool2 -> conv3x3(${c2})+relu+maxpool2 -> dense ${flat}->${outDim}`,
    kind: 'run',
    inputs: [
      { name: 'x', shape: [batch, 1, size, size] },
      { name: 'w1', shape: [c1, 1, 3, 3] },
      { name: 'b1', shape: [c1] },
      { name: 'w2', shape: [c2, c1, 3, 3] },
      { name: 'b2', shape: [c2] },
      { name: 'w3', shape: [flat, outDim] },
      { name: 'b3', shape: [outDim] },
    ],
    outputShape: [batch, outDim],
    makeInputs: () => [
      uniform(batch * size * size, 0, 1, 71),
      uniform(c1 * 9, -g1, g1, 72),
      uniform(c1, -0.1, 0.1, 73),
      uniform(c2 * c1 * 9, -g2, g2, 74),
      uniform(c2, -0.1, 0.1, 75),
      uniform(flat * outDim, -g3, g3, 76),
      uniform(outDim, -0.1, 0.1, 77),
    ],
    reference: (inputs) => cnnReference(inputs),
    tolerance: { atol: 1e-4, rtol: 1e-3 },
    bytes:
      4 * (batch * size * size + c1 * 9 + c1 + c2 * c1 * 9 + c2 + flat * outDim + outDim + batch * outDim),
    flops: 2 * macs,
    limit: 'fma',
    perRun: 1,
  };
}
