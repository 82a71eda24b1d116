import { valueTypes } from '@paradox/ir';
import { runPipeline } from '@paradox/pass-manager';
import { assertPipelinePreservesResults } from '@paradox/pass-manager/testing';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../src/passes.js';

describe('fixpoint(dce,cse,fold) on random graphs', () => {
  it('preserves results bit for bit, verifies, and reaches a real fixed point', () => {
    assertPipelinePreservesResults(fc, 'fixpoint(dce,cse,fold)', {
      numRuns: 150,
      check: (result) => {
        // At the fixed point no pass finds anything left to do.
        for (const pass of ['dce', 'cse', 'fold'])
          expect(runPipeline(result.graph, pass).changed, pass).toBe(false);
        // Seeded identities are gone: no same-dtype cast, zero pad, or neg(neg x) survives.
        const types = valueTypes(result.graph);
        const producer = new Map(result.graph.nodes.map((n) => [n.id, n]));
        for (const n of result.graph.nodes) {
          if (n.op === 'cast') expect(types.get(n.inputs[0]!)!.dtype).not.toBe(n.type.dtype);
          if (n.op === 'pad') expect((n.attrs.pads as number[][]).flat().some((p) => p !== 0)).toBe(true);
          if (n.op === 'neg') expect(producer.get(n.inputs[0]!)?.op).not.toBe('neg');
        }
      },
    });
  });
});
