import { execute } from '@paradox/backend-conformance';
import { type Graph, GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createCBackend, renderCProgram } from '../src/index.js';
import { agreesWithReference, fusedFor, wavyInputs } from './reference-check.js';

// A matmul whose operands are both read in place runs as one parallel region: each thread takes a
// run of tiles, folds max |a| over the row blocks it reads, and folds each B panel's max |b| in the
// k loop of the panel's first tile (summing that tile again with rounded products when the bound
// fails). These shapes split panels and row blocks between threads, end in partial panels and
// blocks, and put overflowing products in one panel only.
const probe = createCBackend();

function dense(m: number, k: number, n: number): Graph {
  const b = new GraphBuilder('dense');
  const x = b.input('x', { dtype: 'float32', shape: [m, k] });
  const w = b.input('w', { dtype: 'float32', shape: [k, n] });
  const bias = b.input('b', { dtype: 'float32', shape: [n] });
  return b.output(b.op('relu', [b.op('add', [b.op('matmul', [x, w]), bias])])).build();
}

/** Rows of x: 1 at k = 0, 2e19 at k = 1, small after; w's panel 1 (columns 32-63): -3e38 at k = 0, 2e19 at k = 1. */
function overflowInOnePanel(m: number, k: number, n: number): Float32Array[] {
  const x = new Float32Array(m * k).map((_, i) => {
    const c = i % k;
    return c === 0 ? 1 : c === 1 ? 2e19 : Math.sin(i * 0.3);
  });
  const w = new Float32Array(k * n).map((_, i) => {
    const [r, c] = [Math.floor(i / n), i % n];
    if (c >= 32 && c < 64 && r < 2) return r === 0 ? -3e38 : 2e19;
    return Math.cos(i * 0.7);
  });
  const bias = new Float32Array(n).map((_, i) => Math.sin(i) * 0.1);
  return [x, w, bias];
}

describe.skipIf(probe.unavailableReason !== undefined)('backend-c matmul read in place, one region', () => {
  for (const threads of [1, 2]) {
    const label = `${threads} thread${threads > 1 ? 's' : ''}`;
    for (const [m, k, n] of [
      [37, 53, 75],
      [61, 97, 40],
      [8, 300, 33],
      [130, 29, 7],
      // At least 1 << 22 multiply-adds: the tiles are split between threads.
      [131, 301, 110],
    ] as const) {
      it(`${m}x${k} @ ${k}x${n} + bias, relu agrees with the reference (${label})`, async () => {
        const backend = createCBackend({ threads });
        const graph = dense(m, k, n);
        const program = lowerGraph(fusedFor(backend, graph));
        const rendered = renderCProgram(program);
        expect(rendered.strategies).toEqual(['matmul']);
        expect(rendered.source).toMatch(/const float\* A = /);
        expect(rendered.source).toMatch(/const float\* B = /);
        // Each tile fetches a share of the next panel ahead (when there is a next full panel).
        expect(rendered.source).toMatch(/__builtin_prefetch\(q, 0, 2\)/);
        expect(rendered.source.includes('#pragma omp parallel num_threads')).toBe(m * n * k >= 1 << 22);
        await agreesWithReference(backend, graph, program, wavyInputs(graph, 7, -3));
      });
    }

    it(`rounds products in the panel whose bound fails only (Inf where an FMA would stay finite; ${label})`, async () => {
      const backend = createCBackend({ threads });
      const [m, k, n] = [129, 367, 90];
      const graph = dense(m, k, n);
      const program = lowerGraph(fusedFor(backend, graph));
      expect(renderCProgram(program).source).toMatch(/#pragma omp parallel num_threads/);
      const inputs = overflowInOnePanel(m, k, n);
      // The reference: -3e38 + (2e19 * 2e19 = Inf) is Inf in columns 32-63; finite elsewhere.
      await agreesWithReference(backend, graph, program, inputs, { rtol: 1e-4, atol: 1e-5 });
      const want = interpret(graph, inputs)[0]!.data;
      const exe = backend.compile(program);
      try {
        const [got] = await execute(backend, exe, program, inputs);
        for (const i of [40, 128 * n + 63]) {
          expect(want[i]).toBe(Number.POSITIVE_INFINITY);
          expect(got![i]).toBe(Number.POSITIVE_INFINITY);
        }
        for (const i of [10, 70, 128 * n + 31]) {
          expect(Number.isFinite(want[i]!)).toBe(true);
          expect(got![i]).toBeCloseTo(want[i]! as number, -16);
        }
      } finally {
        exe.dispose();
      }
    });
  }
});
