import type { DType } from '../dtype.js';
import { castValue } from '../interpreter/numerics.js';

/**
 * Number spelling for the text form. Every value round-trips exactly, including NaN, +-Infinity
 * and -0 (spelled nan, inf, -inf, -0).
 */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** The shortest spelling that converts back to the same value of `dtype` (0.1 rather than 0.10000000149011612 for f32). */
export function formatElement(v: number, dtype: DType): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if ((dtype === 'float32' || dtype === 'float16') && Number.isFinite(v) && !Object.is(v, -0)) {
    for (let p = 1; p <= 17; p++) {
      const candidate = Number(v.toPrecision(p));
      if (castValue(candidate, dtype) === v) return String(candidate);
    }
  }
  return formatNumber(v);
}

const NUMBER = /^-?(?:nan|inf|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;

/** Parses a number spelled by formatNumber (or any decimal literal); undefined if it is not one. */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  if (text === 'nan' || text === '-nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}
