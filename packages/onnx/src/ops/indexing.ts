import { normalizeAxis } from '@paradox/ir';
import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import {
  broadcastTo,
  cast,
  full,
  iota,
  rank,
  reduce,
  reshape,
  transpose,
  where,
  withScalar,
} from './build.js';

/**
 * Gather-style ops as one-hot selections: `where(index == position, data, 0)` summed over the
 * positions. The sum adds exact zeros to the one selected element, so values are exact
 * (non-finite values at unselected positions never reach the sum).
 */

/** Negative indices count from the end (ONNX's rule for every gather-like index). */
export function wrapIndex(e: Emitter, index: Val, n: number): Val {
  const idx = cast(e, index, 'int32');
  return where(e, withScalar(e, 'lt', idx, 0), withScalar(e, 'add', idx, n), idx);
}

/** Selects along the trailing axis of `data` (shape S+[n]) where `index` (shape S, broadcast to it) matches. */
function selectLast(e: Emitter, data: Val, index: Val): Val {
  const shape = data.type.shape;
  const n = shape[shape.length - 1]!;
  const idx = broadcastTo(e, reshape(e, wrapIndex(e, index, n), [...index.type.shape, 1]), shape);
  const hit = e.op('eq', [idx, iota(e, shape, shape.length - 1)]);
  return reduce(e, 'sum', where(e, hit, data, full(e, 0, data)), [shape.length - 1], false);
}

/** Gather along an axis: the graph's gather op (ONNX's index rule; int32 indices). */
export function gather(e: Emitter, data: Val, indices: Val, axis: number): Val {
  return e.op('gather', [data, cast(e, indices, 'int32')], { axis: normalizeAxis(axis, rank(data)) });
}

export function gatherElements(e: Emitter, data: Val, indices: Val, axis: number): Val {
  const r = rank(data);
  const a = normalizeAxis(axis, r);
  const n = data.type.shape[a]!;
  const idxShape = indices.type.shape;
  // data restricted to the index's extent on the other axes, its `axis` moved last.
  const stops = data.type.shape.map((d, i) => (i === a ? d : idxShape[i]!));
  const cut = e.op('slice', [data], { starts: stops.map(() => 0), stops, steps: stops.map(() => 1) });
  const perm = [...Array(r).keys()].filter((i) => i !== a).concat(a);
  const unit = idxShape.map((d, i) => (i === a ? 1 : d));
  const moved = reshape(e, transpose(e, cut, perm), [...unit, n]);
  return selectLast(e, broadcastTo(e, moved, [...idxShape, n]), indices);
}

function oneHot(ctx: NodeContext): Val {
  const e = ctx.e;
  const indices = ctx.input(0);
  const depth = e.known(ctx.input(1), 'OneHot depth')[0]!;
  const values = ctx.input(2);
  const outRank = rank(indices) + 1;
  const axis = normalizeAxis(ctx.int('axis', -1), outRank);
  const shape = [...indices.type.shape];
  shape.splice(axis, 0, depth);
  const unit = [...indices.type.shape];
  unit.splice(axis, 0, 1);
  const idx = broadcastTo(e, reshape(e, wrapIndex(e, indices, depth), unit), shape);
  const hit = e.op('eq', [idx, iota(e, shape, axis)]);
  const off = e.op('slice', [values], { starts: [0], stops: [1], steps: [1] });
  const on = e.op('slice', [values], { starts: [1], stops: [2], steps: [1] });
  return where(e, hit, broadcastTo(e, reshape(e, on, []), shape), broadcastTo(e, reshape(e, off, []), shape));
}

export const INDEXING_OPS: Record<string, OpMapping> = {
  Gather: (ctx) => gather(ctx.e, ctx.input(0), ctx.input(1), ctx.int('axis', 0)),
  GatherElements: (ctx) => gatherElements(ctx.e, ctx.input(0), ctx.input(1), ctx.int('axis', 0)),
  OneHot: oneHot,
};
