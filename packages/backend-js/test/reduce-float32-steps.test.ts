import { execute } from '@paradox/backend-conformance';
import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { expect, it } from 'vitest';
import { createJsBackend } from '../src/index.js';

// The reference sums and multiplies float32 values one float32 step at a time; a float64
// accumulator keeps what float32 loses (fuzz program 3517641349: [0, 6, 6, 2, 2^31, -2^31] sums to 0).
it.each([
  ['sum', [0, 6, 6, 2, 2 ** 31, -(2 ** 31)], 0],
  ['prod', [3e30, 1e10, 1e-10, 1e-30], Number.POSITIVE_INFINITY],
] as const)('%s reduces in float32 steps, as the reference', async (fn, values, want) => {
  const b = new GraphBuilder('f');
  const x = b.input('x', { dtype: 'float32', shape: [values.length] });
  const graph = b.output(b.op(fn, [x], { axes: [0], keepdims: false })).build();
  const input = Float32Array.from(values);
  const js = createJsBackend();
  const program = lowerGraph(graph);
  const [got] = await execute(js, js.compile(program), program, [input]);
  expect(interpret(graph, [input])[0]!.data[0]).toBe(want);
  expect(got![0]).toBe(want);
});
