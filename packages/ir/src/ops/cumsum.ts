import * as z from 'zod/mini';
import { DTypeError, ShapeError } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import { type BuiltinOpDef, int } from './define.js';

/**
 * Running sum along `axis` (ONNX CumSum): out[i] = sum of x[j] for j <= i (j < i when exclusive;
 * j >= i, or j > i, when reverse). Same dtype as the operand; bool is rejected (cast first).
 */
export const cumsumOps = {
  cumsum: {
    name: 'cumsum',
    arity: 1,
    attrs: z.strictObject({ axis: int, exclusive: z.boolean(), reverse: z.boolean() }),
    // A reduction loop of its own per output element, reading its operand as a buffer.
    traits: { contraction: true, cost: 2 },
    inferType(operands, { axis }) {
      const x = operands[0]!;
      if (x.dtype === 'bool')
        throw new DTypeError('cumsum', operands, 'operand must be numeric (cast bool first)');
      if (normalizeAxis(axis, x.shape.length) < 0) {
        throw new ShapeError('cumsum', operands, `axis ${axis} is out of range for rank ${x.shape.length}`);
      }
      return { dtype: x.dtype, shape: [...x.shape] };
    },
    canonicalize([x], attrs) {
      return { ...attrs, axis: normalizeAxis(attrs.axis, x!.shape.length) };
    },
  } satisfies BuiltinOpDef<'cumsum'>,
};
