import { execute } from '@paradox/backend-conformance';
import { type Graph, GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createCBackend, renderCProgram } from '../src/index.js';
import { agreesWithReference, fusedFor, wavyInputs } from './reference-check.js';

// Narrow outputs (at most 12 columns, K >= 256, A's rows contiguous) take the dot-product tile: B
// packed transposed, one vector accumulator per output along K, summed across lanes, the last
// K % lanes products added one by one. These shapes end in a K tail and odd rows, go parallel
// from 1 << 22 multiply-adds, and put an overflowing product in one lane (FMA bound failing).
const probe = createCBackend();

function dense(m: number, k: number, n: number, tanh: boolean): Graph {
  const b = new GraphBuilder('narrow');
  const x = b.input('x', { dtype: 'float32', shape: [m, k] });
  const w = b.input('w', { dtype: 'float32', shape: [k, n] });
  const bias = b.input('b', { dtype: 'float32', shape: [n] });
  const y = b.op('add', [b.op('matmul', [x, w]), bias]);
  return b.output(tanh ? b.op('tanh', [y]) : y).build();
}

describe.skipIf(probe.unavailableReason !== undefined)('backend-c narrow matmul, dot-product tile', () => {
  for (const threads of [1, 2]) {
    const label = `${threads} thread${threads > 1 ? 's' : ''}`;
    for (const [m, k, n, tanh] of [
      [37, 256, 10, true],
      [29, 301, 1, false],
      [50, 517, 12, false],
      // 1 << 22 multiply-adds or more: row blocks split between threads.
      [1501, 259, 11, true],
    ] as const) {
      it(`${m}x${k} @ ${k}x${n} + bias${tanh ? ', tanh' : ''} agrees with the reference (${label})`, async () => {
        const backend = createCBackend({ threads });
        const graph = dense(m, k, n, tanh);
        const program = lowerGraph(fusedFor(backend, graph));
        const source = renderCProgram(program).source;
        expect(source).toMatch(/PX_FMAV\(av\[ii\], b, c\[ii\]\[jj\]\)/);
        expect(source.includes('#pragma omp parallel num_threads')).toBe(m * n * k >= 1 << 22);
        // Unit-sized inputs: the lanes and their tree sum in another order than the reference's
        // sequential one (as BLAS does), which moves a result by about K x 2^-24 x max |a b|.
        await agreesWithReference(backend, graph, program, wavyInputs(graph, 7, 1));
      });
    }

    it(`rounds every product when the bound fails (Inf where an FMA in one lane would stay finite; ${label})`, async () => {
      const backend = createCBackend({ threads });
      const [m, k, n] = [1501, 263, 11];
      const graph = dense(m, k, n, false);
      const program = lowerGraph(fusedFor(backend, graph));
      // Lane 0 of every dot product: 1 x -3e38 at k = 0, then 2e19 x 2e19 (Inf) at k = 16.
      const x = new Float32Array(m * k).map((_, i) => (i % k === 0 ? 1 : i % k === 16 ? 2e19 : Math.sin(i)));
      const w = new Float32Array(k * n).map((_, i) => {
        const r = Math.floor(i / n);
        return r === 0 ? -3e38 : r === 16 ? 2e19 : Math.cos(i * 0.3);
      });
      const inputs = [x, w, new Float32Array(n).fill(0.5)];
      await agreesWithReference(backend, graph, program, inputs);
      const want = interpret(graph, inputs)[0]!.data;
      const exe = backend.compile(program);
      try {
        const [got] = await execute(backend, exe, program, inputs);
        for (const i of [0, 5 * n + 3, m * n - 1]) {
          expect(want[i]).toBe(Number.POSITIVE_INFINITY);
          expect(got![i]).toBe(Number.POSITIVE_INFINITY);
        }
      } finally {
        exe.dispose();
      }
    });
  }
});
