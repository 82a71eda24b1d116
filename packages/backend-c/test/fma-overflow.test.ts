import { type Graph, GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { cBackend, renderCProgram } from '../src/index.js';
import { agreesWithReference, fusedFor } from './reference-check.js';

// Regression (fuzz differential:c, gate c-fma-overflow): the C compiler contracted a * b + c into
// one FMA, which keeps an overflowing float32 product finite inside the sum, so a result was Inf
// (or finite) where the reference rounds the product to Inf first (Inf - Inf = NaN).
async function check(graph: Graph, inputs: Float32Array[]): Promise<void> {
  await agreesWithReference(cBackend, graph, lowerGraph(fusedFor(cBackend, graph)), inputs);
}

describe.skipIf(cBackend.unavailableReason !== undefined)('backend-c float32 products that overflow', () => {
  it('a fused a * b + c rounds the product first (Inf, not a finite FMA result)', async () => {
    const b = new GraphBuilder('muladd');
    const x = b.input('x', { dtype: 'float32', shape: [64] });
    const y = b.input('y', { dtype: 'float32', shape: [64] });
    const z = b.input('z', { dtype: 'float32', shape: [64] });
    const graph = b.output(b.op('add', [b.op('mul', [x, y]), z])).build();
    const xs = new Float32Array(64).fill(2e38);
    const ys = new Float32Array(64).fill(2);
    const zs = new Float32Array(64).fill(-3e38);
    await check(graph, [xs, ys, zs]);
  });

  it('the packed matmul sums rounded products (Inf - Inf = NaN), and stays exact on bounded operands', async () => {
    const b = new GraphBuilder('mm');
    const a = b.input('a', { dtype: 'float32', shape: [13, 9] });
    const w = b.input('w', { dtype: 'float32', shape: [9, 37] });
    const graph = b.output(b.op('relu', [b.op('matmul', [a, w])])).build();
    expect(renderCProgram(lowerGraph(fusedFor(cBackend, graph))).strategies).toEqual(['matmul']);
    const big = new Float32Array(13 * 9).map((_, i) => (i % 3 === 0 ? 1e20 : (i % 7) - 3));
    const signs = new Float32Array(9 * 37).map((_, i) => (i % 2 === 0 ? 1e20 : -1e20));
    await check(graph, [big, signs]);
    // Ordinary values on the same executable's fast path.
    const small = new Float32Array(13 * 9).map((_, i) => Math.sin(i));
    const smallW = new Float32Array(9 * 37).map((_, i) => Math.cos(i));
    await check(graph, [small, smallW]);
  });

  it('a reduced sum of products rounds each product (Inf - Inf = NaN)', async () => {
    const b = new GraphBuilder('dot');
    const x = b.input('x', { dtype: 'float32', shape: [4, 40] });
    const y = b.input('y', { dtype: 'float32', shape: [4, 40] });
    const graph = b.output(b.op('sum', [b.op('mul', [x, y])], { axes: [1], keepdims: false })).build();
    const xs = new Float32Array(160).fill(1e20);
    const ys = new Float32Array(160).map((_, i) => (i % 2 === 0 ? 1e20 : -1e20));
    await check(graph, [xs, ys]);
  });
});
