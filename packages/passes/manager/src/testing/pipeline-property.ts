import { type Graph, type HostTensor, interpret } from '@paradox/ir';
import type * as FastCheck from 'fast-check';
import { type PipelineResult, runPipeline } from '../manager.js';
import { redundantGraph } from './redundant-graph.js';
import { resultDifference } from './same-results.js';

export interface PipelinePropertyOptions {
  numRuns?: number;
  /** Further checks on each case (may throw or use a test framework's `expect`). */
  check?: (result: PipelineResult, graph: Graph, inputs: HostTensor[]) => void;
}

/**
 * The property every optimization pipeline must hold, checked with fast-check on redundant random
 * graphs (edge-case inputs, random draws included): run with the verifier on (which also checks the
 * input graph was not mutated), it preserves the reference interpreter's results bit for bit and
 * never adds nodes. Throws fast-check's report of the shrunk counterexample on failure.
 */
export function assertPipelinePreservesResults(
  fc: typeof FastCheck,
  pipeline: string,
  { numRuns = 150, check }: PipelinePropertyOptions = {},
): void {
  fc.assert(
    fc.property(redundantGraph(fc, { specialValues: true, allowRandom: true }), ({ graph, inputs }) => {
      const want = interpret(graph, inputs);
      const result = runPipeline(graph, pipeline, { verify: true });
      const difference = resultDifference(want, interpret(result.graph, inputs));
      if (difference !== undefined) throw new Error(`'${pipeline}' changed a result: ${difference}`);
      if (result.graph.nodes.length > graph.nodes.length) {
        throw new Error(
          `'${pipeline}' grew the graph from ${graph.nodes.length} to ${result.graph.nodes.length} nodes`,
        );
      }
      check?.(result, graph, inputs);
    }),
    { numRuns },
  );
}
