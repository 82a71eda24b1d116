import { expect } from 'vitest';
import type { EagerExecutor, NestedArray, Tensor } from '../src/index.js';
import { backendExecutor, interpreterExecutor } from '../src/index.js';

/** Asserts a tensor's dtype, shape and values (floats to ~float32 precision; NaN matches NaN). */
export function expectTensor(t: Tensor, dtype: string, expected: NestedArray, digits = 5): void {
  expect(t.dtype).toBe(dtype);
  const actual = t.toArray();
  expect(shapeOf(actual)).toEqual(shapeOf(expected));
  expect([...t.shape]).toEqual(shapeOf(expected));
  const a = flat(actual);
  const e = flat(expected);
  for (let i = 0; i < e.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    if (typeof y === 'number' && Number.isNaN(y)) expect(x).toBeNaN();
    else if (typeof y === 'number' && Number.isFinite(y) && (dtype === 'float32' || dtype === 'float16')) {
      expect(x as number).toBeCloseTo(y, digits);
    } else expect(x).toBe(y);
  }
}

const shapeOf = (x: NestedArray): number[] =>
  Array.isArray(x) ? [x.length, ...(x.length ? shapeOf(x[0]!) : [])] : [];
const flat = (x: NestedArray): (number | boolean)[] =>
  Array.isArray(x) ? x.flatMap(flat) : [x as number | boolean];

/** file:line of the caller, to compare with recorded call sites. */
export function here(): { file: string; line: number } {
  const frame = new Error().stack!.split('\n')[2]!;
  const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/.exec(frame)!;
  return { file: m[1]!.replace(/^file:\/\//, ''), line: Number(m[2]) };
}

/**
 * Every eager executor available to the tests: the reference interpreter, and the default backend
 * path with @paradox/backend-js (import './inject-lowering.js' in the test for the latter).
 */
export const EAGER_EXECUTORS: [string, () => Promise<EagerExecutor>][] = [
  ['interpreter', async () => interpreterExecutor],
  [
    'the default backend (backend-js)',
    async () => {
      await import('@paradox/backend-js');
      return backendExecutor;
    },
  ],
];
