import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ArgPartial, argmaxMerges, argmaxTakes, lowestValue, NO_POSITION } from '../src/index.js';

// Parallel argmax: each worker scans its share of the positions with `takes`, then partials are
// merged with `merges` in whatever grouping the hardware gives. The result must be the sequential
// scan's first maximum (NaN counting as the maximum), as the reference interpreter computes it.

type Partial = ArgPartial<number, number>;

const scan = (data: number[], positions: number[]): Partial => {
  let best: Partial = { value: lowestValue('float32'), index: NO_POSITION };
  for (const k of positions) if (argmaxTakes(data[k]!, best.value)) best = { value: data[k]!, index: k };
  return best;
};

const merge = (a: Partial, b: Partial): Partial => (argmaxMerges(a, b) ? b : a);

const sequential = (data: number[]): number => {
  let best = 0;
  for (let k = 1; k < data.length; k++) if (argmaxTakes(data[k]!, data[best]!)) best = k;
  return best;
};

const value = fc.constantFrom(NaN, -Infinity, -1, 0, 2, 2, 5, Infinity);

describe("argmax's merge rule", () => {
  it('orders partials: NaN first, then the greater value, then the earlier position', () => {
    expect(argmaxMerges({ value: 1, index: 0 }, { value: NaN, index: 5 })).toBe(true);
    expect(argmaxMerges({ value: NaN, index: 3 }, { value: NaN, index: 5 })).toBe(false);
    expect(argmaxMerges({ value: NaN, index: 5 }, { value: NaN, index: 3 })).toBe(true);
    expect(argmaxMerges({ value: NaN, index: 0 }, { value: Infinity, index: 1 })).toBe(false);
    expect(argmaxMerges({ value: 2, index: 4 }, { value: 2, index: 1 })).toBe(true);
    expect(argmaxMerges({ value: 2, index: 1 }, { value: 2, index: 4 })).toBe(false);
    expect(argmaxMerges({ value: 2, index: 1 }, { value: 3, index: 4 })).toBe(true);
    // A partial that took nothing loses to any element, even the lowest value.
    expect(argmaxMerges({ value: -Infinity, index: NO_POSITION }, { value: -Infinity, index: 7 })).toBe(true);
  });

  it('merging the partials of any split, in any grouping, gives the sequential first maximum', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (data, workers, tree) => {
          // Worker w scans positions w, w + workers, ... (a strided split, as thread blocks do).
          const partials = Array.from({ length: workers }, (_, w) =>
            scan(
              data,
              data.map((_, k) => k).filter((k) => k % workers === w),
            ),
          );
          let merged: Partial;
          if (tree) {
            let level = partials;
            while (level.length > 1) {
              const next: Partial[] = [];
              for (let i = 0; i < level.length; i += 2)
                next.push(i + 1 < level.length ? merge(level[i]!, level[i + 1]!) : level[i]!);
              level = next;
            }
            merged = level[0]!;
          } else {
            merged = partials.reduceRight((acc, p) => merge(acc, p));
          }
          const got = merged.index === NO_POSITION ? 0 : merged.index;
          expect(got).toBe(sequential(data));
        },
      ),
      { numRuns: 500 },
    );
  });
});
