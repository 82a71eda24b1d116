import { MalformedProgramError } from '@paradox/backend';

/**
 * The only way a number from a kernel program reaches generated source. Anything that is not a JS
 * number is rejected, so a malformed or hostile program cannot smuggle code into `new Function`.
 */
export function numberLiteral(v: unknown, where: string): string {
  if (typeof v !== 'number') throw new MalformedProgramError(`expected a number, got ${typeof v}`, where);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${String(v)})` : String(v);
}

/** An integer literal (index arithmetic, extents, seeds): must be a safe integer. */
export function intLiteral(v: unknown, where: string): string {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new MalformedProgramError(
      `expected an integer, got ${typeof v === 'number' ? v : typeof v}`,
      where,
    );
  }
  return v < 0 ? `(${v})` : String(v);
}

/** Value of a constant of `dtype` as the generated code holds it (float32 rounded, int32 wrapped, bool 0/1). */
export function constantValue(v: unknown, dtype: string, where: string): number {
  if (typeof v !== 'number') throw new MalformedProgramError(`expected a number, got ${typeof v}`, where);
  if (dtype === 'int32') return v | 0;
  if (dtype === 'bool') return v ? 1 : 0;
  return Math.fround(v);
}
