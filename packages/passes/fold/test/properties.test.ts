import { assertPipelinePreservesResults } from '@paradox/pass-manager/testing';
import * as fc from 'fast-check';
import { describe, it } from 'vitest';
import '../src/index.js';

describe('fold on random graphs', () => {
  it('preserves the reference interpreter results bit for bit and leaves a verified graph', () => {
    assertPipelinePreservesResults(fc, 'fold', { numRuns: 150 });
  });
});
