import { execute } from '@paradox/backend-conformance';
import { jsBackend } from '@paradox/backend-js';
import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

describe('tiled matmul', () => {
  it('rounds its sums to float32 per step: a product overflowing float32 gives Inf, then Inf - Inf = NaN', async () => {
    // Regression (fuzz differential:js, seed 4259274305): a float64 accumulator turned
    // 3e38 * 3e38 + (-Inf * 4.125) into -Infinity where the reference (float32 steps) gives NaN.
    const M = 4;
    const K = 2;
    const N = 8;
    const b = new GraphBuilder('overflow');
    const x = b.input('x', { dtype: 'float32', shape: [M, K] });
    const w = b.input('w', { dtype: 'float32', shape: [K, N] });
    const graph = b.output(b.op('matmul', [x, w])).build();
    const big = Math.fround(3e38);
    const xs = Float32Array.from({ length: M * K }, (_, i) => (i === 0 ? big : i === 1 ? -Infinity : i + 1));
    const ws = Float32Array.from({ length: K * N }, (_, i) => (i === 0 ? big : i === N ? 4.125 : i % 5));
    const want = interpret(graph, [xs, ws])[0]!.data as Float32Array;
    expect(Number.isNaN(want[0]!)).toBe(true);
    const program = lowerGraph(graph);
    const got = (await execute(jsBackend, jsBackend.compile(program), program, [xs, ws]))[0] as Float32Array;
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('rounds each product too: float32 products of +-1e40 are +-Inf, and their sum NaN', async () => {
    // Regression (fuzz differential:js, seed 239443095): with products left in float64,
    // Inf + (-1e40) stayed Inf where the reference's Inf + -Inf is NaN.
    const b = new GraphBuilder('products');
    const x = b.input('x', { dtype: 'float32', shape: [4, 2] });
    const w = b.input('w', { dtype: 'float32', shape: [2, 8] });
    const graph = b.output(b.op('matmul', [x, w])).build();
    const big = Math.fround(1e20);
    const xs = Float32Array.from({ length: 8 }, (_, i) => (i < 2 ? -big : i));
    const ws = Float32Array.from({ length: 16 }, (_, i) => (i === 0 ? -big : i === 8 ? big : 1));
    const want = interpret(graph, [xs, ws])[0]!.data as Float32Array;
    expect(Number.isNaN(want[0]!)).toBe(true);
    const program = lowerGraph(graph);
    const got = (await execute(jsBackend, jsBackend.compile(program), program, [xs, ws]))[0] as Float32Array;
    expect(Array.from(got)).toEqual(Array.from(want));
  });
});
