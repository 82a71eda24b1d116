import { describe, expect, it } from 'vitest';
import { evalBinary, roundToFloat16 } from '../src/index.js';
import { host } from './helpers.js';
import { B, F, I, INT_MAX, INT_MIN, run, values } from './interpreter-helpers.js';

describe('elementwise binary', () => {
  it('broadcasts numpy-style', () => {
    const r = run('add', [F([2, 1], [10, 20]), F([3], [1, 2, 3])]);
    expect(r.shape).toEqual([2, 3]);
    expect(values(r)).toEqual([11, 12, 13, 21, 22, 23]);
    const s = run('sub', [F([], [1]), F([2, 2], [1, 2, 3, 4])]);
    expect(values(s)).toEqual([0, -1, -2, -3]);
  });

  it('promotes int32 with float32', () => {
    const r = run('mul', [I([2], [3, -2]), F([2], [0.5, 1.5])]);
    expect(r.dtype).toBe('float32');
    expect(values(r)).toEqual([1.5, -3]);
  });

  it('propagates NaN and Inf (maximum/minimum too)', () => {
    expect(values(run('add', [F([3], [Infinity, Infinity, NaN]), F([3], [-Infinity, 1, 1])]))).toEqual([
      NaN,
      Infinity,
      NaN,
    ]);
    expect(values(run('maximum', [F([3], [NaN, 1, 2]), F([3], [1, NaN, -0])]))).toEqual([NaN, NaN, 2]);
    expect(values(run('minimum', [F([3], [NaN, 1, -Infinity]), F([3], [1, NaN, 5])]))).toEqual([
      NaN,
      NaN,
      -Infinity,
    ]);
    expect(values(run('div', [F([3], [1, -1, 0]), F([3], [0, 0, 0])]))).toEqual([Infinity, -Infinity, NaN]);
  });

  it('rounds to float32 after every op', () => {
    expect(values(run('add', [F([1], [16777216]), F([1], [1])]))).toEqual([16777216]);
    expect(values(run('mul', [F([1], [0.1]), F([1], [3])]))).toEqual([Math.fround(Math.fround(0.1) * 3)]);
    expect(values(run('div', [F([1], [1]), F([1], [3])]))).toEqual([Math.fround(1 / 3)]);
  });

  it('int32 division is floor division; x / 0 = 0; wraps', () => {
    const r = run('div', [I([6], [7, -7, 7, -7, 5, INT_MIN]), I([6], [2, 2, -2, -2, 0, -1])]);
    expect(r.dtype).toBe('int32');
    expect(values(r)).toEqual([3, -4, -4, 3, 0, INT_MIN]);
  });

  it('mod takes the divisor sign (ints and floats); int mod 0 = 0, float mod 0 = NaN', () => {
    expect(values(run('mod', [I([5], [7, -7, 7, -7, 5]), I([5], [3, 3, -3, -3, 0])]))).toEqual([
      1, 2, -2, -1, 0,
    ]);
    const f = values(run('mod', [F([6], [5.5, -5.5, 5.5, 1, -1, -0]), F([6], [2, 2, -2, 0, Infinity, 2])]));
    expect(f.slice(0, 3)).toEqual([1.5, 0.5, -0.5]);
    expect(f[3]).toBeNaN();
    expect(f[4]).toBe(Infinity); // Python: -1 % inf == inf
    expect(Object.is(f[5], 0)).toBe(true);
    expect(Object.is(evalBinary('mod', 2, -1, 'float32'), -0)).toBe(true);
  });

  it('int32 arithmetic wraps', () => {
    expect(values(run('add', [I([1], [INT_MAX]), I([1], [1])]))).toEqual([INT_MIN]);
    expect(values(run('sub', [I([1], [INT_MIN]), I([1], [1])]))).toEqual([INT_MAX]);
    expect(values(run('mul', [I([2], [65536, 123456789]), I([2], [65536, 1000])]))).toEqual([
      0,
      Math.imul(123456789, 1000),
    ]);
    expect(values(run('neg', [I([2], [INT_MIN, 5])]))).toEqual([INT_MIN, -5]);
    expect(values(run('abs', [I([2], [INT_MIN, -5])]))).toEqual([INT_MIN, 5]);
  });

  it('pow follows numpy', () => {
    const f = values(run('pow', [F([6], [0, NaN, 1, -8, 2, -1]), F([6], [0, 0, NaN, 1 / 3, -1, Infinity])]));
    expect(f.slice(0, 3)).toEqual([1, 1, 1]);
    expect(f[3]).toBeNaN();
    expect(f.slice(4)).toEqual([0.5, 1]);
    const i = values(run('pow', [I([6], [2, 2, -1, -1, 3, 0]), I([6], [10, -1, -3, -2, 31, 0])]));
    expect(i).toEqual([1024, 0, -1, 1, Math.imul(Math.imul(3 ** 15, 3 ** 15), 3), 1]);
  });

  it('comparisons give bool, NaN compares unequal', () => {
    const a = F([4], [1, NaN, 2, NaN]);
    const b = F([4], [1, 1, 3, NaN]);
    expect(run('eq', [a, b]).dtype).toBe('bool');
    expect(values(run('eq', [a, b]))).toEqual([1, 0, 0, 0]);
    expect(values(run('ne', [a, b]))).toEqual([0, 1, 1, 1]);
    expect(values(run('lt', [a, b]))).toEqual([0, 0, 1, 0]);
    expect(values(run('ge', [a, b]))).toEqual([1, 0, 0, 0]);
    expect(values(run('gt', [I([2], [3, 1]), F([2], [2.5, 1.5])]))).toEqual([1, 0]);
  });

  it('and/or/not on bool; maximum of bools is or', () => {
    const a = B([4], [0, 0, 1, 1]);
    const b = B([4], [0, 1, 0, 1]);
    expect(values(run('and', [a, b]))).toEqual([0, 0, 0, 1]);
    expect(values(run('or', [a, b]))).toEqual([0, 1, 1, 1]);
    expect(values(run('not', [a]))).toEqual([1, 1, 0, 0]);
    expect(values(run('maximum', [a, b]))).toEqual([0, 1, 1, 1]);
  });

  it('where broadcasts condition and branches', () => {
    const r = run('where', [B([2, 1], [1, 0]), F([3], [1, 2, 3]), I([], [-1])]);
    expect(r.dtype).toBe('float32');
    expect(values(r)).toEqual([1, 2, 3, -1, -1, -1]);
  });
});

describe('elementwise unary', () => {
  it('float functions with NaN/Inf semantics', () => {
    const x = F([6], [NaN, -2, -0, 0, 4, Infinity]);
    const rel = values(run('relu', [x]));
    expect(rel[0]).toBeNaN();
    expect(rel.slice(1)).toEqual([0, 0, 0, 4, Infinity]);
    const sg = values(run('sign', [x]));
    expect(sg[0]).toBeNaN();
    expect(sg.slice(1)).toEqual([-1, -0, 0, 1, 1]);
    expect(values(run('rsqrt', [F([3], [4, 0, -1])]))).toEqual([0.5, Infinity, NaN]);
    expect(values(run('sqrt', [F([2], [-1, 2])]))).toEqual([NaN, Math.fround(Math.SQRT2)]);
    expect(values(run('log', [F([3], [0, -1, 1])]))).toEqual([-Infinity, NaN, 0]);
    expect(values(run('sigmoid', [F([3], [0, -Infinity, Infinity])]))).toEqual([0.5, 0, 1]);
    expect(values(run('sigmoid', [F([1], [2])]))).toEqual([Math.fround(1 / (1 + Math.exp(-2)))]);
    expect(values(run('exp', [F([2], [1, 100])]))).toEqual([Math.fround(Math.E), Infinity]);
    expect(values(run('floor', [F([3], [-1.5, 1.5, -0])]))).toEqual([-2, 1, -0]);
    expect(values(run('ceil', [F([2], [-1.5, 1.2])]))).toEqual([-1, 2]);
    expect(values(run('tanh', [F([2], [Infinity, 0.5])]))).toEqual([1, Math.fround(Math.tanh(0.5))]);
    expect(values(run('neg', [F([2], [0, NaN])]))).toEqual([-0, NaN]);
  });

  it('int32 unary', () => {
    expect(values(run('relu', [I([3], [-3, 0, 3])]))).toEqual([0, 0, 3]);
    expect(values(run('sign', [I([3], [-3, 0, 3])]))).toEqual([-1, 0, 1]);
    expect(values(run('floor', [I([2], [-3, 7])]))).toEqual([-3, 7]);
  });
});

describe('cast and float16', () => {
  it('float -> int truncates toward zero, NaN -> 0, saturates', () => {
    const r = run('cast', [F([6], [-1.7, 1.7, NaN, 1e10, -1e10, -0.5])], { dtype: 'int32' });
    expect(values(r)).toEqual([-1, 1, 0, INT_MAX, INT_MIN, 0]);
  });

  it('-> bool is != 0 (NaN is true)', () => {
    expect(values(run('cast', [F([5], [0, -0, NaN, 2, -Infinity])], { dtype: 'bool' }))).toEqual([
      0, 0, 1, 1, 1,
    ]);
    expect(values(run('cast', [I([2], [0, -5])], { dtype: 'bool' }))).toEqual([0, 1]);
    expect(values(run('cast', [B([2], [1, 0])], { dtype: 'float32' }))).toEqual([1, 0]);
    expect(values(run('cast', [I([1], [16777217])], { dtype: 'float32' }))).toEqual([16777216]);
  });

  it('float16 rounds to nearest even, overflows to Inf, keeps subnormals', () => {
    expect(roundToFloat16(0.1)).toBe(0.0999755859375);
    expect(roundToFloat16(65504)).toBe(65504);
    expect(roundToFloat16(65519.99)).toBe(65504);
    expect(roundToFloat16(65520)).toBe(Infinity);
    expect(roundToFloat16(-1e6)).toBe(-Infinity);
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1);
    expect(roundToFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(roundToFloat16(2 ** -25)).toBe(0);
    expect(roundToFloat16(3 * 2 ** -25)).toBe(2 ** -23);
    expect(roundToFloat16(2 ** -24)).toBe(2 ** -24);
    expect(Object.is(roundToFloat16(-(2 ** -26)), -0)).toBe(true);
    expect(roundToFloat16(NaN)).toBeNaN();
    const r = run('cast', [F([2], [0.1, 70000])], { dtype: 'float16' });
    expect(r.dtype).toBe('float16');
    expect(values(r)).toEqual([0.0999755859375, Infinity]);
    const sum = run('add', [host('float16', [1], [1]), host('float16', [1], [2 ** -11])]);
    expect(values(sum)).toEqual([1]);
  });
});

describe('reductions', () => {
  const x = F([2, 3], [1, 5, 3, 4, 2, 6]);
  it('sum/prod/max/min over axes with keepdims', () => {
    expect(values(run('sum', [x], { axes: [1], keepdims: false }))).toEqual([9, 12]);
    const k = run('sum', [x], { axes: [0], keepdims: true });
    expect(k.shape).toEqual([1, 3]);
    expect(values(k)).toEqual([5, 7, 9]);
    expect(values(run('prod', [x], { axes: [-1, 0], keepdims: false }))).toEqual([720]);
    expect(values(run('max', [x], { axes: [1], keepdims: false }))).toEqual([5, 6]);
    expect(values(run('min', [x], { axes: [0], keepdims: false }))).toEqual([1, 2, 3]);
    expect(values(run('sum', [x], { axes: [], keepdims: false }))).toEqual(values(x));
  });

  it('NaN propagates through max/min/sum', () => {
    const n = F([2, 2], [NaN, 1, 2, 3]);
    expect(values(run('max', [n], { axes: [1], keepdims: false }))).toEqual([NaN, 3]);
    expect(values(run('min', [n], { axes: [0], keepdims: false }))).toEqual([NaN, 1]);
    expect(values(run('sum', [n], { axes: [1], keepdims: false }))).toEqual([NaN, 5]);
  });

  it('accumulates in float32, in row-major order', () => {
    expect(values(run('sum', [F([3], [16777216, 1, 1])], { axes: [0], keepdims: false }))).toEqual([
      16777216,
    ]);
    expect(values(run('sum', [F([3], [1, 1, 16777216])], { axes: [0], keepdims: false }))).toEqual([
      16777218,
    ]);
  });

  it('bool sums count in int32; int32 wraps', () => {
    const r = run('sum', [B([4], [1, 0, 1, 1])], { axes: [0], keepdims: false });
    expect(r.dtype).toBe('int32');
    expect(values(r)).toEqual([3]);
    expect(values(run('sum', [I([2], [INT_MAX, 2])], { axes: [0], keepdims: false }))).toEqual([INT_MIN + 1]);
    expect(values(run('max', [B([3], [0, 1, 0])], { axes: [0], keepdims: false }))).toEqual([1]);
  });

  it('empty extents give the identity (sum 0, prod 1); empty outputs are empty', () => {
    expect(values(run('sum', [F([0, 3], [])], { axes: [0], keepdims: false }))).toEqual([0, 0, 0]);
    expect(values(run('prod', [F([2, 0], [])], { axes: [1], keepdims: true }))).toEqual([1, 1]);
    const m = run('max', [F([3, 0], [])], { axes: [0], keepdims: false });
    expect(m.shape).toEqual([0]);
  });

  it('argmax: first occurrence on ties, first NaN wins, any axis', () => {
    expect(values(run('argmax', [F([4], [1, 3, 3, 2])], { axis: 0, keepdims: false }))).toEqual([1]);
    expect(values(run('argmax', [F([4], [1, NaN, 5, NaN])], { axis: 0, keepdims: false }))).toEqual([1]);
    expect(values(run('argmax', [F([3], [NaN, 9, 9])], { axis: 0, keepdims: false }))).toEqual([0]);
    expect(
      values(run('argmax', [F([3], [-Infinity, -Infinity, -Infinity])], { axis: 0, keepdims: false })),
    ).toEqual([0]);
    const m = F([2, 3], [1, 5, 3, 7, 2, 6]);
    expect(values(run('argmax', [m], { axis: 0, keepdims: false }))).toEqual([1, 0, 1]);
    const k = run('argmax', [m], { axis: -1, keepdims: true });
    expect(k.shape).toEqual([2, 1]);
    expect(k.dtype).toBe('int32');
    expect(values(k)).toEqual([1, 0]);
    const c = F([2, 2, 2], [0, 9, 1, 1, 5, 5, 7, 2]);
    expect(values(run('argmax', [c], { axis: 1, keepdims: false }))).toEqual([1, 0, 1, 0]);
  });
});
