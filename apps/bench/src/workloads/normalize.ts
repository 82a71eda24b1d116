import { uniform } from '../rng.js';
import type { Workload } from '../types.js';

export const NORM_ROWS = 1024;
export const NORM_COLS = 1024;
export const LN_EPS = 1e-5;

export function softmaxReference(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mx = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) mx = Math.max(mx, x[o + c]!);
    let z = 0;
    for (let c = 0; c < cols; c++) z += Math.exp(x[o + c]! - mx);
    for (let c = 0; c < cols; c++) out[o + c] = Math.exp(x[o + c]! - mx) / z;
  }
  return out;
}

/** (x - mean) / sqrt(var + eps) over the last axis, biased variance, no scale or shift. */
export function layerNormReference(
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  eps = LN_EPS,
): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mean = 0;
    for (let c = 0; c < cols; c++) mean += x[o + c]!;
    mean /= cols;
    let v = 0;
    for (let c = 0; c < cols; c++) v += (x[o + c]! - mean) ** 2;
    v /= cols;
    const inv = 1 / Math.sqrt(v + eps);
    for (let c = 0; c < cols; c++) out[o + c] = (x[o + c]! - mean) * inv;
  }
  return out;
}

export function softmax(rows = NORM_ROWS, cols = NORM_COLS): Workload {
  return {
    id: 'W4a',
    name: 'softmax',
    description: `softmax over the last axis of [${rows},${cols}] float32`,
    kind: 'run',
    inputs: [{ name: 'x', shape: [rows, cols] }],
    outputShape: [rows, cols],
    makeInputs: () => [uniform(rows * cols, -4, 4, 41)],
    reference: ([x]) => softmaxReference(x!, rows, cols),
    tolerance: { atol: 1e-6, rtol: 1e-4 },
    bytes: 2 * 4 * rows * cols,
    // max, sub, exp, sum, div per element (exp counted as 1)
    flops: 5 * rows * cols,
    limit: 'bandwidth',
    perRun: 1,
  };
}

export function layerNorm(rows = NORM_ROWS, cols = NORM_COLS): Workload {
  return {
    id: 'W4b',
    name: 'layerNorm',
    description: `layerNorm over the last axis of [${rows},${cols}] float32 (eps 1e-5, no affine)`,
    kind: 'run',
    inputs: [{ name: 'x', shape: [rows, cols] }],
    outputShape: [rows, cols],
    makeInputs: () => [uniform(rows * cols, -4, 4, 42)],
    reference: ([x]) => layerNormReference(x!, rows, cols),
    tolerance: { atol: 1e-4, rtol: 1e-4 },
    bytes: 2 * 4 * rows * cols,
    // sum, sub, square, sum, sub, mul per element
    flops: 6 * rows * cols,
    limit: 'bandwidth',
    perRun: 1,
  };
}
