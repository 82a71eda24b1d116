import '@paradox/backend-js';
import type { Tensor } from '@paradox/tracer';
import { expect } from 'vitest';

/** Asserts a tensor's values (float32 rounding tolerated) and shape. */
export function expectValues(t: unknown, expected: number[], shape?: number[]): void {
  const tensor = t as Tensor;
  if (shape) expect([...tensor.shape]).toEqual(shape);
  const got = Array.from(tensor.dataSync());
  expect(got.length).toBe(expected.length);
  for (const [i, v] of got.entries()) expect(v).toBeCloseTo(expected[i]!, 5);
}

/** Asserts two tensors hold the same values (jit vs eager). */
export function expectSame(a: unknown, b: unknown): void {
  const x = a as Tensor;
  const y = b as Tensor;
  expect([...x.shape]).toEqual([...y.shape]);
  expect(x.dtype).toBe(y.dtype);
  const got = Array.from(x.dataSync());
  const want = Array.from(y.dataSync());
  for (const [i, v] of got.entries()) expect(v).toBeCloseTo(want[i]!, 5);
}
