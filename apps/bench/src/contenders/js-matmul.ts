import type { Contender, Session } from '../types.js';
import { unsupportedUnless } from './util.js';

/** C[m,n] (+)= A[m,k] @ B[k,n] in the naive i-k-j order on float32 arrays. */
export function matmulIKJ(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += av * b[bp + j]!;
    }
  }
}

/** softmax(relu(x @ w1 + b1) @ w2 + b2) with naive i-k-j matmuls; `h` and `out` are caller-provided. */
export function mlpNaive(
  [x, w1, b1, w2, b2]: Float32Array[],
  h: Float32Array,
  out: Float32Array,
  batch: number,
  inDim: number,
  hidden: number,
  outDim: number,
): void {
  matmulIKJ(x!, w1!, h, batch, inDim, hidden);
  for (let i = 0; i < batch; i++) {
    for (let j = 0; j < hidden; j++) {
      const v = h[i * hidden + j]! + b1![j]!;
      h[i * hidden + j] = v > 0 ? v : 0;
    }
  }
  matmulIKJ(h, w2!, out, batch, hidden, outDim);
  for (let i = 0; i < batch; i++) {
    const o = i * outDim;
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < outDim; j++) {
      out[o + j]! += b2![j];
      mx = Math.max(mx, out[o + j]!);
    }
    let z = 0;
    for (let j = 0; j < outDim; j++) {
      const e = Math.exp(out[o + j]! - mx);
      out[o + j] = e;
      z += e;
    }
    for (let j = 0; j < outDim; j++) out[o + j]! /= z;
  }
}

/** The W2 reference: the textbook i-k-j matmul in plain JS, bias/relu/softmax as loops. */
export const jsMatmul: Contender = {
  id: 'js-matmul',
  label: 'naive i-k-j JS matmul',
  group: 'reference',
  threads: 1,
  async load() {},
  unsupported: unsupportedUnless(['W2'], 'matmul reference only'),
  async setup(w, inputs): Promise<Session> {
    const [batch, inDim] = w.inputs[0]!.shape as [number, number];
    const hidden = w.inputs[2]!.shape[0]!;
    const outDim = w.inputs[4]!.shape[0]!;
    let h = new Float32Array(batch * hidden);
    let out = new Float32Array(batch * outDim);
    return {
      run: () => mlpNaive(inputs, h, out, batch, inDim, hidden, outDim),
      result: () => out,
      runFresh(fresh) {
        h = new Float32Array(batch * hidden);
        out = new Float32Array(batch * outDim);
        mlpNaive(fresh, h, out, batch, inDim, hidden, outDim);
      },
      dispose() {},
    };
  },
};
