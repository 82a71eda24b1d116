import * as z from 'zod/mini';
import { DTypeError } from '../errors.js';
import type { TensorType } from '../graph.js';
import type { AvgPoolAttrs, PoolAttrs } from '../op-types.js';
import type { BuiltinOpDef } from './define.js';
import {
  padsSchema,
  positive,
  requireFloat,
  requireSpatialLength,
  resolvePads,
  spatialRank,
  windowOutputShape,
} from './window.js';

const poolSchema = z.strictObject({
  kernel: z.array(positive),
  strides: z.array(positive),
  dilations: z.array(positive),
  pads: padsSchema,
  ceilMode: z.boolean(),
});

function poolType(op: string, operands: TensorType[], attrs: PoolAttrs): TensorType {
  const x = operands[0]!;
  if (op === 'avgPool') requireFloat(op, operands);
  else if (x.dtype === 'bool')
    throw new DTypeError(op, operands, 'operand must be numeric (cast bool first)');
  const rank = spatialRank(op, operands);
  const { kernel, strides, dilations, pads, ceilMode } = attrs;
  requireSpatialLength(op, operands, { kernel, strides, dilations, pads }, rank);
  const explicit = resolvePads(pads, x.shape.slice(2), kernel, strides, dilations);
  const spatial = windowOutputShape(op, operands, kernel, strides, dilations, explicit, ceilMode);
  return { dtype: x.dtype, shape: [x.shape[0]!, x.shape[1]!, ...spatial] };
}

function canonicalPool<A extends PoolAttrs>([x]: TensorType[], attrs: A): A {
  const { kernel, strides, dilations, pads } = attrs;
  return { ...attrs, pads: resolvePads(pads, x!.shape.slice(2), kernel, strides, dilations) };
}

/**
 * Pooling over each channel's windows (see window.ts). maxPool (any numeric dtype) ignores padding
 * (ONNX pads with -inf; the dtype's lowest value here); avgPool (float) avgPool divides by the in-bounds count, or with countIncludePad by the count inside the
 * explicitly padded input (a ceil-mode window's overhang beyond it is never counted).
 */
export const poolOps = {
  maxPool: {
    name: 'maxPool',
    arity: 1,
    attrs: poolSchema,
    // Reduces over its own window loop and reads its operand as a buffer, like a contraction.
    traits: { contraction: true, cost: 2 },
    inferType: (operands, attrs) => poolType('maxPool', operands, attrs),
    canonicalize: canonicalPool,
  } satisfies BuiltinOpDef<'maxPool'>,
  avgPool: {
    name: 'avgPool',
    arity: 1,
    attrs: z.extend(poolSchema, { countIncludePad: z.boolean() }),
    traits: { contraction: true, cost: 2 },
    inferType: (operands, attrs: AvgPoolAttrs) => poolType('avgPool', operands, attrs),
    canonicalize: canonicalPool,
  } satisfies BuiltinOpDef<'avgPool'>,
};
