import { exp32 } from '@paradox/backend-js';
import type { Contender, Session, Workload } from '../types.js';
import { compileFusedChain } from '../workloads/chain.js';
import { LN_EPS } from '../workloads/normalize.js';
import { unsupportedUnless } from './util.js';

/**
 * W1 as the same loop with the scalar tricks Paradox's JS kernels use: the table-driven float32 exp
 * and a branch-free relu (random signs make `a > 0 ? a : 0` a mispredicted branch per element). It
 * separates what fusion buys from what those tricks buy.
 */
export function w1LoopTuned(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const a = v * 2 + 1;
    out[i] = (a + Math.abs(a)) * 0.5 * (1 / (1 + exp32(-v))) - 0.5;
  }
}

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

/** A hand-written loop contender: warm runs write into one preallocated output; cold runs allocate a fresh one (and pay its page faults). */
function handLoop(
  id: string,
  label: string,
  kernelFor: (w: Workload) => Kernel,
  supported: string[],
  why: string,
): Contender {
  return {
    id,
    label,
    group: 'reference',
    threads: 1,
    async load() {},
    unsupported: unsupportedUnless(supported, why),
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
  };
}

/** The hand-written reference: one fused loop per workload, float32 storage, no library. */
export const jsFused: Contender = {
  ...handLoop(
    'js-fused',
    'hand-written fused JS loop',
    kernelFor,
    ['W1', 'W3', 'W4a', 'W4b', 'W5'],
    'see the naive i-k-j matmul row',
  ),
  /** W5 baseline: the codegen alone, i.e. `new Function` of the straight-line fused loop, then one run. */
  async compile(_w, ops, x) {
    const out = new Float32Array(x.length);
    compileFusedChain(ops)(x, out);
    return out;
  },
};

/** W1's hand-written loop with Paradox's exp and relu (see w1LoopTuned). */
export const jsFusedTuned: Contender = handLoop(
  'js-fused-tuned',
  'hand-written fused JS loop, table exp',
  () => w1LoopTuned,
  ['W1'],
  'W1 only: the loop that uses the same exp and relu as the JS backend',
);
