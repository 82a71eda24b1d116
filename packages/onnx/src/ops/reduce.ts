import { normalizeAxis, numel } from '@paradox/ir';
import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import { binary, broadcastTo, cast, full, iota, rank, reduce, reshape, withScalar } from './build.js';
import { axesOperand, slice } from './shape.js';

/** The axes a Reduce* node reduces (all when none given, none when noop_with_empty_axes says so). */
function reduceAxes(ctx: NodeContext, inputFrom: number): number[] {
  const x = ctx.input(0);
  const axes = axesOperand(ctx, inputFrom);
  if (axes && axes.length > 0) return axes.map((a) => normalizeAxis(a, rank(x)));
  return ctx.int('noop_with_empty_axes', 0) !== 0 ? [] : [...Array(rank(x)).keys()];
}

/** A Reduce* mapping: `pre` maps x before a `op` reduction, `post` maps the result (with the element count). */
const reduction =
  (
    op: string,
    inputFrom: number,
    pre?: (e: Emitter, x: Val) => Val,
    post?: (e: Emitter, r: Val, count: number) => Val,
  ): OpMapping =>
  (ctx) => {
    const e = ctx.e;
    const x = ctx.input(0);
    const axes = reduceAxes(ctx, inputFrom);
    const keep = ctx.int('keepdims', 1) !== 0;
    if (axes.length === 0) return pre ? (post ? post(e, pre(e, x), 1) : pre(e, x)) : post ? post(e, x, 1) : x;
    const count = axes.reduce((p, a) => p * x.type.shape[a]!, 1);
    const r = reduce(e, op, pre ? pre(e, x) : x, axes, keep);
    return post ? post(e, r, count) : r;
  };

const square = (e: Emitter, x: Val): Val => binary(e, 'mul', x, x);

function logSumExp(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const axes = reduceAxes(ctx, 18);
  const keep = ctx.int('keepdims', 1) !== 0;
  const m = reduce(e, 'max', x, axes, true);
  const safe = e.op('where', [withScalar(e, 'eq', m, Number.NEGATIVE_INFINITY), full(e, 0, m), m]);
  const sum = reduce(e, 'sum', e.op('exp', [binary(e, 'sub', x, safe)]), axes, true);
  const out = binary(e, 'add', e.op('log', [sum]), safe);
  return keep
    ? out
    : reshape(
        e,
        out,
        x.type.shape.filter((_, i) => !axes.includes(i)),
      );
}

/** ArgMax/ArgMin; select_last_index reverses the axis first and maps the index back. */
const argReduce =
  (op: 'argmax' | 'argmin'): OpMapping =>
  (ctx) => {
    const e = ctx.e;
    let x = ctx.input(0);
    const axis = normalizeAxis(ctx.int('axis', 0), rank(x));
    const keepdims = ctx.int('keepdims', 1) !== 0;
    const last = ctx.int('select_last_index', 0) !== 0;
    const d = x.type.shape[axis]!;
    if (last) x = slice(e, x, [-1], [Number.NEGATIVE_INFINITY], [axis], [-1]);
    const idx = e.op(op, [x], { axis, keepdims });
    return last ? binary(e, 'sub', full(e, d - 1, idx), idx) : idx;
  };

/** Softmax-family axis handling: before opset 13 the input is coerced to 2-D at `axis` (default 1). */
function softmaxFamily(ctx: NodeContext, body: (e: Emitter, x: Val, axis: number) => Val): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const r = rank(x);
  if (ctx.opset >= 13) return body(e, x, normalizeAxis(ctx.int('axis', -1), r));
  const axis = normalizeAxis(ctx.int('axis', 1), r);
  const outer = x.type.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const flat = reshape(e, x, [outer, numel(x.type.shape) / Math.max(outer, 1) || 0]);
  return reshape(e, body(e, flat, 1), x.type.shape);
}

export function softmax(e: Emitter, x: Val, axis: number): Val {
  const ex = e.op('exp', [binary(e, 'sub', x, reduce(e, 'max', x, [axis], true))]);
  return binary(e, 'div', ex, reduce(e, 'sum', ex, [axis], true));
}

export function logSoftmax(e: Emitter, x: Val, axis: number): Val {
  const shifted = binary(e, 'sub', x, reduce(e, 'max', x, [axis], true));
  return binary(e, 'sub', shifted, e.op('log', [reduce(e, 'sum', e.op('exp', [shifted]), [axis], true)]));
}

function hardmax(e: Emitter, x: Val, axis: number): Val {
  const idx = e.op('argmax', [x], { axis, keepdims: true });
  return cast(e, e.op('eq', [iota(e, x.type.shape, axis), broadcastTo(e, idx, x.type.shape)]), x.type.dtype);
}

export const REDUCE_OPS: Record<string, OpMapping> = {
  ReduceSum: reduction('sum', 13),
  ReduceMax: reduction('max', 18),
  ReduceMin: reduction('min', 18),
  ReduceProd: reduction('prod', 18),
  ReduceMean: reduction('sum', 18, undefined, (e, r, n) => withScalar(e, 'div', r, n)),
  ReduceL1: reduction('sum', 18, (e, x) => e.op('abs', [x])),
  ReduceL2: reduction('sum', 18, square, (e, r) =>
    cast(e, e.op('sqrt', [cast(e, r, 'float32')]), r.type.dtype),
  ),
  ReduceSumSquare: reduction('sum', 18, square),
  ReduceLogSum: reduction('sum', 18, undefined, (e, r) => e.op('log', [r])),
  ReduceLogSumExp: logSumExp,
  ArgMax: argReduce('argmax'),
  ArgMin: argReduce('argmin'),
  Softmax: (ctx) => softmaxFamily(ctx, softmax),
  LogSoftmax: (ctx) => softmaxFamily(ctx, logSoftmax),
  Hardmax: (ctx) => softmaxFamily(ctx, hardmax),
};
