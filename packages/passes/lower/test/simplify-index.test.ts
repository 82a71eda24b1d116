import type { IndexExpr } from '@paradox/ir';
import { evalIndex } from '@paradox/ir';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { flatIndex, indexRange, isContiguousIndex, simplifyIndex, unflattenIndex } from '../src/index.js';

const axis = (a: number): IndexExpr => ({ k: 'axis', axis: a });

function* allPoints(shape: number[]): Generator<number[]> {
  if (shape.some((d) => d === 0)) return;
  const idx = shape.map(() => 0);
  for (;;) {
    yield [...idx];
    let d = shape.length - 1;
    for (; d >= 0 && ++idx[d]! >= shape[d]!; d--) idx[d] = 0;
    if (d < 0) return;
  }
}

/** Random index trees over 2 domain axes and 1 reduction axis, with negative and zero constants. */
const indexArb: fc.Arbitrary<IndexExpr> = fc.letrec<{ e: IndexExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -5, max: 9 }).map((v): IndexExpr => ({ k: 'const', v })),
    fc.integer({ min: 0, max: 1 }).map(axis),
    fc.constant<IndexExpr>({ k: 'raxis', axis: 0 }),
    fc.record({ a: tie('e'), b: tie('e') }).map(({ a, b }): IndexExpr => ({ k: 'add', a, b })),
    fc
      .record({ a: tie('e'), c: fc.integer({ min: -3, max: 6 }) })
      .map(({ a, c }): IndexExpr => ({ k: 'mul', a, c })),
    fc
      .record({ a: tie('e'), c: fc.integer({ min: 1, max: 7 }) })
      .map(({ a, c }): IndexExpr => ({ k: 'div', a, c })),
    fc
      .record({ a: tie('e'), c: fc.integer({ min: 1, max: 7 }) })
      .map(({ a, c }): IndexExpr => ({ k: 'mod', a, c })),
  ),
})).e;

describe('simplifyIndex', () => {
  test('is exact: the simplified index equals the original at every loop point, and stays within indexRange', () => {
    fc.assert(
      fc.property(
        indexArb,
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 3 }),
        (e, [d0, d1, r0]) => {
          const ranges = { domain: [d0!, d1!], reduce: [r0!] };
          const s = simplifyIndex(e, ranges);
          const [lo, hi] = indexRange(e, ranges);
          for (const [i, j, r] of allPoints([d0!, d1!, r0!])) {
            const v = evalIndex(e, [i!, j!], [r!]);
            expect(evalIndex(s, [i!, j!], [r!]) + 0).toBe(v + 0);
            expect(v >= lo && v <= hi).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('any chain of contiguous reshapes reads the plain flat index', () => {
    const shapeArb = fc.constantFrom(
      [24],
      [2, 12],
      [4, 6],
      [2, 3, 4],
      [3, 2, 4],
      [6, 4],
      [2, 2, 2, 3],
      [1, 24, 1],
    );
    fc.assert(
      fc.property(fc.array(shapeArb, { minLength: 1, maxLength: 4 }), shapeArb, (chain, domain) => {
        let index = domain.map((_, i) => axis(i));
        let shape = domain;
        for (const next of chain) {
          index = unflattenIndex(flatIndex(index, shape), next);
          shape = next;
        }
        const kernel = { domain: [...domain] };
        const flat = simplifyIndex(flatIndex(index, shape), { domain, reduce: [] });
        expect(isContiguousIndex(flat, kernel)).toBe(true);
        expect(JSON.stringify(flat)).not.toMatch(/"div"|"mod"/);
      }),
      { numRuns: 100 },
    );
  });

  test('folds constants and extent-1 axes, merges nested div/mod', () => {
    const ranges = { domain: [1, 8], reduce: [] };
    const e: IndexExpr = {
      k: 'add',
      a: { k: 'mul', a: axis(0), c: 8 },
      b: { k: 'add', a: axis(1), b: { k: 'const', v: 0 } },
    };
    expect(simplifyIndex(e, ranges)).toEqual(axis(1));
    const nested: IndexExpr = { k: 'div', a: { k: 'div', a: axis(1), c: 2 }, c: 2 };
    expect(simplifyIndex(nested, { domain: [1, 100], reduce: [] })).toEqual({ k: 'div', a: axis(1), c: 4 });
    const mm: IndexExpr = { k: 'mod', a: { k: 'mod', a: axis(1), c: 12 }, c: 4 };
    expect(simplifyIndex(mm, { domain: [1, 100], reduce: [] })).toEqual({ k: 'mod', a: axis(1), c: 4 });
  });
});
