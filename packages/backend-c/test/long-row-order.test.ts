import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createCBackend } from '../src/index.js';

const c = createCBackend({ threads: 1 });

/** Runs a one-group graph of one [rows, n] float32 input on c; returns its first output. */
function run(graph: ReturnType<GraphBuilder['build']>, input: Float32Array): Float32Array {
  for (const node of graph.nodes) node.group = 0;
  const program = lowerGraph(graph);
  const buffer = c.allocate('float32', input.length);
  c.upload(buffer, input);
  const [out] = c.compile(program).run([buffer]);
  return c.download(out!) as Float32Array;
}

// Rows of 512 elements and more fold max/min in 64 lanes (four vector chains), with a serial tail
// when the length is no multiple of 64. NaN anywhere wins; max(-0, +0) is +0 and min is -0.
describe.skipIf(c.unavailableReason !== undefined)('backend-c max/min over long rows', () => {
  for (const n of [512, 1000, 4096 + 37]) {
    it(`max and min of rows of ${n} match the reference bit for bit (NaN, signed zeros, tail)`, () => {
      const rows = 6;
      const input = new Float32Array(rows * n);
      for (let i = 0; i < input.length; i++) input[i] = Math.fround(Math.sin(i * 0.37) * 100);
      input[0 * n + 63] = Number.NaN; // row 0: NaN in lane 63 of the first block
      input[1 * n + n - 1] = Number.NaN; // row 1: NaN in the last element (the tail when n % 64 != 0)
      for (let j = 0; j < n; j++) input[2 * n + j] = j % 2 ? -0 : 0; // row 2: zeros of both signs
      for (let j = 0; j < n; j++) input[3 * n + j] = -0; // row 3: only -0
      for (let j = 0; j < n; j++) input[4 * n + j] = -1e30 - j; // row 4: decreasing, max at 0
      input[5 * n + n - 2] = 1e38; // row 5: largest near the end
      for (const op of ['max', 'min'] as const) {
        const b = new GraphBuilder(op);
        const x = b.input('x', { dtype: 'float32', shape: [rows, n] });
        const graph = b.output(b.op(op, [x], { axes: [1], keepdims: false })).build();
        const got = Array.from(run(graph, input));
        expect(c.render(lowerGraph(graph))).toMatch(/_lane\[64\]/); // the four-chain path ran
        const want = Array.from(interpret(graph, [input])[0]!.data);
        expect(got.map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(
          want.map((v) => (Object.is(v, -0) ? '-0' : v)),
        );
      }
    });
  }
});
