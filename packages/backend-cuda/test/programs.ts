import { type ConformanceCase, conformanceCases } from '@paradox/backend-conformance';
import type { Graph, KernelProgram, TypedArray } from '@paradox/ir';
import { randomGraph } from '@paradox/ir/testing';
import { lowerGraph } from '@paradox/pass-lower';
import fc from 'fast-check';

/** A graph, its inputs and its lowered program: what the CUDA tests render, compile and run. */
export interface TestProgram {
  name: string;
  graph: Graph;
  inputs: TypedArray[];
  program: KernelProgram;
  tolerance?: ConformanceCase['tolerance'];
}

/** Every case of the backend conformance suite, lowered. */
export function conformancePrograms(): TestProgram[] {
  return Object.values(conformanceCases())
    .flat()
    .map((c) => ({
      name: c.name,
      graph: c.graph,
      inputs: c.inputs,
      program: lowerGraph(c.graph),
      tolerance: c.tolerance,
    }));
}

/** `count` random graphs (deterministic for a seed), lowered. */
export function randomPrograms(count: number, seed: number): TestProgram[] {
  const samples = fc.sample(randomGraph(fc, { maxSteps: 6, specialValues: true, allowRandom: true }), {
    numRuns: count,
    seed,
  });
  return samples.map(({ graph, inputs }, i) => ({
    name: `random #${i} (seed ${seed})`,
    graph,
    inputs: inputs.map((t) => t.data),
    program: lowerGraph(graph),
  }));
}
