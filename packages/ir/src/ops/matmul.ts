import { promoteTypes } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { matmulShape } from '../shape-rules.js';
import { type BuiltinOpDef, noAttrs } from './define.js';

/**
 * numpy matmul: [..., M, K] @ [..., K, N] -> [..., M, N] with batch dims broadcast; a 1-D lhs is a
 * row vector and a 1-D rhs a column vector, and those dims are dropped from the result.
 * Operands promote; bool operands are rejected (cast first).
 */
export const matmulOps = {
  matmul: {
    name: 'matmul',
    arity: 2,
    attrs: noAttrs,
    traits: { contraction: true, cost: 8 },
    inferType(inputs) {
      const [a, b] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
      const dtype = promoteTypes(a.dtype, b.dtype);
      if (a.dtype === 'bool' || b.dtype === 'bool') {
        throw new DTypeError('matmul', inputs, 'operands must be float or int32 (cast bool first)');
      }
      return { dtype, shape: matmulShape('matmul', a, b) };
    },
  } satisfies BuiltinOpDef<'matmul'>,
};
