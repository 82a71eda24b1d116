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
 * Zeros, NaN and infinities are values `main` computes from bits the compiler cannot see (see
 * `assemble` and `opaqueConstants`): SwiftShader compiles with fast-math assumptions (no NaN, no Inf,
 * no signed zeros), so literal ones were folded away: a -0 pad value became +0, `0 * sin(-Inf)` 0
 * instead of NaN, `-0 / NaN` -0.
 */
const OPAQUE_PREFIX = 'fk_';
const OPAQUE = /\bfk_([0-9a-f]{8})\b/g;

/** `let` lines defining every opaque constant `body` uses (nwg.z >> 31 is 0 at run time). */
export function opaqueConstants(body: readonly string[]): string[] {
  const bits = new Set<string>();
  for (const line of body) for (const m of line.matchAll(OPAQUE)) bits.add(m[1]!);
  return [...bits].sort().map((b) => `  let ${OPAQUE_PREFIX}${b} = f_opaque(f32_bits(0x${b}u), nwg.z);`);
}

/**
 * An f32 value (rounded to float32 first), always as an opaque constant. Zeros, NaN and Inf must be
 * (see above; it also keeps NaN/Inf out of const-expressions, a shader-creation error), and finite
 * ones too: with visible constants SwiftShader reassociates `((x + 2) - 1) - 1` into `x`, which is
 * not what float32 arithmetic gives (fuzz program 893313051: 1.8672673 where the reference rounds to
 * 1.8672671).
 */
export function f32Literal(v: number, where: string): string {
  const x = Math.fround(checkNumber(v, where));
  return `${OPAQUE_PREFIX}${float32Bits(x).toString(16).padStart(8, '0')}`;
}
