import { broadcastShapes, normalizeAxis, numel } from '@paradox/ir';
import type { NodeContext, OpMapping } from '../context.js';
import { paradoxDType } from '../dtypes.js';
import type { Emitter, Val } from '../emitter.js';
import { broadcastTo, cast, rank, reshape, transpose } from './build.js';

/** Axes from the attribute (before `inputFrom`) or from operand 1 (from that opset on). */
export function axesOperand(ctx: NodeContext, inputFrom: number, index = 1): number[] | undefined {
  if (ctx.opset < inputFrom) return ctx.ints('axes');
  const v = ctx.optional(index);
  return v ? ctx.e.known(v, `${ctx.opType} axes`) : undefined;
}

function constantNode(ctx: NodeContext): Val {
  const t = ctx.tensor('value');
  const e = ctx.e;
  if (t)
    return {
      ...e.constant(t.values, t.dims, paradoxDType(t.onnxType, `Constant '${ctx.nodeName}'`)),
      onnxType: t.onnxType,
    };
  if (ctx.has('value_float')) return e.constant([ctx.float('value_float', 0)], [], 'float32');
  if (ctx.has('value_floats'))
    return e.constant(ctx.floats('value_floats')!, [ctx.floats('value_floats')!.length], 'float32');
  if (ctx.has('value_int')) return e.constant([ctx.int('value_int', 0)], [], 'int32');
  if (ctx.has('value_ints'))
    return e.constant(ctx.ints('value_ints')!, [ctx.ints('value_ints')!.length], 'int32');
  throw ctx.unsupported('only numeric tensor values are supported');
}

function reshapeNode(ctx: NodeContext): Val {
  const x = ctx.input(0);
  const spec = ctx.opset < 5 ? (ctx.ints('shape') ?? []) : ctx.e.known(ctx.input(1), 'Reshape shape');
  const allowZero = ctx.int('allowzero', 0) !== 0;
  const shape = spec.map((d, i) => (d === 0 && !allowZero ? x.type.shape[i]! : d));
  const minus = shape.indexOf(-1);
  if (minus >= 0) {
    const rest = shape.reduce((a, d, i) => (i === minus ? a : a * d), 1);
    shape[minus] = rest === 0 ? 0 : numel(x.type.shape) / rest;
  }
  return reshape(ctx.e, x, shape);
}

function flattenNode(ctx: NodeContext): Val {
  const x = ctx.input(0);
  const r = rank(x);
  const axis = ctx.int('axis', 1);
  const a = axis < 0 ? axis + r : axis;
  const outer = x.type.shape.slice(0, a).reduce((p, d) => p * d, 1);
  return reshape(ctx.e, x, [outer, numel(x.type.shape) / Math.max(outer, 1) || 0]);
}

function squeezeNode(ctx: NodeContext): Val {
  const x = ctx.input(0);
  const axes = axesOperand(ctx, 13);
  const drop = new Set(
    axes ? axes.map((a) => normalizeAxis(a, rank(x))) : x.type.shape.flatMap((d, i) => (d === 1 ? [i] : [])),
  );
  return reshape(
    ctx.e,
    x,
    x.type.shape.filter((_, i) => !drop.has(i)),
  );
}

function unsqueezeNode(ctx: NodeContext): Val {
  const x = ctx.input(0);
  const axes = axesOperand(ctx, 13) ?? [];
  const outRank = rank(x) + axes.length;
  const at = new Set(axes.map((a) => normalizeAxis(a, outRank)));
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < outRank; i++) shape.push(at.has(i) ? 1 : x.type.shape[k++]!);
  return reshape(ctx.e, x, shape);
}

function concatNode(ctx: NodeContext): Val {
  const vals = ctx.all().filter((v) => numel(v.type.shape) > 0 || ctx.all().length === 1);
  const parts = vals.length > 0 ? vals : [ctx.input(0)];
  const axis = normalizeAxis(ctx.int('axis', 0), rank(parts[0]!));
  return parts.length === 1 ? parts[0]! : ctx.e.op('concat', parts, { axis });
}

/** ONNX Slice bounds clamped per axis, in the graph's numpy form (null stop = past the end stepping down). */
export function slice(
  e: Emitter,
  x: Val,
  starts: number[],
  ends: number[],
  axes: number[],
  steps: number[],
): Val {
  const r = rank(x);
  const st = Array(r).fill(0);
  const sp: (number | null)[] = x.type.shape.map((d) => d);
  const stepAll = Array(r).fill(1);
  axes.forEach((a0, k) => {
    const a = normalizeAxis(a0, r);
    const d = x.type.shape[a]!;
    const step = steps[k] ?? 1;
    let s = starts[k]!;
    let t = ends[k]!;
    if (s < 0) s += d;
    if (t < 0) t += d;
    if (step > 0) {
      s = Math.min(Math.max(s, 0), d);
      t = Math.min(Math.max(t, 0), d);
    } else {
      s = Math.min(Math.max(s, 0), d - 1);
      t = Math.min(Math.max(t, -1), d - 1);
    }
    st[a] = s;
    sp[a] = t < 0 ? null : t;
    stepAll[a] = step;
  });
  return e.op('slice', [x], { starts: st, stops: sp, steps: stepAll });
}

function sliceNode(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  if (ctx.opset < 10) {
    const starts = ctx.ints('starts') ?? [];
    return slice(e, x, starts, ctx.ints('ends') ?? [], ctx.ints('axes') ?? starts.map((_, i) => i), []);
  }
  const starts = e.known(ctx.input(1), 'Slice starts');
  const ends = e.known(ctx.input(2), 'Slice ends');
  const axes = ctx.optional(3) ? e.known(ctx.input(3), 'Slice axes') : starts.map((_, i) => i);
  const steps = ctx.optional(4) ? e.known(ctx.input(4), 'Slice steps') : [];
  return slice(e, x, starts, ends, axes, steps);
}

function splitNode(ctx: NodeContext): Val[] {
  const x = ctx.input(0);
  const axis = normalizeAxis(ctx.int('axis', 0), rank(x));
  const count = (ctx.node.output ?? []).length;
  const d = x.type.shape[axis]!;
  let sizes =
    ctx.opset < 13
      ? ctx.ints('split')
      : ctx.optional(1)
        ? ctx.e.known(ctx.input(1), 'Split sizes')
        : undefined;
  if (ctx.opset < 13 && !sizes && ctx.optional(1)) sizes = ctx.e.known(ctx.input(1), 'Split sizes');
  if (!sizes || sizes.length === 0) {
    const n = ctx.int('num_outputs', count);
    const size = Math.ceil(d / n);
    sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(size, d - i * size)));
  }
  let at = 0;
  return sizes.map((s) => {
    const part = slice(ctx.e, x, [at], [at + s], [axis], [1]);
    at += s;
    return part;
  });
}

function shapeNode(ctx: NodeContext): Val {
  const dims = ctx.input(0).type.shape;
  const r = dims.length;
  const clampAxis = (a: number) => Math.min(Math.max(a < 0 ? a + r : a, 0), r);
  const picked = dims.slice(clampAxis(ctx.int('start', 0)), clampAxis(ctx.int('end', r)));
  return ctx.e.constant(picked, [picked.length], 'int32');
}

/** Tile as a broadcast: x viewed as [1,d0,1,d1,...], broadcast to [r0,d0,r1,d1,...], then merged. */
export function tile(e: Emitter, x: Val, repeats: number[]): Val {
  const dims = x.type.shape;
  const interleaved = dims.flatMap((d) => [1, d]);
  const target = dims.flatMap((d, i) => [repeats[i]!, d]);
  return reshape(
    e,
    broadcastTo(e, reshape(e, x, interleaved), target),
    dims.map((d, i) => d * repeats[i]!),
  );
}

function eyeLike(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const dtype = ctx.has('dtype') ? paradoxDType(ctx.int('dtype', 1), 'EyeLike dtype') : x.type.dtype;
  const k = ctx.int('k', 0);
  const rows = e.op('iota', [], { shape: x.type.shape, axis: 0, dtype: 'int32' });
  const cols = e.op('iota', [], { shape: x.type.shape, axis: 1, dtype: 'int32' });
  const diag = e.op('eq', [e.op('sub', [cols, rows]), broadcastTo(e, e.scalar(k, 'int32'), x.type.shape)]);
  return cast(e, diag, dtype);
}

function trilu(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const k = ctx.optional(1) ? e.known(ctx.input(1), 'Trilu k')[0]! : 0;
  const r = rank(x);
  const rows = e.op('iota', [], { shape: x.type.shape, axis: r - 2, dtype: 'int32' });
  const cols = e.op('iota', [], { shape: x.type.shape, axis: r - 1, dtype: 'int32' });
  const diff = e.op('sub', [cols, rows]);
  const kk = broadcastTo(e, e.scalar(k, 'int32'), x.type.shape);
  const keep = e.op(ctx.int('upper', 1) ? 'ge' : 'le', [diff, kk]);
  return e.op('where', [keep, x, broadcastTo(e, e.scalar(0, x.type.dtype), x.type.shape)]);
}

/** DepthToSpace (DCR or CRD) and SpaceToDepth as reshape-transpose-reshape. */
function depthToSpace(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const b = ctx.int('blocksize', 1);
  const [n, c, h, w] = x.type.shape as [number, number, number, number];
  const crd = ctx.string('mode', 'DCR') === 'CRD';
  const split = crd
    ? reshape(e, x, [n, c / (b * b), b, b, h, w])
    : reshape(e, x, [n, b, b, c / (b * b), h, w]);
  const moved = transpose(e, split, crd ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2]);
  return reshape(e, moved, [n, c / (b * b), h * b, w * b]);
}

function spaceToDepth(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const b = ctx.int('blocksize', 1);
  const [n, c, h, w] = x.type.shape as [number, number, number, number];
  const split = reshape(e, x, [n, c, h / b, b, w / b, b]);
  return reshape(e, transpose(e, split, [0, 3, 5, 1, 2, 4]), [n, c * b * b, h / b, w / b]);
}

function range(ctx: NodeContext): Val {
  const [start, limit, delta] = [0, 1, 2].map((i) => ctx.e.known(ctx.input(i), 'Range bounds')[0]!) as [
    number,
    number,
    number,
  ];
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  return ctx.e.constant(
    Array.from({ length: n }, (_, i) => start + i * delta),
    [n],
    ctx.input(0).type.dtype,
  );
}

export const SHAPE_OPS: Record<string, OpMapping> = {
  Constant: constantNode,
  Reshape: reshapeNode,
  Flatten: flattenNode,
  Squeeze: squeezeNode,
  Unsqueeze: unsqueezeNode,
  Concat: concatNode,
  Slice: sliceNode,
  Split: splitNode,
  Shape: shapeNode,
  Size: (ctx) => ctx.e.constant([numel(ctx.input(0).type.shape)], [], 'int32'),
  Transpose: (ctx) => {
    const x = ctx.input(0);
    return transpose(ctx.e, x, ctx.ints('perm') ?? [...Array(rank(x)).keys()].reverse());
  },
  Expand: (ctx) => {
    const x = ctx.input(0);
    const shape = ctx.e.known(ctx.input(1), 'Expand shape');
    return broadcastTo(ctx.e, x, broadcastShapes('Expand', [x.type, { dtype: x.type.dtype, shape }]));
  },
  Tile: (ctx) => tile(ctx.e, ctx.input(0), ctx.e.known(ctx.input(1), 'Tile repeats')),
  ConstantOfShape: (ctx) => {
    const shape = ctx.e.known(ctx.input(0), 'ConstantOfShape shape');
    const t = ctx.tensor('value');
    const dtype = t ? paradoxDType(t.onnxType, 'ConstantOfShape value') : 'float32';
    return broadcastTo(ctx.e, ctx.e.scalar(t ? t.values[0]! : 0, dtype), shape);
  },
  Cast: (ctx) => {
    const to = ctx.int('to', 1);
    return { ...cast(ctx.e, ctx.input(0), paradoxDType(to, `Cast '${ctx.nodeName}'`)), onnxType: to };
  },
  CastLike: (ctx) => cast(ctx.e, ctx.input(0), ctx.input(1).type.dtype),
  EyeLike: eyeLike,
  Trilu: trilu,
  DepthToSpace: depthToSpace,
  SpaceToDepth: spaceToDepth,
  Range: range,
};
