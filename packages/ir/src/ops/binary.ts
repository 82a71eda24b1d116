import { promoteTypes } from '../dtype.js';
import { DTypeError } from '../errors.js';
import type { TensorType } from '../graph.js';
import type { BinaryOp } from '../op-types.js';
import { broadcastShapes, requireDTypes } from '../shape-rules.js';
import { type BuiltinOpDef, isBool, noAttrs } from './define.js';

/**
 * Elementwise binary ops: numpy broadcasting and dtype promotion (bool < int32 < float16 < float32).
 * - arithmetic (add sub mul div pow mod): the promoted dtype must not be bool. int32 div is floor
 *   division and stays int32.
 * - maximum/minimum: any dtype (on bool they are or/and).
 * - comparisons: any dtypes, compared after promotion; the result is bool.
 * - and/or: bool only (int32 bitwise ops are not in op set v1).
 */
type Kind = 'arith' | 'minmax' | 'compare' | 'logic';

function binary<P extends BinaryOp>(name: P, kind: Kind, commutative: boolean, cost = 1): BuiltinOpDef<P> {
  return {
    name,
    arity: 2,
    attrs: noAttrs,
    traits: { elementwise: true, commutative, cost, ...(kind === 'compare' ? { comparison: true } : {}) },
    inferType(inputs: TensorType[]) {
      const [a, b] = inputs as [TensorType, TensorType];
      const promoted = promoteTypes(a.dtype, b.dtype);
      if (kind === 'arith' && promoted === 'bool') {
        throw new DTypeError(
          name,
          inputs,
          'arithmetic on bool operands is not defined (cast to int32 or float32)',
        );
      }
      if (kind === 'logic') requireDTypes(name, inputs, isBool, 'bool');
      const shape = broadcastShapes(name, inputs);
      return { dtype: kind === 'compare' ? 'bool' : promoted, shape };
    },
  } as BuiltinOpDef<P>;
}

export const binaryOps = {
  add: binary('add', 'arith', true),
  sub: binary('sub', 'arith', false),
  mul: binary('mul', 'arith', true),
  div: binary('div', 'arith', false, 2),
  pow: binary('pow', 'arith', false, 4),
  maximum: binary('maximum', 'minmax', true),
  minimum: binary('minimum', 'minmax', true),
  mod: binary('mod', 'arith', false, 2),
  eq: binary('eq', 'compare', true),
  ne: binary('ne', 'compare', true),
  lt: binary('lt', 'compare', false),
  le: binary('le', 'compare', false),
  gt: binary('gt', 'compare', false),
  ge: binary('ge', 'compare', false),
  and: binary('and', 'logic', true),
  or: binary('or', 'logic', true),
  /** where(cond, a, b): cond is bool; a and b promote; all three broadcast together. */
  where: {
    name: 'where',
    arity: 3,
    attrs: noAttrs,
    traits: { elementwise: true, cost: 1 },
    inferType(inputs) {
      const [c, a, b] = inputs as [TensorType, TensorType, TensorType];
      if (c.dtype !== 'bool') throw new DTypeError('where', inputs, 'the condition (operand 0) must be bool');
      return { dtype: promoteTypes(a.dtype, b.dtype), shape: broadcastShapes('where', inputs) };
    },
  } satisfies BuiltinOpDef<'where'>,
};
