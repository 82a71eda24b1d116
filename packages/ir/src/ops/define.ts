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

// --- quick attr checks (OpDef.quickAttrs): each accepts a subset of what its schema accepts ----

const DTYPE_SET: ReadonlySet<unknown> = new Set(DTYPES);

/** A plain object with exactly these own keys (what z.strictObject accepts, narrowed to plain objects). */
export function hasExactKeys(x: unknown, keys: readonly string[]): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== Object.prototype) return false;
  let n = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k) || !keys.includes(k)) return false;
    n++;
  }
  return n === keys.length;
}

export const isDtypeValue = (x: unknown): boolean => DTYPE_SET.has(x);

/** What `shapeSchema` accepts: an array of safe non-negative integers. */
export function isShapeValue(x: unknown): boolean {
  if (!Array.isArray(x)) return false;
  for (const d of x) if (!Number.isSafeInteger(d) || d < 0) return false;
  return true;
}

// --- dtype predicates -------------------------------------------------------------------------

export const isNumeric = (t: TensorType): boolean => t.dtype !== 'bool';
export const isFloating = (t: TensorType): boolean => isFloat(t.dtype);
export const isBool = (t: TensorType): boolean => t.dtype === 'bool';

export const typeOf = (dtype: DType, shape: number[]): TensorType => ({ dtype, shape });
