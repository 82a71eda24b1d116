import * as z from 'zod/mini';
import { DTYPES, type DType, isFloat } from '../dtype.js';
import type { TensorType } from '../graph.js';
import type { BuiltinOpName, OpAttrs, OpDef, OpName } from '../op-types.js';

/** A built-in op's definition, typed by its name so attrs and rules line up with `OpAttrs`. */
export type BuiltinOpDef<P extends OpName> = OpDef<OpAttrs[P]> & { name: P };

/** One definition per built-in op; a missing op is a compile error. */
export type BuiltinOpTable = { [P in BuiltinOpName]: BuiltinOpDef<P> };

// --- attr schema pieces -----------------------------------------------------------------------

/** Any JS number, including NaN and +-Infinity (zod 4's z.number() rejects non-finite values). */
export const anyNumber = z.custom<number>((v) => typeof v === 'number', 'expected a number');
export const int = z.number().check(z.int());
export const dim = z.number().check(z.int(), z.minimum(0));
export const shapeSchema = z.array(dim);
export const dtypeSchema = z.enum(DTYPES);
export const noAttrs = z.strictObject({}) as unknown as z.ZodMiniType<Record<string, never>>;

// --- dtype predicates -------------------------------------------------------------------------

export const isNumeric = (t: TensorType): boolean => t.dtype !== 'bool';
export const isFloating = (t: TensorType): boolean => isFloat(t.dtype);
export const isBool = (t: TensorType): boolean => t.dtype === 'bool';

export const typeOf = (dtype: DType, shape: number[]): TensorType => ({ dtype, shape });
