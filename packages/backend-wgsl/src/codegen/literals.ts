import { MalformedProgramError } from '@paradox/backend';

/**
 * The only way numbers from a kernel program reach WGSL. Anything that is not a finite-or-special
 * JS number is rejected, so a malformed or hostile program cannot smuggle text into a shader.
 * WGSL has no NaN/Inf literals (and const-evaluating one is a compile error), so those are
 * spelled as bit patterns.
 */

const f32Bits = new Float32Array(1);
const u32View = new Uint32Array(f32Bits.buffer);

function checkNumber(v: unknown, where: string): number {
  if (typeof v !== 'number') throw new MalformedProgramError(`expected a number, got ${typeof v}`, where);
  return v;
}

/** Bits of `v` rounded to float32. */
export function float32Bits(v: number): number {
  f32Bits[0] = v;
  return u32View[0]!;
}

export function u32Literal(v: number, where: string): string {
  const n = checkNumber(v, where);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new MalformedProgramError(`expected a u32, got ${n}`, where);
  return `${n}u`;
}

/** An i32 literal; -2^31 cannot be written as a negated literal, so it goes through a bitcast. */
export function i32Literal(v: number, where: string): string {
  const n = checkNumber(v, where);
  if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) {
    throw new MalformedProgramError(`expected an int32, got ${n}`, where);
  }
  if (n === -2147483648) return 'i32(-2147483647 - 1)';
  return n < 0 ? `(${n}i)` : `${n}i`;
}

/**
 * -0 as `main` holds it (see `assemble`): SwiftShader compiles with no-signed-zeros, so a literal
 * -0 (even a const bitcast) is folded to +0 wherever it flows through a select.
 */
export const NEG_ZERO = 'neg_zero';

/**
 * An f32 value (rounded to float32 first). Decimal when finite; -0 as NEG_ZERO; NaN and Inf
 * through the `f32_bits` helper, because a const-expression that evaluates to NaN or Inf is a
 * shader-creation error, while a function call is never a const-expression.
 */
export function f32Literal(v: number, where: string): string {
  const x = Math.fround(checkNumber(v, where));
  if (!Number.isFinite(x)) return `f32_bits(0x${float32Bits(x).toString(16)}u)`;
  if (Object.is(x, -0)) return NEG_ZERO;
  // String() of the float32 value's double gives the shortest text that parses back to it.
  const s = String(x);
  const text = /[.e]/.test(s) ? s : `${s}.0`;
  return x < 0 ? `(${text}f)` : `${text}f`;
}
