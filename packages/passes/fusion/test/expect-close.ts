import type { HostTensor } from '@paradox/ir';
import { expect } from 'vitest';

/** Same shapes and dtypes; float32 values within `rel`, everything else (and NaN/Inf) exact. */
export function expectClose(actual: HostTensor[], expected: HostTensor[], rel = 1e-5) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    expect(a.shape).toEqual(e.shape);
    expect(a.dtype).toBe(e.dtype);
    for (let k = 0; k < e.data.length; k++) {
      const x = a.data[k]!;
      const y = e.data[k]!;
      if (Number.isNaN(y)) expect(x).toBeNaN();
      else if (!Number.isFinite(y) || e.dtype !== 'float32') expect(x).toBe(y);
      else expect(Math.abs(x - y)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(y)));
    }
  });
}
