import * as z from 'zod/mini';
import { DTypeError, ShapeError } from '../errors.js';
import type { TensorType } from '../graph.js';
import { formatShape, normalizeAxis, numel, shapesEqual } from '../shape.js';
import { type BuiltinOpDef, int } from './define.js';

/**
 * Indexing ops (op set v2). An index `i` into an axis of extent `n` follows ONNX Gather: a negative
 * index counts from the end (`i + n`). An index still outside [0, n) is clamped to the nearest end,
 * on every path (interpreter and compiled code alike), so compiled code never reads out of bounds
 * and every backend agrees; ONNX calls such an index an error, so validate indices upstream when
 * that matters.
 */
export function resolveIndex(i: number, n: number): number {
  const j = i < 0 ? i + n : i;
  return j < 0 ? 0 : j >= n ? n - 1 : j;
}

/** gather's result shape: data.shape[:axis] + indices.shape + data.shape[axis+1:]. */
export function gatheredShape(data: readonly number[], indices: readonly number[], axis: number): number[] {
  return [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)];
}

/** Reads operands through data-dependent indices: fusion keeps the op alone (see OpTraits.opaque). */
const opaque = { opaque: true, cost: 2 } as const;

function gatherAxis(op: string, operands: TensorType[], data: TensorType, axis: number): number {
  const a = normalizeAxis(axis, data.shape.length);
  if (a < 0) throw new ShapeError(op, operands, `axis ${axis} is out of range for rank ${data.shape.length}`);
  return a;
}

function requireIndices(op: string, operands: TensorType[], indices: TensorType): void {
  if (indices.dtype !== 'int32')
    throw new DTypeError(op, operands, `indices must be int32, got ${indices.dtype} (cast first)`);
}

export const indexingOps = {
  /** ONNX Gather: out[pre, i..., post] = data[pre, resolveIndex(indices[i...]), post]. */
  gather: {
    name: 'gather',
    arity: 2,
    attrs: z.strictObject({ axis: int }),
    traits: opaque,
    inferType(operands, { axis }) {
      const [data, indices] = operands as [TensorType, TensorType];
      const a = gatherAxis('gather', operands, data, axis);
      requireIndices('gather', operands, indices);
      const shape = gatheredShape(data.shape, indices.shape, a);
      if (data.shape[a] === 0 && numel(shape) > 0)
        throw new ShapeError('gather', operands, `axis ${a} has extent 0: there is nothing to gather`);
      return { dtype: data.dtype, shape };
    },
    canonicalize([data], { axis }) {
      return { axis: normalizeAxis(axis, data!.shape.length) };
    },
  } satisfies BuiltinOpDef<'gather'>,

  /**
   * The adjoint of gather: out = data, then out[pre, resolveIndex(indices[i...]), post] +=
   * updates[pre, i..., post] for every i (repeated indices accumulate). updates has gather's shape.
   */
  scatterAdd: {
    name: 'scatterAdd',
    arity: 3,
    attrs: z.strictObject({ axis: int }),
    traits: opaque,
    inferType(operands, { axis }) {
      const [data, indices, updates] = operands as [TensorType, TensorType, TensorType];
      const a = gatherAxis('scatterAdd', operands, data, axis);
      requireIndices('scatterAdd', operands, indices);
      if (data.dtype === 'bool' || updates.dtype !== data.dtype)
        throw new DTypeError('scatterAdd', operands, 'data and updates must share one numeric dtype');
      const want = gatheredShape(data.shape, indices.shape, a);
      if (!shapesEqual(want, updates.shape))
        throw new ShapeError('scatterAdd', operands, `updates must have shape ${formatShape(want)}`);
      if (data.shape[a] === 0 && numel(want) > 0)
        throw new ShapeError('scatterAdd', operands, `axis ${a} has extent 0: there is nowhere to scatter`);
      return { dtype: data.dtype, shape: [...data.shape] };
    },
    canonicalize([data], { axis }) {
      return { axis: normalizeAxis(axis, data!.shape.length) };
    },
  } satisfies BuiltinOpDef<'scatterAdd'>,
};
