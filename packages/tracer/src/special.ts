import { apply } from './apply.js';
import { userEntry } from './call-site.js';
import type { TensorLike } from './operands.js';
import type { Tensor } from './tensor.js';

/**
 * The Gauss error function (float32 formula from @paradox/ir's registry; float operands only).
 * @function
 */
export const erf = userEntry(function erf(x: Tensor): Tensor {
  return apply('erf', [x]);
});

export interface GeluOptions {
  /** 'none' (default): exact, x * (1 + erf(x / sqrt 2)) / 2; 'tanh': the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/**
 * GELU (ONNX Gelu, PyTorch's gelu): exact through erf by default, or the tanh approximation (`x.gelu()`).
 * @function
 */
export const gelu = userEntry(function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  if (options.approximate === 'tanh') return x.gelu();
  return x.mul(erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5);
});

/**
 * ONNX Clip: min(max(x, lo), hi), each bound optional (a number or a tensor broadcast against x).
 * NaN stays NaN; with lo > hi every element is hi (as ONNX).
 * @function
 */
export const clip = userEntry(function clip(x: Tensor, lo?: TensorLike, hi?: TensorLike): Tensor {
  const low = lo === undefined ? x : x.maximum(lo);
  return hi === undefined ? low : low.minimum(hi);
});
