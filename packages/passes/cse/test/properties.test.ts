import { interpret } from '@paradox/ir';
import { runPipeline } from '@paradox/pass-manager';
import { redundantGraph, resultDifference } from '@paradox/pass-manager/testing';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

describe('cse on random graphs', () => {
  it('preserves the reference interpreter results bit for bit and leaves a verified graph', () => {
    fc.assert(
      fc.property(redundantGraph(fc, { specialValues: true, allowRandom: true }), ({ graph, inputs }) => {
        const want = interpret(graph, inputs);
        // verify: the manager runs verifyGraph on the result and checks the input was not mutated
        const result = runPipeline(graph, 'cse', { verify: true });
        expect(resultDifference(want, interpret(result.graph, inputs))).toBeUndefined();
        expect(result.graph.nodes.length).toBeLessThanOrEqual(graph.nodes.length);
      }),
      { numRuns: 150 },
    );
  });
});
