import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import { binary, broadcastTo, full, iota, reduce, reshape, transpose, where } from './build.js';

/**
 * Einsum as broadcast products: each operand is brought to the space of all labels (a repeated
 * label takes the diagonal), the operands are multiplied, and labels missing from the output are
 * summed. Ellipsis is not supported.
 */

/** Takes the diagonal of `x` over its axes `a` < `b` (equal extents): keeps `a`, drops `b`. */
function diagonal(e: Emitter, x: Val, a: number, b: number): Val {
  const shape = x.type.shape;
  const same = e.op('eq', [iota(e, shape, a), iota(e, shape, b)]);
  return reduce(e, 'sum', where(e, same, x, full(e, 0, x)), [b], false);
}

function toLabelSpace(e: Emitter, x: Val, labels: string, space: string[], extent: Map<string, number>): Val {
  let v = x;
  let ls = [...labels];
  for (let i = 0; i < ls.length; i++) {
    for (let j = ls.length - 1; j > i; j--) {
      if (ls[j] === ls[i]) {
        v = diagonal(e, v, i, j);
        ls.splice(j, 1);
      }
    }
  }
  const present = space.filter((l) => ls.includes(l));
  v = transpose(
    e,
    v,
    present.map((l) => ls.indexOf(l)),
  );
  ls = present;
  v = reshape(
    e,
    v,
    space.map((l) => (ls.includes(l) ? extent.get(l)! : 1)),
  );
  return broadcastTo(
    e,
    v,
    space.map((l) => extent.get(l)!),
  );
}

function einsum(ctx: NodeContext): Val {
  const e = ctx.e;
  const equation = ctx.string('equation', '').replace(/\s+/g, '');
  if (equation.includes('.')) throw ctx.unsupported('ellipsis in the equation');
  const [lhs, rhs] = equation.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  const operands = ctx.all();
  if (terms.length !== operands.length)
    throw ctx.unsupported(`equation '${equation}' names ${terms.length} operands`);
  const extent = new Map<string, number>();
  for (const [k, t] of terms.entries()) {
    for (const [i, l] of [...t].entries()) extent.set(l, operands[k]!.type.shape[i]!);
  }
  const counts = new Map<string, number>();
  for (const l of terms.join('')) counts.set(l, (counts.get(l) ?? 0) + 1);
  const out =
    rhs ??
    [...counts.keys()]
      .filter((l) => counts.get(l) === 1)
      .sort()
      .join('');
  const space = [...extent.keys()];
  const product = operands
    .map((x, k) => toLabelSpace(e, x, terms[k]!, space, extent))
    .reduce((acc, v) => binary(e, 'mul', acc, v));
  const summed = space.map((l, i) => (out.includes(l) ? -1 : i)).filter((i) => i >= 0);
  const kept = space.filter((l) => out.includes(l));
  const r = summed.length > 0 ? reduce(e, 'sum', product, summed, false) : product;
  return transpose(
    e,
    r,
    [...out].map((l) => kept.indexOf(l)),
  );
}

export const EINSUM_OPS: Record<string, OpMapping> = { Einsum: einsum };
