import { normalizeAxis, numel } from '@paradox/ir';
import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
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
import { gather, wrapIndex } from './indexing.js';
import { slice } from './shape.js';

/**
 * Scatter-style ops as one-hot matches, like the gathers: position j of the target receives the
 * updates whose index equals j (summed for reduction 'add', multiplied for 'mul'; for 'none' ONNX
 * leaves duplicates undefined and the sum is taken).
 */

/** Along the last axis of `target` ([...P, n]): updates [...P, m] at indices [...P, m]. */
function scatterLast(e: Emitter, target: Val, indices: Val, updates: Val, reduction: string): Val {
  const shape = updates.type.shape;
  const n = target.type.shape[target.type.shape.length - 1]!;
  const grid = [...shape, n];
  const idx = broadcastTo(e, reshape(e, wrapIndex(e, indices, n), [...shape, 1]), grid);
  const hit = e.op('eq', [idx, iota(e, grid, grid.length - 1)]);
  const upd = broadcastTo(e, reshape(e, updates, [...shape, 1]), grid);
  const m = shape.length - 1;
  const touched = withScalar(e, 'gt', reduce(e, 'max', cast(e, hit, 'int32'), [m], false), 0);
  if (reduction === 'mul')
    return binary(e, 'mul', target, reduce(e, 'prod', where(e, hit, upd, full(e, 1, upd)), [m], false));
  const sum = reduce(e, 'sum', where(e, hit, upd, full(e, 0, upd)), [m], false);
  return reduction === 'add' ? binary(e, 'add', target, sum) : where(e, touched, sum, target);
}

function scatterElements(ctx: NodeContext): Val {
  const e = ctx.e;
  const data = ctx.input(0);
  const indices = ctx.input(1);
  const updates = ctx.input(2);
  const r = rank(data);
  const a = normalizeAxis(ctx.int('axis', 0), r);
  const reduction = ctx.string('reduction', 'none');
  if (reduction !== 'none' && reduction !== 'add' && reduction !== 'mul')
    throw ctx.unsupported(`reduction '${reduction}'`);
  // The target region is data restricted to the updates' extent on the other axes.
  const extent = data.type.shape.map((d, i) => (i === a ? d : updates.type.shape[i]!));
  const region = slice(
    e,
    data,
    extent.map(() => 0),
    extent,
    [...Array(r).keys()],
    [],
  );
  const perm = [...Array(r).keys()].filter((i) => i !== a).concat(a);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const done = transpose(
    e,
    scatterLast(
      e,
      transpose(e, region, perm),
      transpose(e, indices, perm),
      transpose(e, updates, perm),
      reduction,
    ),
    inverse,
  );
  if (extent.every((d, i) => d === data.type.shape[i])) return done;
  // Put the scattered region back into data.
  const inside = e.op('pad', [full(e, 1, done, 'bool')], {
    pads: extent.map((d, i) => [0, data.type.shape[i]! - d]),
    value: 0,
  });
  const padded = e.op('pad', [done], { pads: extent.map((d, i) => [0, data.type.shape[i]! - d]), value: 0 });
  return where(e, inside, padded, data);
}

/** The linear index into the first b + k axes of data for each index tuple (batch axes from position). */
function linearIndex(e: Emitter, data: Val, indices: Val, batchDims: number): { flat: Val; lin: Val } {
  const k = indices.type.shape[indices.type.shape.length - 1]!;
  const lead = data.type.shape.slice(0, batchDims + k);
  const strides = lead.map((_, i) => lead.slice(i + 1).reduce((p, d) => p * d, 1));
  const outer = indices.type.shape.slice(0, -1);
  let lin: Val = full(e, 0, { type: { dtype: 'int32', shape: outer } });
  for (let i = 0; i < batchDims; i++)
    lin = binary(e, 'add', lin, withScalar(e, 'mul', iota(e, outer, i), strides[i]!));
  for (let j = 0; j < k; j++) {
    const col = reshape(e, slice(e, indices, [j], [j + 1], [rank(indices) - 1], [1]), outer);
    const term = withScalar(e, 'mul', wrapIndex(e, col, lead[batchDims + j]!), strides[batchDims + j]!);
    lin = binary(e, 'add', lin, term);
  }
  const flat = reshape(e, data, [numel(lead), ...data.type.shape.slice(batchDims + k)]);
  return { flat, lin };
}

function gatherND(ctx: NodeContext): Val {
  const { flat, lin } = linearIndex(ctx.e, ctx.input(0), ctx.input(1), ctx.int('batch_dims', 0));
  return gather(ctx.e, flat, lin, 0);
}

function scatterND(ctx: NodeContext): Val {
  const e = ctx.e;
  const data = ctx.input(0);
  const reduction = ctx.string('reduction', 'none');
  const { flat, lin } = linearIndex(e, data, ctx.input(1), 0);
  const rest = flat.type.shape.slice(1);
  const count = numel(lin.type.shape);
  const upd = reshape(e, ctx.input(2), [count, ...rest]);
  // Move the flat axis last: target [...rest, F], updates [...rest, L] at indices [...rest, L].
  const toLast = [...Array(rest.length).keys()].map((i) => i + 1).concat(0);
  const target = transpose(e, flat, toLast);
  const updT = transpose(e, upd, toLast);
  const idx = broadcastTo(e, reshape(e, lin, [...rest.map(() => 1), count]), updT.type.shape);
  const done = scatterLast(e, target, idx, updT, reduction);
  return reshape(
    e,
    transpose(
      e,
      done,
      toLast.map((_, i) => toLast.indexOf(i)),
    ),
    data.type.shape,
  );
}

function compress(ctx: NodeContext): Val {
  const e = ctx.e;
  let x = ctx.input(0);
  const keep = e.known(ctx.input(1), 'Compress condition');
  if (!ctx.has('axis')) x = reshape(e, x, [numel(x.type.shape)]);
  const axis = normalizeAxis(ctx.int('axis', 0), rank(x));
  const picked = keep.flatMap((c, i) => (c && i < x.type.shape[axis]! ? [i] : []));
  return gather(e, x, e.constant(picked, [picked.length], 'int32'), axis);
}

function reverseSequence(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const lens = e.known(ctx.input(1), 'ReverseSequence sequence_lens');
  const batchAxis = ctx.int('batch_axis', 1);
  const timeAxis = ctx.int('time_axis', 0);
  const t = x.type.shape[timeAxis]!;
  const rows = lens.map((len, b) => {
    const row = slice(e, x, [b], [b + 1], [batchAxis], [1]);
    const reversed = len > 0 ? [slice(e, row, [len - 1], [Number.NEGATIVE_INFINITY], [timeAxis], [-1])] : [];
    const rest = len < t ? [slice(e, row, [len], [t], [timeAxis], [1])] : [];
    const parts = [...reversed, ...rest];
    return parts.length === 1 ? parts[0]! : e.op('concat', parts, { axis: timeAxis });
  });
  return rows.length === 1 ? rows[0]! : e.op('concat', rows, { axis: batchAxis });
}

export const SCATTER_OPS: Record<string, OpMapping> = {
  ScatterElements: scatterElements,
  Scatter: scatterElements,
  ScatterND: scatterND,
  GatherND: gatherND,
  Compress: compress,
  ReverseSequence: reverseSequence,
};
