import { getOp } from '@paradox/ir';
import type { NodeContext, OpMapping } from '../context.js';
import type { Val } from '../emitter.js';
import { binary, rank, reduce, reshape } from './build.js';

/**
 * Conv, ConvTranspose, MaxPool, AveragePool and CumSum map onto op set v2's windowed ops
 * (conv, convTranspose, maxPool, avgPool, cumsum), whose attributes follow ONNX's.
 */

function requireOp(ctx: NodeContext, op: string): void {
  try {
    getOp(op);
  } catch {
    throw ctx.unsupported(`needs the graph op '${op}', not registered`);
  }
}

/** auto_pad and pads ([begin..., end...]) in the windowed ops' form. */
function windowPads(ctx: NodeContext, spatial: number): [number, number][] | string {
  const auto = ctx.string('auto_pad', 'NOTSET');
  if (auto === 'SAME_UPPER') return 'same_upper';
  if (auto === 'SAME_LOWER') return 'same_lower';
  if (auto === 'VALID') return 'valid';
  const pads = ctx.ints('pads') ?? Array(2 * spatial).fill(0);
  return Array.from({ length: spatial }, (_, i) => [pads[i]!, pads[i + spatial]!] as [number, number]);
}

const perAxis = (ctx: NodeContext, name: string, spatial: number, fallback: number): number[] =>
  ctx.ints(name) ?? Array(spatial).fill(fallback);

function biasAdd(ctx: NodeContext, y: Val, index: number): Val {
  const b = ctx.optional(index);
  return b
    ? binary(ctx.e, 'add', y, reshape(ctx.e, b, [b.type.shape[0]!, ...Array(rank(y) - 2).fill(1)]))
    : y;
}

function conv(ctx: NodeContext): Val {
  requireOp(ctx, 'conv');
  const x = ctx.input(0);
  const spatial = rank(x) - 2;
  const y = ctx.e.op('conv', [x, ctx.input(1)], {
    strides: perAxis(ctx, 'strides', spatial, 1),
    dilations: perAxis(ctx, 'dilations', spatial, 1),
    pads: windowPads(ctx, spatial),
    groups: ctx.int('group', 1),
  });
  return biasAdd(ctx, y, 2);
}

function convTranspose(ctx: NodeContext): Val {
  requireOp(ctx, 'convTranspose');
  const x = ctx.input(0);
  const w = ctx.input(1);
  const spatial = rank(x) - 2;
  const strides = perAxis(ctx, 'strides', spatial, 1);
  const dilations = perAxis(ctx, 'dilations', spatial, 1);
  const outputPadding = perAxis(ctx, 'output_padding', spatial, 0);
  let pads = windowPads(ctx, spatial);
  const outputShape = ctx.ints('output_shape');
  if (outputShape) {
    // ONNX: total padding from the requested size; the odd element goes to the end for SAME_UPPER.
    const wanted = outputShape.slice(-spatial);
    const upper = ctx.string('auto_pad', 'NOTSET') === 'SAME_UPPER';
    pads = wanted.map((o, i) => {
      const kernel = (w.type.shape[2 + i]! - 1) * dilations[i]! + 1;
      const total = strides[i]! * (x.type.shape[2 + i]! - 1) + outputPadding[i]! + kernel - o;
      const half = Math.floor(total / 2);
      return (upper ? [half, total - half] : [total - half, half]) as [number, number];
    });
  }
  const y = ctx.e.op('convTranspose', [x, w], {
    strides,
    dilations,
    pads,
    groups: ctx.int('group', 1),
    outputPadding,
  });
  return biasAdd(ctx, y, 2);
}

function pool(ctx: NodeContext, op: 'maxPool' | 'avgPool'): Val {
  requireOp(ctx, op);
  if (op === 'maxPool' && (ctx.node.output ?? []).filter((o) => o !== '').length > 1) {
    throw ctx.unsupported('the Indices output is not supported');
  }
  const x = ctx.input(0);
  const spatial = rank(x) - 2;
  const attrs = {
    kernel: ctx.ints('kernel_shape') ?? [],
    strides: perAxis(ctx, 'strides', spatial, 1),
    dilations: perAxis(ctx, 'dilations', spatial, 1),
    pads: windowPads(ctx, spatial),
    ceilMode: ctx.int('ceil_mode', 0) !== 0,
  };
  return ctx.e.op(
    op,
    [x],
    op === 'avgPool' ? { ...attrs, countIncludePad: ctx.int('count_include_pad', 0) !== 0 } : attrs,
  );
}

/** Global pools are reductions over the spatial axes (no window op needed). */
const globalPool =
  (op: 'sum' | 'max'): OpMapping =>
  (ctx) => {
    const x = ctx.input(0);
    const axes = [...Array(rank(x) - 2).keys()].map((i) => i + 2);
    const r = reduce(ctx.e, op, x, axes, true);
    const n = axes.reduce((p, a) => p * x.type.shape[a]!, 1);
    return op === 'sum' ? binary(ctx.e, 'div', r, ctx.e.scalar(n, x.type.dtype)) : r;
  };

function cumsum(ctx: NodeContext): Val {
  requireOp(ctx, 'cumsum');
  const x = ctx.input(0);
  const axis0 = ctx.e.known(ctx.input(1), 'CumSum axis')[0]!;
  return ctx.e.op('cumsum', [x], {
    axis: axis0 < 0 ? axis0 + rank(x) : axis0,
    exclusive: ctx.int('exclusive', 0) !== 0,
    reverse: ctx.int('reverse', 0) !== 0,
  });
}

export const WINDOW_OPS: Record<string, OpMapping> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: (ctx) => pool(ctx, 'maxPool'),
  AveragePool: (ctx) => pool(ctx, 'avgPool'),
  GlobalAveragePool: globalPool('sum'),
  GlobalMaxPool: globalPool('max'),
  CumSum: cumsum,
};
