import type { Backend } from '@paradox/backend';
import type { DType } from '@paradox/ir';
import { Tensor } from '@paradox/tracer';
import { CLASSES, PIXELS } from './fashion-mnist.js';

export const HIDDEN = 256;

export type Params = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };

/** A deterministic stream in [0, 1) (runs are reproducible). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) / 2 ** 24;
  };
}

/** A tensor whose storage is a buffer of `backend`, so a compiled step on it reads it without a copy. */
export function onBackend(
  backend: Backend,
  data: Float32Array | Int32Array,
  shape: number[],
  dtype: DType = 'float32',
): Tensor {
  const buffer = backend.allocate(dtype, data.length);
  backend.upload(buffer, data);
  return new Tensor({ dtype, shape }, { kind: 'device', backend, buffer });
}

/** He-uniform weights for the ReLU layer, Glorot-uniform for the output layer, zero biases. */
export function initParams(backend: Backend, seed = 1): Params {
  const next = seeded(seed);
  const uniform = (n: number, limit: number) =>
    Float32Array.from({ length: n }, () => (2 * next() - 1) * limit);
  return {
    w1: onBackend(backend, uniform(PIXELS * HIDDEN, Math.sqrt(6 / PIXELS)), [PIXELS, HIDDEN]),
    b1: onBackend(backend, new Float32Array(HIDDEN), [HIDDEN]),
    w2: onBackend(backend, uniform(HIDDEN * CLASSES, Math.sqrt(6 / (HIDDEN + CLASSES))), [HIDDEN, CLASSES]),
    b2: onBackend(backend, new Float32Array(CLASSES), [CLASSES]),
  };
}

const logits = (p: Params, x: Tensor): Tensor => x.matmul(p.w1).add(p.b1).relu().matmul(p.w2).add(p.b2);

/** Mean cross-entropy against one-hot labels. */
export function loss(p: Params, x: Tensor, oneHot: Tensor): Tensor {
  return logits(p, x).logSoftmax().mul(oneHot).sum(1).mean().neg();
}

/** The predicted class per row (int32). */
export const predict = (p: Params, x: Tensor): Tensor => logits(p, x).argmax(1);
