import * as z from 'zod/mini';
import { isFloat } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import {
  anyNumber,
  type BuiltinOpDef,
  dtypeSchema,
  hasExactKeys,
  int,
  isDtypeValue,
  shapeSchema,
} from './define.js';

/**
 * Creation ops take no inputs. `value` is converted to `dtype` with cast's rules.
 * (Captured arrays are not ops: they are graph constants, printed as `const [...]`.)
 */
const creation = { creation: true, cost: 0 } as const;
const CONSTANT_KEYS = ['value', 'dtype'];

export const creationOps = {
  /** A rank-0 scalar. */
  constant: {
    name: 'constant',
    arity: 0,
    attrs: z.strictObject({ value: anyNumber, dtype: dtypeSchema }),
    quickAttrs: (a) => hasExactKeys(a, CONSTANT_KEYS) && typeof a.value === 'number' && isDtypeValue(a.dtype),
    traits: creation,
    inferType(_, { dtype }) {
      return { dtype, shape: [] };
    },
  } satisfies BuiltinOpDef<'constant'>,

  full: {
    name: 'full',
    arity: 0,
    attrs: z.strictObject({ value: anyNumber, shape: shapeSchema, dtype: dtypeSchema }),
    traits: creation,
    inferType(_, { shape, dtype }) {
      return { dtype, shape: [...shape] };
    },
  } satisfies BuiltinOpDef<'full'>,

  /** out[idx] = idx[axis]; dtype int32 or float. */
  iota: {
    name: 'iota',
    arity: 0,
    attrs: z.strictObject({ shape: shapeSchema, axis: int, dtype: dtypeSchema }),
    traits: creation,
    inferType(_, { shape, axis, dtype }) {
      const t = { dtype, shape: [...shape] };
      if (normalizeAxis(axis, shape.length) < 0) {
        throw new ShapeError('iota', [t], `axis ${axis} is out of range for rank ${shape.length}`);
      }
      if (dtype === 'bool') throw new DTypeError('iota', [t], 'dtype must be int32 or float');
      return t;
    },
    canonicalize(_, { shape, axis, dtype }) {
      return { shape, axis: normalizeAxis(axis, shape.length), dtype };
    },
  } satisfies BuiltinOpDef<'iota'>,

  /** Counter-based random numbers (see random.ts); element i uses counter i. Float dtypes only. */
  random: {
    name: 'random',
    arity: 0,
    attrs: z.strictObject({
      seed: z.number().check(z.int(), z.minimum(0), z.maximum(0xffffffff)),
      shape: shapeSchema,
      dtype: dtypeSchema,
      distribution: z.enum(['uniform', 'normal']),
    }),
    traits: { creation: true, impure: true, cost: 6 },
    inferType(_, { shape, dtype }) {
      const t = { dtype, shape: [...shape] };
      if (!isFloat(dtype)) throw new DTypeError('random', [t], 'dtype must be float32 or float16');
      return t;
    },
  } satisfies BuiltinOpDef<'random'>,
};
