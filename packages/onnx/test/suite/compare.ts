/** ONNX's backend-test tolerances (onnx/backend/test/runner: rtol 1e-3, atol 1e-7). */
export const RTOL = 1e-3;
export const ATOL = 1e-7;

/** The first element outside tolerance (NaN matches NaN, infinities must be equal), or undefined. */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>): string | undefined {
  if (actual.length !== expected.length) return `${actual.length} elements, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) return `element ${i}: ${a}, expected ${e}`;
  }
  return undefined;
}
