import type { WindowPads } from '@paradox/ir';
import { apply } from './apply.js';
import { userEntry } from './call-site.js';
import { TensorArgumentError } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * Windowed ops on [N, C, ...spatial] tensors (1 to 3 spatial axes), ONNX semantics and layouts:
 * conv weights are [M, C / groups, ...kernel], convTranspose weights [C, M / groups, ...kernel].
 * A per-axis option may be one number for every spatial axis. `pads` is per axis: a number (both
 * sides), a [before, after] pair, or the whole list of pairs; or 'same_upper' | 'same_lower' |
 * 'valid' (ONNX auto_pad).
 */

type PerAxis = number | readonly number[];
type PadSpec =
  | number
  | readonly (number | readonly [number, number])[]
  | 'same_upper'
  | 'same_lower'
  | 'valid';

export interface WindowOptions {
  strides?: PerAxis;
  dilations?: PerAxis;
  pads?: PadSpec;
}

export interface ConvOptions extends WindowOptions {
  groups?: number;
  /** [M], added per output channel (fused into the conv's kernel as its epilogue). */
  bias?: Tensor;
}

export interface ConvTransposeOptions extends ConvOptions {
  outputPadding?: PerAxis;
  /** The spatial output size: pads are derived from it as ONNX does (explicit pads are ignored). */
  outputShape?: readonly number[];
}

export interface PoolOptions extends WindowOptions {
  ceilMode?: boolean;
}

export interface AvgPoolOptions extends PoolOptions {
  countIncludePad?: boolean;
}

export interface CumsumOptions {
  exclusive?: boolean;
  reverse?: boolean;
}

function requireTensor(op: string, name: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TensorArgumentError(op, `${name} is not a Tensor`);
}

function spatial(op: string, x: Tensor): number {
  requireTensor(op, 'the input', x);
  const n = x.rank - 2;
  if (n < 1 || n > 3) {
    throw new TensorArgumentError(
      op,
      `input must be [N, C, ...spatial] with 1 to 3 spatial axes, got rank ${x.rank}`,
    );
  }
  return n;
}

function perAxis(op: string, field: string, v: PerAxis | undefined, n: number, fallback: number): number[] {
  if (v === undefined) return new Array<number>(n).fill(fallback);
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  if (v.length !== n)
    throw new TensorArgumentError(op, `'${field}' has ${v.length} entries for ${n} spatial axes`);
  return [...v];
}

function padsOf(op: string, pads: PadSpec | undefined, n: number): WindowPads {
  if (typeof pads === 'string') return pads;
  if (pads === undefined || typeof pads === 'number')
    return new Array(n).fill(0).map(() => [pads ?? 0, pads ?? 0]);
  if (pads.length !== n)
    throw new TensorArgumentError(op, `'pads' has ${pads.length} entries for ${n} spatial axes`);
  return pads.map((p) => (typeof p === 'number' ? [p, p] : [p[0], p[1]]));
}

function windowAttrs(op: string, x: Tensor, opts: WindowOptions) {
  const n = spatial(op, x);
  return {
    strides: perAxis(op, 'strides', opts.strides, n, 1),
    dilations: perAxis(op, 'dilations', opts.dilations, n, 1),
    pads: padsOf(op, opts.pads, n),
  };
}

function addBias(op: string, y: Tensor, bias: Tensor | undefined): Tensor {
  if (bias === undefined) return y;
  requireTensor(op, 'bias', bias);
  return y.add(bias.reshape([-1, ...y.shape.slice(2).map(() => 1)]));
}

/**
 * ONNX Conv: cross-correlation of x [N, C, ...S] with w [M, C / groups, ...K], plus an optional bias.
 * @function
 */
export const conv = userEntry(function conv(x: Tensor, w: Tensor, opts: ConvOptions = {}): Tensor {
  requireTensor('conv', 'the weights', w);
  const attrs = { ...windowAttrs('conv', x, opts), groups: opts.groups ?? 1 };
  return addBias('conv', apply('conv', [x, w], attrs), opts.bias);
});

/**
 * ONNX ConvTranspose (the gradient of conv with respect to its input), plus an optional bias.
 * @function
 */
export const convTranspose = userEntry(function convTranspose(
  x: Tensor,
  w: Tensor,
  opts: ConvTransposeOptions = {},
): Tensor {
  requireTensor('convTranspose', 'the weights', w);
  const base = windowAttrs('convTranspose', x, opts);
  const n = base.strides.length;
  let outputPadding = perAxis('convTranspose', 'outputPadding', opts.outputPadding, n, 0);
  let pads = base.pads;
  if (opts.outputShape !== undefined) {
    ({ pads, outputPadding } = padsForOutputShape(x, w, base, outputPadding, opts));
  }
  const attrs = { ...base, pads, outputPadding, groups: opts.groups ?? 1 };
  return addBias('convTranspose', apply('convTranspose', [x, w], attrs), opts.bias);
});

/**
 * ONNX's pads for a requested output shape: total = stride * (in - 1) + outputPadding + extent - out,
 * split with the odd element at the end for same_upper, at the start otherwise; a negative end pad
 * (the output is longer than the full scatter) becomes extra output padding.
 */
function padsForOutputShape(
  x: Tensor,
  w: Tensor,
  win: { strides: number[]; dilations: number[] },
  outputPadding: number[],
  opts: ConvTransposeOptions,
): { pads: [number, number][]; outputPadding: number[] } {
  const target = opts.outputShape!;
  const n = win.strides.length;
  if (target.length !== n) {
    throw new TensorArgumentError(
      'convTranspose',
      `'outputShape' has ${target.length} entries for ${n} spatial axes`,
    );
  }
  const extra = [...outputPadding];
  const pads = target.map((out, i): [number, number] => {
    const extent = (w.shape[i + 2]! - 1) * win.dilations[i]! + 1;
    const total = win.strides[i]! * (x.shape[i + 2]! - 1) + outputPadding[i]! + extent - out;
    const half = Math.floor(total / 2);
    const [before, after] = opts.pads === 'same_upper' ? [half, total - half] : [total - half, half];
    if (before < 0) {
      throw new TensorArgumentError('convTranspose', `'outputShape' ${out} on axis ${i} is out of reach`);
    }
    if (after < 0) extra[i] = extra[i]! - after;
    return [before, Math.max(0, after)];
  });
  return { pads, outputPadding: extra };
}

/**
 * ONNX MaxPool over `kernel` windows (padding never wins).
 * @function
 */
export const maxPool = userEntry(function maxPool(
  x: Tensor,
  kernel: PerAxis,
  opts: PoolOptions = {},
): Tensor {
  const win = windowAttrs('maxPool', x, opts);
  const k = perAxis('maxPool', 'kernel', kernel, win.strides.length, 1);
  return apply('maxPool', [x], { kernel: k, ...win, ceilMode: opts.ceilMode ?? false });
});

/**
 * ONNX AveragePool over `kernel` windows; padding is left out of the count unless countIncludePad.
 * @function
 */
export const avgPool = userEntry(function avgPool(
  x: Tensor,
  kernel: PerAxis,
  opts: AvgPoolOptions = {},
): Tensor {
  const win = windowAttrs('avgPool', x, opts);
  const k = perAxis('avgPool', 'kernel', kernel, win.strides.length, 1);
  return apply('avgPool', [x], {
    kernel: k,
    ...win,
    ceilMode: opts.ceilMode ?? false,
    countIncludePad: opts.countIncludePad ?? false,
  });
});

function spatialAxes(op: string, x: Tensor): number[] {
  if (x.rank < 3) throw new TensorArgumentError(op, `input must be [N, C, ...spatial], got rank ${x.rank}`);
  return Array.from({ length: x.rank - 2 }, (_, i) => i + 2);
}

/**
 * ONNX GlobalMaxPool: the max over every spatial axis, kept as size 1.
 * @function
 */
export const globalMaxPool = userEntry(function globalMaxPool(x: Tensor): Tensor {
  requireTensor('globalMaxPool', 'the input', x);
  return x.max(spatialAxes('globalMaxPool', x), true);
});

/**
 * ONNX GlobalAveragePool: the mean over every spatial axis, kept as size 1.
 * @function
 */
export const globalAvgPool = userEntry(function globalAvgPool(x: Tensor): Tensor {
  requireTensor('globalAvgPool', 'the input', x);
  return x.mean(spatialAxes('globalAvgPool', x), true);
});

/**
 * ONNX CumSum along `axis` (negative counts from the end).
 * @function
 */
export const cumsum = userEntry(function cumsum(x: Tensor, axis: number, opts: CumsumOptions = {}): Tensor {
  requireTensor('cumsum', 'the input', x);
  return apply('cumsum', [x], { axis, exclusive: opts.exclusive ?? false, reverse: opts.reverse ?? false });
});
