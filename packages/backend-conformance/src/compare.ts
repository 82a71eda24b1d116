import type { DType, TypedArray } from '@paradox/ir';

/** Float results pass when |actual - expected| <= atol + rtol * |expected|; NaN must meet NaN, Inf the same Inf. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-5, atol: 1e-5 };

export interface CompareOptions {
  tolerance: Tolerance;
  /** Also require -0 where the reference has -0 (and +0 where it has +0). */
  zeroSign?: boolean;
  /** A second acceptable answer per element (a declared departure, e.g. flushed subnormals). */
  alternative?: TypedArray;
  /**
   * The backend declares `numerics.assumesFiniteMath`: an element whose reference is NaN or an
   * infinity may be anything, and a zero may have either sign. Every finite reference must still match.
   */
  finiteMath?: boolean;
}

/**
 * Compares a backend result with the reference: exact for int32/bool, within tolerance for floats.
 * Returns a description of the first mismatches, or undefined when they agree.
 */
export function compareArrays(
  actual: TypedArray,
  expected: TypedArray,
  dtype: DType,
  options: CompareOptions,
): string | undefined {
  if (actual.constructor !== expected.constructor) {
    return `expected a ${expected.constructor.name} (${dtype}), got a ${actual.constructor.name}`;
  }
  if (actual.length !== expected.length) return `expected ${expected.length} elements, got ${actual.length}`;
  const float = dtype === 'float32' || dtype === 'float16';
  const { rtol, atol } = options.tolerance;
  const bad: string[] = [];
  let count = 0;
  const agrees = (a: number, e: number): boolean => {
    if (!float) return a === e;
    if (options.finiteMath && !Number.isFinite(e)) return true;
    if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a);
    if (!Number.isFinite(e) || !Number.isFinite(a)) return a === e;
    return (
      Math.abs(a - e) <= atol + rtol * Math.abs(e) &&
      (!options.zeroSign || e !== 0 || Object.is(a, e) || options.finiteMath === true)
    );
  };
  const alternative = options.alternative;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = agrees(a, e) || (alternative !== undefined && agrees(a, alternative[i]!));
    if (!ok) {
      count++;
      if (bad.length < 5) bad.push(`[${i}] got ${fmt(a)}, expected ${fmt(e)}`);
    }
  }
  return count === 0 ? undefined : `${count} of ${expected.length} elements differ: ${bad.join('; ')}`;
}

const fmt = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
