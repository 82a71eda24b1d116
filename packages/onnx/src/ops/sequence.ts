import { normalizeAxis } from '@paradox/ir';
import type { NodeContext, OpMapping } from '../context.js';
import { paradoxDType } from '../dtypes.js';
import type { Val } from '../emitter.js';
import { OnnxModelError } from '../errors.js';
import { rank, reshape } from './build.js';
import { slice } from './shape.js';

/**
 * Sequences exist only at import: a sequence value is the list of its tensors, so every sequence
 * op is list surgery with positions known at import, and the graph sees plain tensors.
 */

const seq = (items: Val[], dtype: Val['type']['dtype'] = 'float32'): Val => ({
  type: { dtype, shape: [] },
  sequence: items,
});

function items(ctx: NodeContext, i: number): Val[] {
  const v = ctx.input(i);
  if (!v.sequence)
    throw new OnnxModelError(`node '${ctx.nodeName}' (${ctx.opType}) wants a sequence as input ${i}`);
  return v.sequence;
}

/** A position operand (default `fallback`), negative counting from the end, within [0, length]. */
function position(ctx: NodeContext, i: number, length: number, fallback: number): number {
  const v = ctx.optional(i);
  const p = v ? ctx.e.known(v, `${ctx.opType} position`)[0]! : fallback;
  const at = p < 0 ? p + length : p;
  if (at < 0 || at > length)
    throw new OnnxModelError(`node '${ctx.nodeName}': position ${p} outside a sequence of ${length}`);
  return at;
}

function splitToSequence(ctx: NodeContext): Val {
  const x = ctx.input(0);
  const axis = normalizeAxis(ctx.int('axis', 0), rank(x));
  const d = x.type.shape[axis]!;
  const split = ctx.optional(1) ? ctx.e.known(ctx.input(1), 'SplitToSequence split') : undefined;
  let sizes: number[];
  if (!split) sizes = Array(d).fill(1);
  else if (ctx.input(1).type.shape.length === 0) {
    const n = split[0]!;
    sizes = Array.from({ length: Math.ceil(d / n) }, (_, i) => Math.min(n, d - i * n));
  } else sizes = split;
  let at = 0;
  const parts = sizes.map((s) => {
    const part = slice(ctx.e, x, [at], [at + s], [axis], [1]);
    at += s;
    return part;
  });
  const dropAxis = !split && ctx.int('keepdims', 1) === 0;
  return seq(
    dropAxis
      ? parts.map((p) =>
          reshape(
            ctx.e,
            p,
            p.type.shape.filter((_, i) => i !== axis),
          ),
        )
      : parts,
    x.type.dtype,
  );
}

function concatFromSequence(ctx: NodeContext): Val {
  const parts = items(ctx, 0);
  if (parts.length === 0)
    throw new OnnxModelError(`node '${ctx.nodeName}': ConcatFromSequence of an empty sequence`);
  const newAxis = ctx.int('new_axis', 0) !== 0;
  const r = rank(parts[0]!) + (newAxis ? 1 : 0);
  const axis = normalizeAxis(ctx.int('axis', 0), r);
  const stacked = newAxis
    ? parts.map((p) => {
        const shape = [...p.type.shape];
        shape.splice(axis, 0, 1);
        return reshape(ctx.e, p, shape);
      })
    : parts;
  return stacked.length === 1 ? stacked[0]! : ctx.e.op('concat', stacked, { axis });
}

export const SEQUENCE_OPS: Record<string, OpMapping> = {
  SequenceEmpty: (ctx) => seq([], paradoxDType(ctx.int('dtype', 1), 'SequenceEmpty dtype')),
  SequenceConstruct: (ctx) => seq(ctx.all(), ctx.input(0).type.dtype),
  SequenceLength: (ctx) => ctx.e.constant([items(ctx, 0).length], [], 'int32'),
  SequenceAt: (ctx) => {
    const list = items(ctx, 0);
    const at = position(ctx, 1, list.length, 0);
    if (at >= list.length) throw new OnnxModelError(`node '${ctx.nodeName}': SequenceAt past the end`);
    return list[at]!;
  },
  SequenceInsert: (ctx) => {
    const list = [...items(ctx, 0)];
    list.splice(position(ctx, 2, list.length, list.length), 0, ctx.input(1));
    return seq(list, ctx.input(1).type.dtype);
  },
  SequenceErase: (ctx) => {
    const list = [...items(ctx, 0)];
    const at = position(ctx, 1, list.length, list.length - 1);
    list.splice(at, 1);
    return seq(list, ctx.input(0).type.dtype);
  },
  SplitToSequence: splitToSequence,
  ConcatFromSequence: concatFromSequence,
};
