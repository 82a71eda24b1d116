/**
 * Transcendentals for results that are rounded to float32 next, computed in double from a table and
 * short polynomials instead of V8's `Math.exp`/`Math.tanh`, which compile to calls into C that no
 * loop around them can overlap.
 */

/**
 * e^v for a result rounded to float32 next, about 3x cheaper than `Math.exp`. Classic table
 * method: with
 * k = round(v * 256 / ln2) and r = v - k * ln2 / 256 (|r| <= ln2 / 512),
 *   e^v = 2^(k >> 8) * 2^((k & 255) / 256) * e^r,
 * and a degree-4 Taylor polynomial gives e^r to ~4e-17 relative. That is far below float32's half
 * ulp (3e-8), so `Math.fround(exp32(v))` equals `Math.fround(Math.exp(v))` for every normal result
 * (the tests sweep every 256th float32 bit pattern); subnormal results may differ by one ulp.
 *
 * Inputs are clamped to [-104, 104] first: e^104 and e^-104 already round to Infinity and 0 in
 * float32, and so do 1 / (1 + e^±104) for sigmoid's tails, so ±Infinity keep their limits. NaN
 * passes through the clamp (the comparisons are false) into the polynomial, which returns NaN.
 */
const SHIFT = 8;
const STEPS = 1 << SHIFT;
/** Offset that keeps k non-negative over the clamped range, so `| 0` rounds like floor. */
const K_OFFSET = 152 * STEPS;
const POW2_INT = Float64Array.from({ length: 320 }, (_, i) => 2 ** (i - 152));
const POW2_FRAC = Float64Array.from({ length: STEPS }, (_, j) => 2 ** (j / STEPS));
const TO_K = STEPS / Math.LN2;
const FROM_K = Math.LN2 / STEPS;

export function exp32(v: number): number {
  const x = v > 104 ? 104 : v < -104 ? -104 : v;
  const k = (x * TO_K + (K_OFFSET + 0.5)) | 0;
  const r = x - (k - K_OFFSET) * FROM_K;
  const poly = 1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24))));
  return POW2_INT[k >> SHIFT]! * POW2_FRAC[k & (STEPS - 1)]! * poly;
}

/** Taylor coefficients of tanh(x) / x in x^2, enough for |x| < 1/8 to ~1e-18. */
const TANH_SERIES = [
  1,
  -1 / 3,
  2 / 15,
  -17 / 315,
  62 / 2835,
  -1382 / 155925,
  21844 / 6081075,
  -929569 / 638512875,
] as const;
const [t0, t1, t2, t3, t4, t5, t6, t7] = TANH_SERIES;

/**
 * tanh(v) for a result rounded to float32 next, about twice as fast as `Math.tanh`. Near zero
 * (|v| < 1/8) the odd Taylor series avoids the cancellation of the exp form (and keeps -0);
 * elsewhere tanh(v) = 1 - 2 / (e^2v + 1), whose error stays below ~1e-15 relative. The tests sweep
 * every 256th float32 bit pattern against `Math.fround(Math.tanh(v))`. ±Infinity give ±1 through
 * exp32's clamp; NaN stays NaN.
 */
export function tanh32(v: number): number {
  if (v < 0.125 && v > -0.125) {
    const s = v * v;
    return v * (t0 + s * (t1 + s * (t2 + s * (t3 + s * (t4 + s * (t5 + s * (t6 + s * t7)))))));
  }
  return 1 - 2 / (exp32(2 * v) + 1);
}
