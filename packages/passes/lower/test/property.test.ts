import { randomGraph } from '@paradox/ir/testing';
import * as fc from 'fast-check';
import { describe, test } from 'vitest';
import { checkLowering } from './helpers.js';
import { randomGrouping } from './random-grouping.js';

/** Random graphs (every op family, empty and rank-0 shapes, NaN/Inf inputs) lower to programs that agree with interpret. */
describe('random graphs', () => {
  test('ungrouped', () => {
    fc.assert(
      fc.property(
        randomGraph(fc, { specialValues: true, allowRandom: true, maxSteps: 10 }),
        ({ graph, inputs }) => {
          checkLowering(graph, inputs);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('with random legal groupings (elementwise chains, prologues, epilogues)', () => {
    fc.assert(
      fc.property(
        randomGraph(fc, { specialValues: true, allowRandom: true, maxSteps: 10 }),
        fc.nat(),
        ({ graph, inputs }, seed) => {
          checkLowering(randomGrouping(graph, seed), inputs);
        },
      ),
      { numRuns: 150 },
    );
  });
});
