import type { Contender, Session, Workload } from '../types.js';
import { compileFusedChain } from '../workloads/chain.js';
import { LN_EPS } from '../workloads/normalize.js';
import { unsupportedUnless } from './util.js';

/** W1 as one hand-written loop. */
export function w1Loop(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const a = v * 2 + 1;
    out[i] = (a > 0 ? a : 0) * (1 / (1 + Math.exp(-v))) - 0.5;
  }
}

export function softmaxLoop(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mx = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) mx = Math.max(mx, x[o + c]!);
    let z = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(x[o + c]! - mx);
      out[o + c] = e;
      z += e;
    }
    const inv = 1 / z;
    for (let c = 0; c < cols; c++) out[o + c]! *= inv;
  }
}

export function layerNormLoop(
  x: Float32Array,
  out: Float32Array,
  rows: number,
  cols: number,
  eps = LN_EPS,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[o + c]!;
    const mean = s / cols;
    let v = 0;
    for (let c = 0; c < cols; c++) {
      const d = x[o + c]! - mean;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / cols + eps);
    for (let c = 0; c < cols; c++) out[o + c] = (x[o + c]! - mean) * inv;
  }
}

type Kernel = (x: Float32Array, out: Float32Array) => void;

function kernelFor(w: Workload): Kernel {
  switch (w.id) {
    case 'W1':
      return w1Loop;
    case 'W3':
      return compileFusedChain(w.chain!);
    case 'W4a': {
      const [rows, cols] = w.inputs[0]!.shape as [number, number];
      return (x, out) => softmaxLoop(x, out, rows, cols);
    }
    case 'W4b': {
      const [rows, cols] = w.inputs[0]!.shape as [number, number];
      return (x, out) => layerNormLoop(x, out, rows, cols);
    }
    default:
      throw new Error(`js-fused: no loop for ${w.id}`);
  }
}

/**
 * The hand-written reference: one fused loop per workload, float32 storage, no library. Warm runs write
 * into one preallocated output; cold runs allocate a fresh output (and pay its page faults).
 */
export const jsFused: Contender = {
  id: 'js-fused',
  label: 'hand-written fused JS loop',
  group: 'reference',
  threads: 1,
  async load() {},
  unsupported: unsupportedUnless(['W1', 'W3', 'W4a', 'W4b', 'W5'], 'see the naive i-k-j matmul row'),
  async setup(w, inputs): Promise<Session> {
    const kernel = kernelFor(w);
    const n = w.outputShape.reduce((a, b) => a * b, 1);
    const x = inputs[0]!;
    let out = new Float32Array(n);
    return {
      run: () => kernel(x, out),
      result: () => out,
      runFresh(fresh) {
        out = new Float32Array(n);
        kernel(fresh[0]!, out);
      },
      dispose() {},
    };
  },
  /** W5 baseline: the codegen alone, i.e. `new Function` of the straight-line fused loop, then one run. */
  async compile(_w, ops, x) {
    const out = new Float32Array(x.length);
    compileFusedChain(ops)(x, out);
    return out;
  },
};
