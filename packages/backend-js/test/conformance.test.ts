import { describeBackendConformance } from '@paradox/backend-conformance';
import { createJsBackend } from '@paradox/backend-js';

describeBackendConformance('js', () => createJsBackend());
// The untiled contraction path must agree too (it is what non-matmul-shaped contractions use).
describeBackendConformance('js (no matmul tiling)', () => createJsBackend({ tile: false }), {
  randomGraphRuns: 0,
});
