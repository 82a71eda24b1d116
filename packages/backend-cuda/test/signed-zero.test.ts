import { execute } from '@paradox/backend-conformance';
import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createEmulatedCudaBackend } from '../src/index.js';
import { findCxx } from '../src/toolchain.js';

// Regression (#24 item 9): maximum(+0, -0) gave -0 and max-reductions over zeros kept the first
// zero. The reference gives +0 for max and -0 for min in either operand order; tolerance-based
// comparisons cannot see a zero's sign, so these compare with Object.is.
const cxx = findCxx();

describe.skipIf(!cxx)('CUDA emulation: signed zeros in maximum/minimum', () => {
  it('maximum/minimum and max/min reductions give the reference zero sign and NaN', async () => {
    const b = new GraphBuilder('zeros');
    const x = b.input('x', { dtype: 'float32', shape: [6] });
    const y = b.input('y', { dtype: 'float32', shape: [6] });
    const rows = b.input('rows', { dtype: 'float32', shape: [4, 2] });
    const graph = b
      .output(b.op('maximum', [x, y]))
      .output(b.op('minimum', [x, y]))
      .output(b.op('max', [rows], { axes: [1], keepdims: false }))
      .output(b.op('min', [rows], { axes: [1], keepdims: false }))
      .build();
    const inputs = [
      new Float32Array([0, -0, -0, 0, Number.NaN, 1]),
      new Float32Array([-0, 0, -0, 0, 1, Number.NaN]),
      new Float32Array([0, -0, -0, 0, -0, -0, Number.NaN, -0]),
    ];
    const program = lowerGraph(graph);
    const backend = createEmulatedCudaBackend();
    const actual = await execute(backend, await backend.compile(program), program, inputs);
    const expected = interpret(graph, inputs);
    expect(expected[0]!.data).toEqual(new Float32Array([0, 0, -0, 0, Number.NaN, Number.NaN]));
    for (const [i, e] of expected.entries()) {
      const got = [...actual[i]!];
      for (const [j, v] of [...e.data].entries()) {
        expect(Object.is(got[j], v), `output ${i}[${j}]: ${got[j]} vs ${v}`).toBe(true);
      }
    }
  });
});
