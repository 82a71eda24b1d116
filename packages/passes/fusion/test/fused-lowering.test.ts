import { type Graph, type HostTensor, interpret } from '@paradox/ir';
import { randomGraph, randomInputs } from '@paradox/ir/testing';
import { evaluateProgram, lowerGraph } from '@paradox/pass-lower';
import { type PassContext, silentLogger } from '@paradox/pass-manager';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fusionPass } from '../src/index.js';
import { G } from './build.js';
import { expectClose } from './expect-close.js';

/** Fuses, lowers and runs the kernel program on the host; returns results and the kernel count. */
function compileAndRun(graph: Graph, inputs: HostTensor[], maxBuffersPerKernel?: number) {
  const ctx: PassContext = {
    options: {},
    logger: silentLogger,
    outputs: {},
    ...(maxBuffersPerKernel
      ? { capabilities: { dtypes: ['float32'], ops: new Set(), maxBuffersPerKernel } }
      : {}),
  };
  const fused = fusionPass.run(graph, ctx).graph;
  const program = lowerGraph(fused);
  return { outputs: evaluateProgram(program, inputs), kernels: program.kernels.length, program };
}

describe('fusion + lowering', () => {
  const cases: [string, (g: G) => string, number][] = [
    ['softmax', (g) => g.softmax(g.in('x', [33, 65])), 2],
    ['layerNorm', (g) => g.layerNorm(g.in('x', [17, 40])), 2],
    [
      'relu(x*2+1).sum()',
      (g) => {
        const x = g.in('x', [31, 9]);
        return g.reduce(
          'sum',
          g.un('relu', g.bin('add', g.bin('mul', x, g.scalar(2, x)), g.scalar(1, x))),
          [0, 1],
          false,
        );
      },
      1,
    ],
    [
      'relu(x @ w + b)',
      (g) => {
        const x = g.in('x', [13, 21]);
        const w = g.in('w', [21, 7]);
        return g.un('relu', g.bin('add', g.bin('matmul', x, w), g.bcast(g.in('b', [7]), [13, 7])));
      },
      1,
    ],
    [
      'W1 chain',
      (g) => {
        const x = g.in('x', [1000]);
        const a = g.un('relu', g.bin('add', g.bin('mul', x, g.scalar(2, x)), g.scalar(1, x)));
        return g.bin('sub', g.bin('mul', a, g.un('sigmoid', x)), g.scalar(0.5, x));
      },
      1,
    ],
  ];
  for (const [name, build, expectedKernels] of cases) {
    it(`${name}: ${expectedKernels} kernel(s), same values as the interpreter`, () => {
      const g = new G();
      const graph = g.out(build(g));
      const inputs = randomInputs(graph, 5);
      const { outputs, kernels } = compileAndRun(graph, inputs);
      expect(kernels).toBe(expectedKernels);
      expectClose(outputs, interpret(graph, inputs));
    });
  }

  it('preserves the interpreter results on random graphs (and under a tight buffer limit)', () => {
    fc.assert(
      fc.property(
        randomGraph(fc, { maxSteps: 10 }),
        fc.constantFrom(undefined, 3),
        ({ graph, inputs }, limit) => {
          const { outputs } = compileAndRun(graph, inputs, limit);
          expectClose(outputs, interpret(graph, inputs), 1e-4);
        },
      ),
      { numRuns: Number(process.env.FUSION_RUNS ?? 200) },
    );
  });
});
