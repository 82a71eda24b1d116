import { MalformedProgramError, UnsupportedDtypeError } from '@paradox/backend';
import type { DType } from '@paradox/ir';
import { f32Literal, i32Literal } from './literals.js';

/**
 * How each dtype lives in WGSL. Values in registers: float32 and float16 as f32 (float16 results
 * are rounded to half after every op, see `round`), int32 as i32, bool as bool. In storage: bool
 * as one u32 per element (WGSL has no byte stores), float16 as f16 (needs `shader-f16`).
 */
export interface WgslDType {
  /** Register type. */
  reg: 'f32' | 'i32' | 'bool';
  /** Array element type in storage buffers. */
  storage: 'f32' | 'i32' | 'u32' | 'f16';
  /** Bytes per element on the device. */
  bytes: 2 | 4;
}

export const WGSL_DTYPES: Record<DType, WgslDType> = {
  float32: { reg: 'f32', storage: 'f32', bytes: 4 },
  int32: { reg: 'i32', storage: 'i32', bytes: 4 },
  bool: { reg: 'bool', storage: 'u32', bytes: 4 },
  float16: { reg: 'f32', storage: 'f16', bytes: 2 },
};

export function wgslDType(d: DType, where: string): WgslDType {
  const t = Object.hasOwn(WGSL_DTYPES, d) ? WGSL_DTYPES[d] : undefined;
  if (!t) throw new UnsupportedDtypeError(String(d).slice(0, 40), 'wgsl', where);
  return t;
}

/** Storage element -> register value. */
export function fromStorage(d: DType, e: string): string {
  if (d === 'bool') return `(${e} != 0u)`;
  if (d === 'float16') return `f32(${e})`;
  return e;
}

/** Register value -> storage element. */
export function toStorage(d: DType, e: string): string {
  if (d === 'bool') return `select(0u, 1u, ${e})`;
  if (d === 'float16') return `f16(${e})`;
  return e;
}

/** float16 math runs in f32 and rounds each result to half, as the reference does. */
export function round(d: DType, e: string): string {
  return d === 'float16' ? `f32(f16(${e}))` : e;
}

/** A constant of dtype `d` as the registers hold it (int32 wraps, bool is != 0, floats round). */
export function constant(d: DType, v: unknown, where: string): string {
  if (typeof v !== 'number') throw new MalformedProgramError(`expected a number, got ${typeof v}`, where);
  switch (d) {
    case 'float32':
      return f32Literal(v, where);
    case 'float16':
      return round(d, f32Literal(v, where));
    case 'int32':
      return i32Literal(Number.isFinite(v) ? Math.trunc(v) | 0 : 0, where);
    case 'bool':
      return v !== 0 ? 'true' : 'false';
  }
  throw new UnsupportedDtypeError(String(d).slice(0, 40), 'wgsl', where);
}

/** The identity-free "zero" of a register type, for accumulators and defaults. */
export const ZERO: Record<WgslDType['reg'], string> = { f32: '0.0f', i32: '0i', bool: 'false' };
