import { normalizeAxis } from '@paradox/ir';
import type { NodeContext, OpMapping } from '../context.js';
import type { Val } from '../emitter.js';
import {
  binary,
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
 * TopK by ranking: element i's rank is how many elements come before it (larger, or equal with a
 * lower index, ONNX's tie rule), and output position r takes the element ranked r. Quadratic in the
 * axis length, exact, with a static output shape since k is known at import.
 */
function topK(ctx: NodeContext): Val[] {
  const e = ctx.e;
  const x0 = ctx.input(0);
  const k = ctx.opset < 10 ? ctx.int('k', 1) : e.known(ctx.input(1), 'TopK k')[0]!;
  const r = rank(x0);
  const axis = normalizeAxis(ctx.int('axis', -1), r);
  const perm = [...Array(r).keys()].filter((i) => i !== axis).concat(axis);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const x = transpose(e, x0, perm);
  const lead = x.type.shape.slice(0, -1);
  const n = x.type.shape[r - 1]!;
  const pair = [...lead, n, n]; // [..., i, j]
  const xi = broadcastTo(e, reshape(e, x, [...lead, n, 1]), pair);
  const xj = broadcastTo(e, reshape(e, x, [...lead, 1, n]), pair);
  const beats = binary(e, ctx.int('largest', 1) ? 'gt' : 'lt', xj, xi);
  const tieBefore = binary(
    e,
    'and',
    binary(e, 'eq', xj, xi),
    binary(e, 'lt', iota(e, pair, r), iota(e, pair, r - 1)),
  );
  const rankOf = reduce(e, 'sum', cast(e, binary(e, 'or', beats, tieBefore), 'int32'), [r], false); // [..., n]
  const grid = [...lead, k, n]; // [..., r, i]
  const hit = binary(
    e,
    'eq',
    broadcastTo(e, reshape(e, rankOf, [...lead, 1, n]), grid),
    iota(e, grid, r - 1),
  );
  const spread = broadcastTo(e, reshape(e, x, [...lead, 1, n]), grid);
  const values = reduce(e, 'sum', where(e, hit, spread, full(e, 0, spread)), [r], false);
  const indices = reduce(e, 'sum', where(e, hit, iota(e, grid, r), full(e, 0, hit, 'int32')), [r], false);
  return [transpose(e, values, inverse), transpose(e, indices, inverse)];
}

/** LRN: x / (bias + alpha / size * sum of squares over a window of channels) ^ beta. */
function lrn(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const size = ctx.int('size', 1);
  const before = Math.floor((size - 1) / 2);
  const channels = x.type.shape[1]!;
  const sq = binary(e, 'mul', x, x);
  const padded = e.op('pad', [sq], {
    pads: x.type.shape.map((_, i) => (i === 1 ? [before, size - 1 - before] : [0, 0])),
    value: 0,
  });
  let sum: Val | undefined;
  for (let o = 0; o < size; o++) {
    const starts = x.type.shape.map((_, i) => (i === 1 ? o : 0));
    const stops = x.type.shape.map((d, i) => (i === 1 ? o + channels : d));
    const part = e.op('slice', [padded], { starts, stops, steps: starts.map(() => 1) });
    sum = sum ? binary(e, 'add', sum, part) : part;
  }
  const scaled = withScalar(
    e,
    'add',
    withScalar(e, 'mul', sum!, ctx.float('alpha', 1e-4) / size),
    ctx.float('bias', 1),
  );
  return binary(e, 'div', x, withScalar(e, 'pow', scaled, ctx.float('beta', 0.75)));
}

export const TOPK_OPS: Record<string, OpMapping> = { TopK: topK, LRN: lrn };
