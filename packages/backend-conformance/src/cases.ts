import type { ConformanceCase } from './case-builder.js';
import { indexingCases } from './cases-indexing.js';
import { elementwiseCases, reductionCases } from './cases-ops.js';
import { creationCases, edgeCases, fusionCases } from './cases-programs.js';
import { matmulCases, viewCases } from './cases-shapes.js';
import { subnormalCases } from './cases-subnormal.js';
import { windowCases } from './cases-windows.js';

export type { ConformanceCase } from './case-builder.js';

/** Every case of the suite, by area. */
export function conformanceCases(): Record<string, ConformanceCase[]> {
  return {
    elementwise: elementwiseCases(),
    reductions: reductionCases(),
    matmul: matmulCases(),
    views: viewCases(),
    fusion: fusionCases(),
    edges: edgeCases(),
    creation: creationCases(),
    subnormals: subnormalCases(),
    indexing: indexingCases(),
    windows: windowCases(),
  };
}
