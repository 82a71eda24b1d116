import type { BuiltinOpAttrs, ConvAttrs } from '@paradox/ir';
import { apply, full, type Tensor, where } from '@paradox/tracer';
import type { DerivativeRule } from './rule-types.js';
import { unslice } from './rules-movement.js';

type WindowOp = 'conv' | 'convTranspose' | 'maxPool' | 'avgPool' | 'cumsum';
type Table = { [P in WindowOp]: DerivativeRule<BuiltinOpAttrs[P]> };
type Pads = [number, number][];
type Window = { strides: number[]; dilations: number[]; pads: Pads };

const extent = (k: number, d: number) => (k - 1) * d + 1;
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);

/** Keeps the first `sizes` elements of every spatial axis (a window op may cover a few more). */
function cropSpatial(t: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.every((s, i) => t.shape[i + 2] === s)) return t;
  return t.slice(
    sizes.map(() => 0),
    [...sizes],
    sizes.map(() => 1),
    sizes.map((_, i) => i + 2),
  );
}

/**
 * Per spatial axis, how far the last of `out` windows reaches past the end of `size` input
 * positions (negative: it stops short). End pads from it cover exactly the windows the op read.
 */
function overhang(win: Window, kernel: readonly number[], size: readonly number[], out: readonly number[]) {
  return size.map(
    (s, i) => win.strides[i]! * (out[i]! - 1) + extent(kernel[i]!, win.dilations[i]!) - win.pads[i]![0] - s,
  );
}

/**
 * The end pads and output padding that make a scatter of `out` windows (stride, dilation, kernel)
 * land exactly on `size` input positions: the transpose of the window op's geometry.
 */
function scatterGeometry(
  win: Window,
  size: readonly number[],
  out: readonly number[],
  kernel: readonly number[],
) {
  const reach = overhang(win, kernel, size, out);
  const pads = reach.map((r, i): [number, number] => [win.pads[i]![0], Math.max(0, r)]);
  return {
    strides: win.strides,
    dilations: win.dilations,
    pads,
    outputPadding: reach.map((r) => Math.max(0, -r)),
  };
}

/** d conv(x, w) / d w for cotangent g: a conv of x (channels as batch) with g as the weights. */
function convWeightGrad(x: Tensor, g: Tensor, kernel: readonly number[], attrs: ConvAttrs): Tensor {
  const win = attrs as ConvAttrs & Window;
  const [n, c, ...size] = x.shape as number[];
  const groups = attrs.groups;
  const sp = range(size.length, 3);
  const xs = x
    .reshape([n!, groups, c! / groups, ...size])
    .transpose([2, 1, 0, ...sp])
    .reshape([c! / groups, groups * n!, ...size]);
  const gs = g.transpose([1, 0, ...range(size.length, 2)]);
  const out = g.shape.slice(2);
  const pads = overhang(win, kernel, size, out).map((r, i): [number, number] => [
    win.pads[i]![0],
    Math.max(0, r),
  ]);
  const dw = apply('conv', [xs, gs], { strides: win.dilations, dilations: win.strides, pads, groups });
  return cropSpatial(dw, kernel).transpose([1, 0, ...range(size.length, 2)]);
}

type SliceAttrs = BuiltinOpAttrs['slice'];

/** x padded (with `value`) far enough that every pooling window, ceil-mode overhang included, is inside. */
function padForWindows(
  x: Tensor,
  attrs: BuiltinOpAttrs['maxPool'],
  out: readonly number[],
  value: number,
): Tensor {
  const win = attrs as BuiltinOpAttrs['maxPool'] & Window;
  const size = x.shape.slice(2);
  const pads = overhang(win, win.kernel, size, out).map((r, i): [number, number] => [
    win.pads[i]![0],
    Math.max(win.pads[i]![1], r),
  ]);
  return x.pad([[0, 0], [0, 0], ...pads], value);
}

/** The slice of the padded input that every window reads at kernel offset `k`. */
function tapAttrs(
  attrs: BuiltinOpAttrs['maxPool'],
  out: readonly number[],
  k: readonly number[],
): SliceAttrs {
  const starts = k.map((ki, i) => ki * attrs.dilations[i]!);
  return {
    starts: [0, 0, ...starts],
    stops: [null, null, ...starts.map((s, i) => s + (out[i]! - 1) * attrs.strides[i]! + 1)],
    steps: [1, 1, ...attrs.strides],
  };
}

/** Each window's first maximum (row-major kernel order) as one mask per kernel offset, with its tap. */
function argmaxMasks(x: Tensor, out: Tensor, attrs: BuiltinOpAttrs['maxPool']) {
  const outSize = out.shape.slice(2);
  const padded = padForWindows(x, attrs, outSize, Number.NEGATIVE_INFINITY);
  const offsets: number[][] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === attrs.kernel.length) offsets.push(prefix);
    else for (let k = 0; k < attrs.kernel[prefix.length]!; k++) walk([...prefix, k]);
  };
  walk([]);
  let taken: Tensor | undefined;
  return {
    padded,
    masks: offsets.map((k) => {
      const tap = tapAttrs(attrs, outSize, k);
      const hit = apply('slice', [padded], tap).eq(out);
      const first = taken === undefined ? hit : hit.and(taken.not());
      taken = taken === undefined ? hit : taken.or(hit);
      return { tap, first };
    }),
  };
}

const bilinearJvp =
  (op: 'conv' | 'convTranspose') =>
  (
    [tx, tw]: readonly (Tensor | undefined)[],
    [x, w]: readonly Tensor[],
    _out: Tensor,
    attrs: object,
  ): Tensor => {
    const a = attrs as Record<string, unknown>;
    const left = tx === undefined ? undefined : apply(op, [tx, w!], a);
    const right = tw === undefined ? undefined : apply(op, [x!, tw], a);
    return left && right ? left.add(right) : (left ?? right)!;
  };

export const windowRules: Table = {
  conv: {
    vjp: (ct, [x, w], _out, attrs, needs) => {
      const kernel = w!.shape.slice(2);
      const geometry = scatterGeometry(
        attrs as ConvAttrs & Window,
        x!.shape.slice(2),
        ct.shape.slice(2),
        kernel,
      );
      return [
        needs[0] ? apply('convTranspose', [ct, w!], { ...geometry, groups: attrs.groups }) : undefined,
        needs[1] ? convWeightGrad(x!, ct, kernel, attrs) : undefined,
      ];
    },
    jvp: bilinearJvp('conv'),
  },
  convTranspose: {
    vjp: (ct, [x, w], _out, attrs, needs) => {
      const { strides, dilations, pads, groups } = attrs;
      const conv = { strides, dilations, pads, groups };
      return [
        needs[0] ? cropSpatial(apply('conv', [ct, w!], conv), x!.shape.slice(2)) : undefined,
        needs[1] ? convWeightGrad(ct, x!, w!.shape.slice(2), conv) : undefined,
      ];
    },
    jvp: bilinearJvp('convTranspose'),
  },
  // The cotangent goes to each window's first maximum (as ONNX's MaxPool indices pick it).
  maxPool: {
    vjp: (ct, [x], out, attrs) => {
      const zero = full([], 0, ct.dtype);
      const { padded, masks } = argmaxMasks(x!, out, attrs);
      const pads = attrs.pads as Pads;
      let dx: Tensor | undefined;
      for (const m of masks) {
        const routed = unslice(where(m.first, ct, zero), padded.shape, m.tap).slice(
          [0, 0, ...pads.map(([before]) => before)],
          [null, null, ...x!.shape.slice(2).map((s, i) => pads[i]![0] + s)],
        );
        dx = dx === undefined ? routed : dx.add(routed);
      }
      return [dx];
    },
    jvp: ([t], [x], out, attrs) => {
      const zero = full([], 0, out.dtype);
      const { masks } = argmaxMasks(x!, out, attrs);
      const tangent = padForWindows(t!, attrs, out.shape.slice(2), 0);
      let y: Tensor | undefined;
      for (const m of masks) {
        const part = where(m.first, apply('slice', [tangent], m.tap), zero);
        y = y === undefined ? part : y.add(part);
      }
      return y!;
    },
  },
  // Each window spreads its cotangent over the count it averaged (a depthwise scatter of ones).
  avgPool: {
    vjp: (ct, [x], _out, attrs) => {
      const [n, c, ...size] = x!.shape as number[];
      const ones = full(x!.shape, 1, x!.dtype);
      const perWindow = apply('avgPool', [ones], attrs).div(sumPool(ones, attrs, ct.shape.slice(2)));
      const g = ct.mul(perWindow).reshape([n! * c!, 1, ...ct.shape.slice(2)]);
      const kernel = full([1, 1, ...attrs.kernel], 1, x!.dtype);
      const geometry = scatterGeometry(
        attrs as BuiltinOpAttrs['avgPool'] & Window,
        size,
        ct.shape.slice(2),
        attrs.kernel,
      );
      return [apply('convTranspose', [g, kernel], { ...geometry, groups: 1 }).reshape(x!.shape)];
    },
    jvp: ([t], _inputs, _out, attrs) => apply('avgPool', [t!], attrs),
  },
  // out[i] sums x[j] for j on one side of i: the transpose sums from the other side.
  cumsum: {
    vjp: (ct, _inputs, _out, attrs) => [apply('cumsum', [ct], { ...attrs, reverse: !attrs.reverse })],
    jvp: ([t], _inputs, _out, attrs) => apply('cumsum', [t!], attrs),
  },
};

/** The in-bounds element count of each pooling window (the sum of a window of ones). */
function sumPool(ones: Tensor, attrs: BuiltinOpAttrs['avgPool'], out: readonly number[]): Tensor {
  const [n, c, ...size] = ones.shape as number[];
  const win = attrs as BuiltinOpAttrs['avgPool'] & Window;
  const pads = overhang(win, win.kernel, size, out).map((r, i): [number, number] => [
    win.pads[i]![0],
    Math.max(0, r),
  ]);
  const kernel = full([1, 1, ...attrs.kernel], 1, ones.dtype);
  const counts = apply('conv', [ones.reshape([n! * c!, 1, ...size]), kernel], {
    strides: win.strides,
    dilations: win.dilations,
    pads,
    groups: 1,
  });
  return cropSpatial(counts, out).reshape([n!, c!, ...out]);
}
