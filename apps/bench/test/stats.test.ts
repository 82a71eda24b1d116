import { describe, expect, it } from 'vitest';
import { compare, median, ratio, summarize } from '../src/stats.js';

describe('stats', () => {
  it('median of odd and even counts, unsorted input', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('summarize keeps min, max, mean and sample order', () => {
    const s = summarize([3, 1, 2, 10]);
    expect(s).toMatchObject({ n: 4, median: 2.5, min: 1, max: 10, mean: 4 });
    expect(s.samples).toEqual([3, 1, 2, 10]);
  });

  it('summarize rejects empty and non-finite samples', () => {
    expect(() => summarize([])).toThrow(/no samples/);
    expect(() => summarize([1, Number.NaN])).toThrow(/non-finite/);
  });

  it('ratio is time over baseline, undefined without a usable baseline', () => {
    expect(ratio(6, 2)).toBe(3);
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, undefined)).toBeUndefined();
    expect(ratio(undefined, 1)).toBeUndefined();
    expect(ratio(1, 0)).toBeUndefined();
  });

  it('compare passes within atol + rtol*|ref| and reports the largest error', () => {
    const c = compare(new Float32Array([1, 2.001, -3]), [1, 2, -3], { atol: 0, rtol: 1e-3 });
    expect(c.ok).toBe(true);
    expect(c.maxAbsErr).toBeCloseTo(0.001, 6);
  });

  it('compare fails on the first element out of tolerance and names it', () => {
    const c = compare([0, 1.5, 9], [0, 1, 9], { atol: 1e-6, rtol: 1e-6 });
    expect(c.ok).toBe(false);
    expect(c.maxAbsErr).toBe(0.5);
    expect(c.reason).toBe('element 1: got 1.5, want 1');
  });

  it('compare fails on NaN and on a length mismatch', () => {
    expect(compare([Number.NaN], [1], { atol: 1, rtol: 1 })).toMatchObject({
      ok: false,
      maxAbsErr: Number.POSITIVE_INFINITY,
    });
    expect(compare([1, 2], [1], { atol: 1, rtol: 1 })).toMatchObject({
      ok: false,
      reason: 'length 2, want 1',
    });
  });
});

describe('error text', () => {
  it('keeps the first line and names the throwing frame', async () => {
    const { errorText, errorWhere } = await import('../src/contenders/util.js');
    const e = new RangeError('Maximum call stack size exceeded\nsecond line');
    e.stack =
      'RangeError: Maximum call stack size exceeded\n    at AluExp.#simplifyInner (/x/node_modules/@jax-js/jax/dist/backend-Cn.js:834:16)\n    at f (/y.js:1:1)';
    expect(errorText(e)).toBe('Maximum call stack size exceeded');
    expect(errorWhere(e)).toBe(
      'Maximum call stack size exceeded (at AluExp.#simplifyInner, backend-Cn.js:834)',
    );
    const anon = new Error('boom');
    anon.stack = 'Error: boom\n    at /a/b/c.js:5:7';
    expect(errorWhere(anon)).toBe('boom (at c.js:5)');
    expect(errorWhere('plain')).toBe('plain');
  });
});
