import { userEntry } from './call-site.js';
import { TensorArgumentError } from './errors.js';
import type { Tensor } from './tensor.js';

/** Per-channel parameters ([C]) shaped to broadcast against x = [N, C, ...spatial]. */
function perChannel(method: string, x: Tensor, name: string, p: Tensor): Tensor {
  const c = x.shape[1];
  if (p.rank !== 1 || p.shape[0] !== c)
    throw new TensorArgumentError(
      method,
      `${name} must have shape [${c}] (x's channels), got [${p.shape.join(',')}]`,
    );
  return p.reshape([c!, ...new Array<number>(x.rank - 2).fill(1)]);
}

function requireChannels(method: string, x: Tensor): void {
  if (x.rank < 2)
    throw new TensorArgumentError(method, `x must be [N, C, ...] (rank >= 2), got rank ${x.rank}`);
}

export interface BatchNormParams {
  scale: Tensor;
  bias: Tensor;
  /** Running statistics the layer was trained to. */
  mean: Tensor;
  variance: Tensor;
  /** Default 1e-5 (ONNX). */
  eps?: number;
}

/**
 * ONNX BatchNormalization in inference mode over x = [N, C, ...]: per channel c,
 * scale[c] * (x - mean[c]) / sqrt(variance[c] + eps) + bias[c], in ONNX's order of operations.
 * @function
 */
export const batchNorm = userEntry(function batchNorm(
  x: Tensor,
  { scale, bias, mean, variance, eps = 1e-5 }: BatchNormParams,
): Tensor {
  requireChannels('batchNorm', x);
  const p = (name: string, t: Tensor) => perChannel('batchNorm', x, name, t);
  const std = p('variance', variance).add(eps).sqrt();
  return p('scale', scale)
    .mul(x.sub(p('mean', mean)))
    .div(std)
    .add(p('bias', bias));
});

export interface InstanceNormParams {
  scale: Tensor;
  bias: Tensor;
  /** Default 1e-5 (ONNX). */
  eps?: number;
}

/**
 * ONNX InstanceNormalization over x = [N, C, ...spatial]: each (n, c) plane is normalized by its
 * own mean and population variance over the spatial axes: scale[c] * (x - mean) / sqrt(var + eps)
 * + bias[c], in ONNX's order of operations.
 * @function
 */
export const instanceNorm = userEntry(function instanceNorm(
  x: Tensor,
  { scale, bias, eps = 1e-5 }: InstanceNormParams,
): Tensor {
  requireChannels('instanceNorm', x);
  if (x.rank < 3) throw new TensorArgumentError('instanceNorm', `x needs spatial axes, got rank ${x.rank}`);
  const spatial = x.shape.slice(2).map((_, i) => i + 2);
  const mean = x.mean(spatial, true);
  const variance = x.variance(spatial, true);
  return perChannel('instanceNorm', x, 'scale', scale)
    .mul(x.sub(mean))
    .div(variance.add(eps).sqrt())
    .add(perChannel('instanceNorm', x, 'bias', bias));
});
