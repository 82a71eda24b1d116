/**
 * The counter-based generator behind the `random` op. Every backend must reproduce these bits
 * exactly (only u32 multiply, xor and shifts), so a seeded program gives the same numbers anywhere.
 */

/** A 32-bit integer finalizer (good avalanche, cheap on every target). */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** 2^-24: scales 24 random bits into [0, 1) exactly in float32. */
const TWO_POW_MINUS_24 = 2 ** -24;

/** Raw bits for counter `index` under `seed`: mix32((index + mix32(seed) * 0x9e3779b9) mod 2^32). */
export function randomBits(seed: number, index: number): number {
  return mix32((index + Math.imul(mix32(seed >>> 0), 0x9e3779b9)) >>> 0);
}

/** Uniform in [0, 1): top 24 bits scaled, exact in float32. */
export function randomUniform(seed: number, index: number): number {
  return (randomBits(seed, index) >>> 8) * TWO_POW_MINUS_24;
}

/**
 * Standard normal by Box-Muller over counters 2i and 2i+1:
 * sqrt(-2 ln u1) * cos(2 pi u2), u1 in (0, 1] = ((bits >>> 8) + 1) * 2^-24.
 * Backends compute it in float32, so results agree within float32 rounding, not bit for bit.
 */
export function randomNormal(seed: number, index: number): number {
  const u1 = ((randomBits(seed, 2 * index) >>> 8) + 1) * TWO_POW_MINUS_24;
  const u2 = (randomBits(seed, 2 * index + 1) >>> 8) * TWO_POW_MINUS_24;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
