import { execute } from '@paradox/backend-conformance';
import { jsBackend } from '@paradox/backend-js';
import { type Graph, GraphBuilder, interpret } from '@paradox/ir';
import { randomInputs } from '@paradox/ir/testing';
import { fusionPass } from '@paradox/pass-fusion';
import { lowerGraph } from '@paradox/pass-lower';
import { silentLogger } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';

/** softmax over `axes` of a [shape] input, written from primitives as the tracer does. */
function softmax(shape: number[], axes: number[]): Graph {
  const b = new GraphBuilder('softmax');
  const x = b.input('x', { dtype: 'float32', shape });
  const m = b.op('broadcast', [b.op('max', [x], { axes, keepdims: true })], { shape });
  const e = b.op('exp', [b.op('sub', [x, m])]);
  const s = b.op('broadcast', [b.op('sum', [e], { axes, keepdims: true })], { shape });
  return b.output(b.op('div', [e, s])).build();
}

describe('second pass over the reduction domain (row-cached exp)', () => {
  for (const [shape, axes] of [
    [[5, 7], [1]],
    [[5, 7], [0]],
    [
      [3, 4, 6],
      [1, 2],
    ],
    [
      [3, 4, 6],
      [0, 2],
    ],
    [
      [2, 3, 4],
      [0, 1, 2],
    ],
  ] as [number[], number[]][]) {
    it(`softmax over axes [${axes}] of [${shape}] is 2 kernels and matches the interpreter`, async () => {
      const graph = softmax(shape, axes);
      const fused = fusionPass.run(graph, { options: {}, logger: silentLogger, outputs: {} }).graph;
      const program = lowerGraph(fused);
      expect(program.kernels).toHaveLength(2);
      const exe = jsBackend.compile(program);
      if (program.kernels[1]!.stores.some((s) => s.phase === 'reduction')) {
        expect(exe.sources[1]).toMatch(/new Float64Array/); // the exp values are read back, not recomputed
      }
      const inputs = randomInputs(graph, 3);
      const [got] = await execute(
        jsBackend,
        exe,
        program,
        inputs.map((t) => t.data),
      );
      const want = interpret(graph, inputs)[0]!.data;
      for (let i = 0; i < want.length; i++) expect(got![i]).toBeCloseTo(want[i]!, 6);
    });
  }
});
