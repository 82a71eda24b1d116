import { describe, expect, it } from 'vitest';
import { exp32, tanh32 } from '../src/math32.js';

const SMALLEST_NORMAL = 2 ** -126;

/** Every `stride`-th float32 bit pattern (both signs), as numbers. */
function float32Sweep(stride: number): Float32Array {
  const bits = new Uint32Array(Math.ceil(2 ** 32 / stride));
  for (let i = 0; i < bits.length; i++) bits[i] = i * stride + (i % 7);
  return new Float32Array(bits.buffer);
}

describe('exp32', () => {
  it('rounds to the same float32 as Math.exp for every normal result; subnormal ones within one ulp', () => {
    const xs = float32Sweep(256);
    let normal = 0;
    for (const x of xs) {
      const want = Math.fround(Math.exp(x));
      const got = Math.fround(exp32(x));
      if (Number.isNaN(want)) {
        expect(got).toBeNaN();
      } else if (want >= SMALLEST_NORMAL || want === 0 || want === Infinity) {
        if (got !== want) expect.fail(`exp32(${x}) = ${got}, Math.exp gives ${want}`);
        normal++;
      } else {
        const ulps = Math.abs(got - want) / 2 ** -149;
        expect(ulps).toBeLessThanOrEqual(1);
      }
    }
    expect(normal).toBeGreaterThan(16_000_000);
  });

  it('keeps the limits of the special values', () => {
    expect(exp32(Number.NaN)).toBeNaN();
    expect(Math.fround(exp32(Infinity))).toBe(Infinity);
    expect(Math.fround(exp32(-Infinity))).toBe(0);
    expect(exp32(0)).toBe(1);
    expect(exp32(-0)).toBe(1);
    // The overflow and underflow edges of float32.
    for (const x of [88.72283, 88.72284, 88.7229, -103.97, -103.98, -87.33654, -87.33655, 1e-30, -1e-30]) {
      expect(Math.fround(exp32(Math.fround(x)))).toBe(Math.fround(Math.exp(Math.fround(x))));
    }
  });

  it("gives sigmoid's tails: 1 / (1 + e^-x) underflows to 0 and saturates at 1 as the reference does", () => {
    for (const x of [-200, -104, -103.5, -100, -90, -88, 15, 17, 20, 104, 200]) {
      const want = Math.fround(1 / (1 + Math.exp(-x)));
      const got = Math.fround(1 / (1 + exp32(-x)));
      expect(got).toBe(want);
    }
  });
});

describe('tanh32', () => {
  it('rounds to the same float32 as Math.tanh for every input of the sweep', () => {
    let checked = 0;
    for (const x of float32Sweep(256)) {
      const want = Math.fround(Math.tanh(x));
      const got = Math.fround(tanh32(x));
      if (!Object.is(got, want)) expect.fail(`tanh32(${x}) = ${got}, Math.tanh gives ${want}`);
      checked++;
    }
    expect(checked).toBe(2 ** 24);
  });

  it('keeps -0, the limits and NaN, and is exact around the switch at 1/8', () => {
    expect(Object.is(tanh32(-0), -0)).toBe(true);
    expect(tanh32(Infinity)).toBe(1);
    expect(tanh32(-Infinity)).toBe(-1);
    expect(tanh32(Number.NaN)).toBeNaN();
    for (let x = Math.fround(0.124); x < 0.126; x = Math.fround(x + 2 ** -24)) {
      for (const v of [x, -x]) expect(Math.fround(tanh32(v))).toBe(Math.fround(Math.tanh(v)));
    }
  });
});
