/** Compares a backend's outputs with the reference interpreter's, elementwise with a tolerance. */
import type { TypedArray } from '@paradox/ir';

export interface OutputCheck {
  readonly outputs: number;
  readonly elements: number;
  /** Largest |actual - expected| over every output element. */
  readonly maxAbsDiff: number;
  /** The first element outside tolerance, if any (`output 0 [12]: 1.5 vs 1.25`). */
  readonly mismatch?: string;
}

const RTOL = 1e-4;
const ATOL = 1e-4;

export function checkOutputs(actual: readonly TypedArray[], expected: readonly TypedArray[]): OutputCheck {
  let maxAbsDiff = 0;
  let elements = 0;
  let mismatch: string | undefined;
  if (actual.length !== expected.length)
    mismatch = `${actual.length} output(s), the interpreter gives ${expected.length}`;
  expected.forEach((e, o) => {
    const a = actual[o];
    if (!a) return;
    if (a.length !== e.length) mismatch ??= `output ${o}: ${a.length} elements, expected ${e.length}`;
    for (let i = 0; i < Math.min(a.length, e.length); i++) {
      const x = Number(a[i]);
      const y = Number(e[i]);
      elements++;
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      const diff = Math.abs(x - y);
      if (diff > maxAbsDiff || Number.isNaN(diff)) maxAbsDiff = Number.isNaN(diff) ? Infinity : diff;
      if (!(diff <= ATOL + RTOL * Math.abs(y))) mismatch ??= `output ${o} [${i}]: ${x} vs ${y}`;
    }
  });
  return { outputs: expected.length, elements, maxAbsDiff, ...(mismatch ? { mismatch } : {}) };
}
