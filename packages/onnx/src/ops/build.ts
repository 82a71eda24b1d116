import { broadcastShapes, type DType, normalizeAxis, promoteTypes } from '@paradox/ir';
import type { Emitter, Val } from '../emitter.js';

/** Small graph-building helpers shared by the op mappings (numpy broadcasting, casts, reshapes). */

export const rank = (v: Val): number => v.type.shape.length;

export function cast(e: Emitter, v: Val, dtype: DType): Val {
  return v.type.dtype === dtype ? v : e.op('cast', [v], { dtype });
}

export function broadcastTo(e: Emitter, v: Val, shape: readonly number[]): Val {
  const same = v.type.shape.length === shape.length && v.type.shape.every((d, i) => d === shape[i]);
  return same ? v : e.op('broadcast', [v], { shape: [...shape] });
}

export function reshape(e: Emitter, v: Val, shape: readonly number[]): Val {
  const same = v.type.shape.length === shape.length && v.type.shape.every((d, i) => d === shape[i]);
  return same ? v : e.op('reshape', [v], { shape: [...shape] });
}

/** A binary op with numpy broadcasting and dtype promotion (the graph op wants equal types). */
export function binary(e: Emitter, op: string, a: Val, b: Val): Val {
  const dtype = promoteTypes(a.type.dtype, b.type.dtype);
  const shape = broadcastShapes(op, [a.type, b.type]);
  return e.op(op, [broadcastTo(e, cast(e, a, dtype), shape), broadcastTo(e, cast(e, b, dtype), shape)]);
}

/** A scalar of `like`'s dtype broadcast to its shape. */
export function full(e: Emitter, value: number, like: Val, dtype: DType = like.type.dtype): Val {
  return broadcastTo(e, e.scalar(value, dtype), like.type.shape);
}

/** `x op c` for a constant scalar c. */
export function withScalar(e: Emitter, op: string, x: Val, c: number): Val {
  return e.op(op, [x, full(e, c, x)]);
}

export function where(e: Emitter, cond: Val, a: Val, b: Val): Val {
  const dtype = promoteTypes(a.type.dtype, b.type.dtype);
  const shape = broadcastShapes('where', [cond.type, a.type, b.type]);
  return e.op('where', [
    broadcastTo(e, cond, shape),
    broadcastTo(e, cast(e, a, dtype), shape),
    broadcastTo(e, cast(e, b, dtype), shape),
  ]);
}

export function reduce(e: Emitter, op: string, x: Val, axes: readonly number[], keepdims: boolean): Val {
  const r = rank(x);
  return e.op(op, [x], {
    axes: [...new Set(axes.map((a) => normalizeAxis(a, r)))].sort((p, q) => p - q),
    keepdims,
  });
}

export function transpose(e: Emitter, x: Val, perm: readonly number[]): Val {
  return perm.every((p, i) => p === i) ? x : e.op('transpose', [x], { perm: [...perm] });
}

/** Moves `axis` to the last position; returns the permuted value and the inverse permutation. */
export function axisLast(e: Emitter, x: Val, axis: number): { value: Val; inverse: number[] } {
  const r = rank(x);
  const perm = [...Array(r).keys()].filter((i) => i !== axis).concat(axis);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return { value: transpose(e, x, perm), inverse };
}

/** int32 iota along `axis` of `shape`. */
export function iota(e: Emitter, shape: readonly number[], axis: number, dtype: DType = 'int32'): Val {
  return e.op('iota', [], { shape: [...shape], axis, dtype });
}
