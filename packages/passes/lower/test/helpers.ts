import type { Graph, HostTensor, KernelProgram } from '@paradox/ir';
import { interpret, outputsNotProvablyCovered, verifyProgram } from '@paradox/ir';
import { randomInputs } from '@paradox/ir/testing';
import { expect } from 'vitest';
import { evaluateProgram, lowerGraph } from '../src/index.js';

/** Element-exact comparison (NaN equals NaN, -0 differs from 0), naming the first differing element. */
export function expectSameTensors(got: HostTensor[], want: HostTensor[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    expect({ output: i, dtype: g.dtype, shape: g.shape }).toEqual({
      output: i,
      dtype: w.dtype,
      shape: w.shape,
    });
    expect(g.data.length).toBe(w.data.length);
    for (let j = 0; j < w.data.length; j++) {
      if (!Object.is(g.data[j], w.data[j])) {
        expect({ output: i, element: j, value: g.data[j] }).toEqual({
          output: i,
          element: j,
          value: w.data[j],
        });
      }
    }
  });
}

/** Lowers `graph`, verifies the program, and checks evaluateProgram against the reference interpreter. */
export function checkLowering(
  graph: Graph,
  inputs: HostTensor[] = randomInputs(graph, 7, true),
): KernelProgram {
  const program = lowerGraph(graph);
  verifyProgram(program);
  // Lowering writes every output element, so backends may hand out recycled memory for outputs.
  expect(outputsNotProvablyCovered(program)).toEqual([]);
  expectSameTensors(evaluateProgram(program, inputs), interpret(graph, inputs));
  return program;
}

/** Puts the named nodes into fusion group `group` (what the fusion pass would do). */
export function group(graph: Graph, groupId: number, ...ids: string[]): Graph {
  for (const id of ids) {
    const node = graph.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`test: no node %${id}`);
    node.group = groupId;
  }
  return graph;
}

export const f32 = (...shape: number[]) => ({ dtype: 'float32' as const, shape });
export const i32 = (...shape: number[]) => ({ dtype: 'int32' as const, shape });
export const bool = (...shape: number[]) => ({ dtype: 'bool' as const, shape });
