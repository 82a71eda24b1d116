import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import { binary, broadcastTo, rank, transpose } from './build.js';

/**
 * Resize (and Upsample) as one interpolation matrix per resized axis: the weights are computed at
 * import from ONNX's coordinate transform and kernel (nearest, linear, cubic; neighbours clamped to
 * the edge as ONNX's reference does), and applied as a matmul along the axis.
 */

interface AxisPlan {
  inLen: number;
  outLen: number;
  /** The output length before flooring (in * scale when scales are given), as ONNX's align_corners uses it. */
  outExact: number;
  scale: number;
  roi: [number, number];
}

interface Mode {
  mode: string;
  transform: string;
  nearest: string;
  cubicA: number;
  excludeOutside: boolean;
  extrapolation: number;
}

function original(x: number, p: AxisPlan, transform: string): number {
  const { inLen, outExact: outLen, scale } = p;
  switch (transform) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outLen === 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
    case 'asymmetric':
      return x / scale;
    case 'tf_half_pixel_for_nn':
      return (x + 0.5) / scale;
    case 'tf_crop_and_resize': {
      const [s, e] = p.roi;
      return outLen > 1
        ? s * (inLen - 1) + (x * (e - s) * (inLen - 1)) / (outLen - 1)
        : 0.5 * (s + e) * (inLen - 1);
    }
    default:
      throw new Error(`coordinate_transformation_mode '${transform}'`);
  }
}

function nearestIndex(x: number, mode: string): number {
  switch (mode) {
    case 'round_prefer_ceil':
      return Math.floor(x + 0.5);
    case 'floor':
      return Math.floor(x);
    case 'ceil':
      return Math.ceil(x);
    default:
      return x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
  }
}

function cubicCoefficients(r: number, a: number): number[] {
  const far = (t: number) => ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  const near = (t: number) => ((a + 2) * t - (a + 3)) * t * t + 1;
  return [far(r + 1), near(r), near(1 - r), far(2 - r)];
}

/** Row o of the [outLen, inLen] weight matrix, or undefined for an extrapolated position. */
function weights(o: number, p: AxisPlan, m: Mode): Map<number, number> | undefined {
  const x = original(o, p, m.transform);
  if (m.transform === 'tf_crop_and_resize' && (x < 0 || x > p.inLen - 1)) return undefined;
  const clamp = (i: number) => Math.min(Math.max(i, 0), p.inLen - 1);
  const row = new Map<number, number>();
  if (m.mode === 'nearest') {
    row.set(clamp(nearestIndex(x, m.nearest)), 1);
    return row;
  }
  const base = Math.floor(x);
  const r = x - base;
  const taps = m.mode === 'linear' ? [base, base + 1] : [base - 1, base, base + 1, base + 2];
  let coeffs = m.mode === 'linear' ? [1 - r, r] : cubicCoefficients(r, m.cubicA);
  if (m.excludeOutside) {
    coeffs = coeffs.map((c, k) => (taps[k]! < 0 || taps[k]! >= p.inLen ? 0 : c));
    const total = coeffs.reduce((s, c) => s + c, 0);
    coeffs = coeffs.map((c) => c / total);
  }
  taps.forEach((t, k) => {
    row.set(clamp(t), (row.get(clamp(t)) ?? 0) + coeffs[k]!);
  });
  return row;
}

function resizeAxis(e: Emitter, x: Val, axis: number, p: AxisPlan, m: Mode): Val {
  const matrix = new Array<number>(p.inLen * p.outLen).fill(0);
  const outside = new Array<number>(p.outLen).fill(0);
  for (let o = 0; o < p.outLen; o++) {
    const row = weights(o, p, m);
    if (!row) outside[o] = 1;
    else for (const [i, w] of row) matrix[i * p.outLen + o] = w;
  }
  const r = rank(x);
  const perm = [...Array(r).keys()].filter((i) => i !== axis).concat(axis);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  let y = e.op('matmul', [transpose(e, x, perm), e.constant(matrix, [p.inLen, p.outLen], 'float32')]);
  if (outside.some((v) => v !== 0)) {
    const fill = e.constant(
      outside.map((v) => v * m.extrapolation),
      [p.outLen],
      'float32',
    );
    y = binary(e, 'add', y, broadcastTo(e, fill, y.type.shape));
  }
  return transpose(e, y, inverse);
}

function resize(ctx: NodeContext, scalesAt: number, sizesAt: number, roiAt: number): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const shape = x.type.shape;
  const scalesIn = ctx.optional(scalesAt);
  const sizesIn = ctx.optional(sizesAt);
  const roiIn = roiAt >= 0 ? ctx.optional(roiAt) : undefined;
  const scales0 = scalesIn && scalesIn.type.shape[0] !== 0 ? e.known(scalesIn, 'Resize scales') : undefined;
  const sizes = sizesIn && sizesIn.type.shape[0] !== 0 ? e.known(sizesIn, 'Resize sizes') : undefined;
  const scales = scales0 ?? ctx.floats('scales');
  const roi = roiIn && roiIn.type.shape[0] !== 0 ? e.known(roiIn, 'Resize roi') : undefined;
  const legacy = ctx.opType === 'Upsample' || ctx.opset < 11;
  const m: Mode = {
    mode: ctx.string('mode', 'nearest'),
    transform: legacy ? 'asymmetric' : ctx.string('coordinate_transformation_mode', 'half_pixel'),
    nearest: legacy ? 'floor' : ctx.string('nearest_mode', 'round_prefer_floor'),
    cubicA: ctx.float('cubic_coeff_a', -0.75),
    excludeOutside: ctx.int('exclude_outside', 0) !== 0,
    extrapolation: ctx.float('extrapolation_value', 0),
  };
  if (m.mode !== 'nearest' && m.mode !== 'linear' && m.mode !== 'cubic')
    throw ctx.unsupported(`mode '${m.mode}'`);
  if (!scales && !sizes) throw ctx.unsupported('neither scales nor sizes given');
  if (x.type.dtype !== 'float32') throw ctx.unsupported('only float inputs are resized');
  let y = x;
  shape.forEach((inLen, axis) => {
    const outLen = sizes ? sizes[axis]! : Math.floor(inLen * scales![axis]!);
    const scale = sizes ? outLen / inLen : scales![axis]!;
    if (outLen === inLen && scale === 1 && m.transform !== 'tf_crop_and_resize') return;
    const plan = {
      inLen,
      outLen,
      outExact: sizes ? outLen : inLen * scale,
      scale,
      roi: [roi?.[axis] ?? 0, roi?.[axis + shape.length] ?? 1] as [number, number],
    };
    y = resizeAxis(e, y, axis, plan, m);
  });
  return y;
}

export const RESIZE_OPS: Record<string, OpMapping> = {
  Resize: (ctx) => (ctx.opset < 11 ? resize(ctx, 1, -1, -1) : resize(ctx, 2, 3, 1)),
  Upsample: (ctx) => resize(ctx, 1, -1, -1),
};
