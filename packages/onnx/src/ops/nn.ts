import { normalizeAxis } from '@paradox/ir';
import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import { binary, cast, full, rank, reduce, reshape, transpose, withScalar } from './build.js';

function gemm(ctx: NodeContext): Val {
  const e = ctx.e;
  let a = ctx.input(0);
  let b = ctx.input(1);
  if (ctx.int('transA', 0)) a = transpose(e, a, [1, 0]);
  if (ctx.int('transB', 0)) b = transpose(e, b, [1, 0]);
  const alpha = ctx.float('alpha', 1);
  const beta = ctx.float('beta', 1);
  let y = e.op('matmul', [a, b]);
  if (alpha !== 1) y = withScalar(e, 'mul', y, alpha);
  const c = ctx.optional(2);
  if (!c || beta === 0) return y;
  return binary(e, 'add', y, beta === 1 ? c : withScalar(e, 'mul', c, beta));
}

function clip(ctx: NodeContext): Val {
  const e = ctx.e;
  let x = ctx.input(0);
  const lo =
    ctx.opset < 11
      ? ctx.has('min')
        ? e.scalar(ctx.float('min', 0), x.type.dtype)
        : undefined
      : ctx.optional(1);
  const hi =
    ctx.opset < 11
      ? ctx.has('max')
        ? e.scalar(ctx.float('max', 0), x.type.dtype)
        : undefined
      : ctx.optional(2);
  if (lo) x = binary(e, 'maximum', x, lo);
  if (hi) x = binary(e, 'minimum', x, hi);
  return x;
}

function dropout(ctx: NodeContext): Val[] {
  const x = ctx.input(0);
  const training =
    ctx.opset >= 12 && ctx.optional(2) ? ctx.e.known(ctx.input(2), 'Dropout training_mode')[0] : 0;
  if (training) throw ctx.unsupported('training_mode=true draws a random mask');
  if (ctx.opset < 7 && ctx.int('is_test', 0) === 0) throw ctx.unsupported('is_test=0 draws a random mask');
  return [x, full(ctx.e, 1, x, 'bool')];
}

/** (x - mean) * rsqrt(var + eps) over `axes`, returning the pieces LayerNormalization also outputs. */
function normalize(e: Emitter, x: Val, axes: number[], eps: number): { y: Val; mean: Val; invStd: Val } {
  const n = axes.reduce((p, a) => p * x.type.shape[a]!, 1);
  const mean = withScalar(e, 'div', reduce(e, 'sum', x, axes, true), n);
  const centered = binary(e, 'sub', x, mean);
  const variance = withScalar(
    e,
    'div',
    reduce(e, 'sum', binary(e, 'mul', centered, centered), axes, true),
    n,
  );
  const invStd = e.op('rsqrt', [withScalar(e, 'add', variance, eps)]);
  return { y: binary(e, 'mul', centered, invStd), mean, invStd };
}

/** A per-channel vector (axis 1 of an N,C,... tensor) shaped to broadcast against x. */
const perChannel = (e: Emitter, v: Val, x: Val): Val =>
  reshape(e, v, [v.type.shape[0] ?? 1, ...Array(Math.max(rank(x) - 2, 0)).fill(1)]);

function layerNorm(ctx: NodeContext): Val[] {
  const e = ctx.e;
  const x = cast(e, ctx.input(0), 'float32');
  const r = rank(x);
  const axis = normalizeAxis(ctx.int('axis', -1), r);
  const axes = [...Array(r - axis).keys()].map((i) => i + axis);
  const { y, mean, invStd } = normalize(e, x, axes, ctx.float('epsilon', 1e-5));
  let out = binary(e, 'mul', y, ctx.input(1));
  if (ctx.optional(2)) out = binary(e, 'add', out, ctx.input(2));
  return [cast(e, out, ctx.input(0).type.dtype), mean, invStd];
}

function instanceNorm(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const axes = [...Array(rank(x) - 2).keys()].map((i) => i + 2);
  const { y } = normalize(e, x, axes, ctx.float('epsilon', 1e-5));
  return binary(
    e,
    'add',
    binary(e, 'mul', y, perChannel(e, ctx.input(1), x)),
    perChannel(e, ctx.input(2), x),
  );
}

function batchNorm(ctx: NodeContext): Val | Val[] {
  const e = ctx.e;
  const x = ctx.input(0);
  if (ctx.opset < 7 && ctx.int('is_test', 0) === 0 && (ctx.node.output ?? []).length > 1) {
    throw ctx.unsupported('opset < 7 training mode is not supported');
  }
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => perChannel(e, ctx.input(i), x)) as [
    Val,
    Val,
    Val,
    Val,
  ];
  const eps = ctx.float('epsilon', 1e-5);
  if (ctx.int('training_mode', 0) !== 0) return batchNormTraining(ctx, x, scale, bias, eps);
  const inv = e.op('rsqrt', [withScalar(e, 'add', variance, eps)]);
  return binary(e, 'add', binary(e, 'mul', binary(e, 'sub', x, mean), binary(e, 'mul', inv, scale)), bias);
}

/** Training mode (opset 14+): batch statistics (population variance) and the updated running ones. */
function batchNormTraining(ctx: NodeContext, x: Val, scale: Val, bias: Val, eps: number): Val[] {
  const e = ctx.e;
  const axes = [0, ...[...Array(rank(x) - 2).keys()].map((i) => i + 2)];
  const { y } = normalize(e, x, axes, eps);
  const n = axes.reduce((p, a) => p * x.type.shape[a]!, 1);
  const batchMean = withScalar(e, 'div', reduce(e, 'sum', x, axes, false), n);
  const centered = binary(e, 'sub', x, reshape(e, batchMean, perChannelShape(x)));
  const batchVar = withScalar(
    e,
    'div',
    reduce(e, 'sum', binary(e, 'mul', centered, centered), axes, false),
    n,
  );
  const momentum = ctx.float('momentum', 0.9);
  const blend = (running: Val, current: Val) =>
    binary(e, 'add', withScalar(e, 'mul', running, momentum), withScalar(e, 'mul', current, 1 - momentum));
  return [
    binary(e, 'add', binary(e, 'mul', y, scale), bias),
    blend(ctx.input(3), batchMean),
    blend(ctx.input(4), batchVar),
  ];
}

const perChannelShape = (x: Val): number[] => [x.type.shape[1]!, ...Array(Math.max(rank(x) - 2, 0)).fill(1)];

function meanVarianceNorm(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const axes = (ctx.ints('axes') ?? [0, 2, 3]).map((a) => normalizeAxis(a, rank(x)));
  const n = axes.reduce((p, a) => p * x.type.shape[a]!, 1);
  const mean = withScalar(e, 'div', reduce(e, 'sum', x, axes, true), n);
  const meanSq = withScalar(e, 'div', reduce(e, 'sum', binary(e, 'mul', x, x), axes, true), n);
  const variance = binary(e, 'sub', meanSq, binary(e, 'mul', mean, mean));
  return binary(e, 'div', binary(e, 'sub', x, mean), withScalar(e, 'add', e.op('sqrt', [variance]), 1e-9));
}

export const NN_OPS: Record<string, OpMapping> = {
  MatMul: (ctx) => ctx.e.op('matmul', [ctx.input(0), ctx.input(1)]),
  Gemm: gemm,
  Clip: clip,
  Dropout: dropout,
  LayerNormalization: layerNorm,
  InstanceNormalization: instanceNorm,
  BatchNormalization: batchNorm,
  MeanVarianceNormalization: meanVarianceNorm,
};
