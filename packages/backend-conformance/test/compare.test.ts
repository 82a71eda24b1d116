import { compareArrays } from '@paradox/backend-conformance';
import { describe, expect, it } from 'vitest';

describe('compareArrays', () => {
  const tol = { tolerance: { rtol: 1e-5, atol: 1e-6 } };
  it('is exact for ints and bools', () => {
    expect(compareArrays(Int32Array.from([1, 2]), Int32Array.from([1, 2]), 'int32', tol)).toBeUndefined();
    expect(compareArrays(Int32Array.from([1, 3]), Int32Array.from([1, 2]), 'int32', tol)).toMatch(
      /\[1\] got 3, expected 2/,
    );
  });
  it('uses the tolerance for floats and requires NaN where NaN', () => {
    expect(
      compareArrays(
        Float32Array.from([1.000001, NaN, Infinity]),
        Float32Array.from([1, NaN, Infinity]),
        'float32',
        tol,
      ),
    ).toBeUndefined();
    expect(compareArrays(Float32Array.from([1.001]), Float32Array.from([1]), 'float32', tol)).toBeDefined();
    expect(compareArrays(Float32Array.from([0]), Float32Array.from([NaN]), 'float32', tol)).toBeDefined();
    expect(
      compareArrays(Float32Array.from([3e38]), Float32Array.from([Infinity]), 'float32', tol),
    ).toBeDefined();
  });
  it('checks the sign of zero only when asked', () => {
    expect(compareArrays(Float32Array.from([0]), Float32Array.from([-0]), 'float32', tol)).toBeUndefined();
    expect(
      compareArrays(Float32Array.from([0]), Float32Array.from([-0]), 'float32', { ...tol, zeroSign: true }),
    ).toMatch(/expected -0/);
  });
  it('rejects a wrong array type or length', () => {
    expect(compareArrays(new Float32Array(2), new Int32Array(2), 'int32', tol)).toMatch(/Int32Array/);
    expect(compareArrays(new Float32Array(2), new Float32Array(3), 'float32', tol)).toMatch(/3 elements/);
  });
});
