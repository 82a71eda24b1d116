import * as z from 'zod/mini';
import { ShapeError } from '../errors.js';
import type { TensorType } from '../graph.js';
import type { ReduceAttrs } from '../op-types.js';
import { normalizeAxis } from '../shape.js';
import { normalizeAxes } from '../shape-rules.js';
import { type BuiltinOpDef, int } from './define.js';
import { ARGMIN_DEF, REDUCE_DEFS } from './reduce-facts.js';

const ARG_DEFS = { argmax: REDUCE_DEFS.argmax, argmin: ARGMIN_DEF };

/**
 * Reductions over `axes` (negative allowed; canonical form is normalized and sorted) with keepdims.
 * sum/prod of bool count in int32 (numpy); max/min keep the dtype. max, min, argmax and argmin have no
 * identity, so reducing an empty extent into a non-empty result is a ShapeError (as numpy raises).
 */
const reduceAttrs = z.strictObject({ axes: z.array(int), keepdims: z.boolean() });

export function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  return keepdims
    ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : shape.filter((_, i) => !axes.includes(i));
}

function requireNonEmptyExtent(op: string, x: TensorType, axes: number[], out: number[]): void {
  const extent = axes.reduce((p, a) => p * x.shape[a]!, 1);
  if (extent === 0 && out.reduce((p, d) => p * d, 1) > 0) {
    throw new ShapeError(
      op,
      [x],
      `cannot reduce an empty extent (axes [${axes.join(',')}]): ${op} has no identity`,
    );
  }
}

function reduction<P extends 'sum' | 'prod' | 'max' | 'min'>(name: P, hasIdentity: boolean): BuiltinOpDef<P> {
  return {
    name,
    arity: 1,
    attrs: reduceAttrs,
    traits: { reduction: true, commutative: false, cost: 1 },
    reduce: REDUCE_DEFS[name],
    inferType([x]: TensorType[], { axes, keepdims }: ReduceAttrs) {
      const norm = normalizeAxes(name, x!, axes);
      const shape = reducedShape(x!.shape, norm, keepdims);
      if (!hasIdentity) requireNonEmptyExtent(name, x!, norm, shape);
      const dtype = hasIdentity && x!.dtype === 'bool' ? 'int32' : x!.dtype;
      return { dtype, shape };
    },
    canonicalize([x]: TensorType[], { axes, keepdims }: ReduceAttrs) {
      return { axes: normalizeAxes(name, x!, axes), keepdims };
    },
  } as BuiltinOpDef<P>;
}

function argIndex<P extends 'argmax' | 'argmin'>(name: P): BuiltinOpDef<P> {
  return {
    name,
    arity: 1,
    attrs: z.strictObject({ axis: int, keepdims: z.boolean() }),
    traits: { reduction: true, cost: 2 },
    reduce: ARG_DEFS[name],
    inferType([x]: TensorType[], { axis, keepdims }: { axis: number; keepdims: boolean }) {
      const a = normalizeAxis(axis, x!.shape.length);
      if (a < 0) throw new ShapeError(name, [x!], `axis ${axis} is out of range for rank ${x!.shape.length}`);
      const shape = reducedShape(x!.shape, [a], keepdims);
      requireNonEmptyExtent(name, x!, [a], shape);
      return { dtype: 'int32', shape };
    },
    canonicalize([x]: TensorType[], { axis, keepdims }: { axis: number; keepdims: boolean }) {
      return { axis: normalizeAxis(axis, x!.shape.length), keepdims };
    },
  } as BuiltinOpDef<P>;
}

export const reduceOps = {
  sum: reduction('sum', true),
  prod: reduction('prod', true),
  max: reduction('max', false),
  min: reduction('min', false),
  /** Index (int32) of the first maximum along one axis; NaN counts as the maximum. */
  argmax: argIndex('argmax'),
  /** Index (int32) of the first minimum along one axis; NaN counts as the minimum. */
  argmin: argIndex('argmin'),
};
