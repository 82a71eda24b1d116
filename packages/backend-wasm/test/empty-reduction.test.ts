import { execute } from '@paradox/backend-conformance';
import { createWasmBackend } from '@paradox/backend-wasm';
import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

describe('empty reduction domain', () => {
  it('runs no expr that only feeds the reduction (a K=0 matmul whose operand index is out of range)', async () => {
    // Regression (fuzz differential:wasm, seed 1496836967): the slice of an argmax left the
    // contraction's lhs load at index -1; with K = 0 that load never runs (verifyProgram does not
    // check it), but wasm hoisted it out of the reduction loop and trapped out of bounds.
    const b = new GraphBuilder('k0');
    const x = b.input('x', { dtype: 'bool', shape: [4] });
    const am = b.op('argmax', [x], { axis: 0, keepdims: true });
    const lhs = b.op('slice', [am], { starts: [-3], stops: [3], steps: [-2] });
    const rhs = b.op('iota', [], { shape: [0, 4], axis: 0, dtype: 'int32' });
    const graph = b.output(b.op('matmul', [lhs, rhs])).build();
    const program = lowerGraph(graph);
    const data = [Uint8Array.from([1, 0, 0, 1])];
    const want = interpret(graph, data)[0]!.data;
    expect(Array.from(want)).toEqual([0, 0, 0, 0]);
    for (const simd of [true, false]) {
      const backend = createWasmBackend({ simd });
      const got = await execute(backend, backend.compile(program), program, data);
      expect(Array.from(got[0]!)).toEqual(Array.from(want));
    }
  });
});
