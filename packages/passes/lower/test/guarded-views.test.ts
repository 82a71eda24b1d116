import { GraphBuilder } from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import { checkLowering } from './helpers.js';

/**
 * Guarded loads through views whose guards and index differ in spelling: verifyProgram must prove
 * them in range (each was a false "load index ranges over ..." rejection of the first range analysis).
 */
describe('guarded views verify as in range', () => {
  it('pad of a reshape of a pad (mod of the flat index vs the padded axis)', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', { dtype: 'float32', shape: [2, 3, 4] });
    const p = b.op('pad', [x], {
      pads: [
        [1, 0],
        [2, 0],
        [0, 0],
      ],
      value: 7.5,
    });
    const r = b.op('reshape', [p], { shape: [20, 3] });
    checkLowering(
      b
        .output(
          b.op('pad', [r], {
            pads: [
              [2, 0],
              [2, 2],
            ],
            value: -4.5,
          }),
        )
        .build(),
    );
  });

  it('concat of a reshape (row guard vs flat index), with a separable and an odd width', () => {
    for (const [rows, width] of [
      [2, 6],
      [2, 9],
    ] as const) {
      const b = new GraphBuilder('g');
      const x = b.input('x', { dtype: 'float32', shape: [(rows * width) / 6, 2] });
      const c = b.op('concat', [x, x, x], { axis: 0 });
      checkLowering(b.output(b.op('neg', [b.op('reshape', [c], { shape: [rows, width] })])).build());
    }
  });

  it('pad of a reshaped concat (a guard narrowing that folds another guard)', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', { dtype: 'float32', shape: [2] });
    const c = b.op('concat', [b.op('neg', [x]), x], { axis: 0 });
    const r = b.op('reshape', [c], { shape: [4] });
    checkLowering(b.output(b.op('pad', [r], { pads: [[1, 0]], value: -2 })).build());
  });

  it('reshape of a pad (row guard, then the column guard bounds the rest)', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', { dtype: 'float32', shape: [1, 2] });
    const p = b.op('sign', [
      b.op('pad', [x], {
        pads: [
          [1, 2],
          [2, 1],
        ],
        value: Number.NaN,
      }),
    ]);
    const q = b.op('pad', [p], {
      pads: [
        [1, 1],
        [0, 1],
      ],
      value: -4.25,
    });
    checkLowering(b.output(b.op('reshape', [q], { shape: [2, 6, 3] })).build());
  });
});

describe('index constants', () => {
  it('an index over an extent-1 axis folds to +0, never -0', () => {
    const b = new GraphBuilder('g');
    const g = b.output(b.op('iota', [], { shape: [1, 4], axis: 0, dtype: 'int32' })).build();
    const program = checkLowering(g);
    const index = program.kernels[0]!.exprs.find((e) => e.op === 'index');
    expect(index && Object.is((index.index as { v?: number }).v, -0)).toBe(false);
    expect(index?.index).toEqual({ k: 'const', v: 0 });
  });

  it('reshape of a concat along a middle axis (guard and index split the flat position differently)', () => {
    // Regression (fuzz differential, seed 3371131826): intervals gave [-5, 24] for the second
    // operand's load of x[5,1,5]; the loop space is small, so the exact range [0, 24] decides.
    const b = new GraphBuilder('g');
    const x = b.input('x', { dtype: 'bool', shape: [5, 1, 5] });
    const c = b.op('concat', [x, x], { axis: 1 });
    checkLowering(b.output(b.op('reshape', [c], { shape: [25, 2] })).build());
  });
});
