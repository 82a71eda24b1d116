import type { HostTensor } from '@paradox/ir';

/**
 * Describes the first difference between two interpreter results, or returns undefined when
 * they agree bit for bit: same dtypes and shapes, and elements equal under Object.is (so -0
 * differs from 0, and any NaN equals any NaN: payloads are not compared).
 */
export function resultDifference(
  want: readonly HostTensor[],
  got: readonly HostTensor[],
): string | undefined {
  if (want.length !== got.length) return `expected ${want.length} outputs, got ${got.length}`;
  for (let k = 0; k < want.length; k++) {
    const a = want[k]!;
    const b = got[k]!;
    if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) {
      return `output ${k}: expected ${a.dtype}[${a.shape}], got ${b.dtype}[${b.shape}]`;
    }
    for (let i = 0; i < a.data.length; i++) {
      if (!Object.is(a.data[i], b.data[i])) {
        return `output ${k}, element ${i}: expected ${show(a.data[i]!)}, got ${show(b.data[i]!)}`;
      }
    }
  }
  return undefined;
}

const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
