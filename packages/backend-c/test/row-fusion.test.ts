import '@paradox/backend-js';
import { decomposeOps, type Graph, GraphBuilder, interpret, type KernelProgram } from '@paradox/ir';
import { StaticGraph } from '@paradox/jit';
import { lowerGraph } from '@paradox/pass-lower';
import { tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { createCBackend, renderCProgram } from '../src/index.js';
import { fuseRowKernels } from '../src/render/row_fusion.js';
import { agreesWithReference, fusedFor } from './reference-check.js';

// Softmax and layerNorm lower to two reduce kernels over the same rows (max, then the sum of
// exp(x - max) and the division; mean, then the variance and the scaling). The C renderer runs
// them as one kernel with two passes per row. Row lengths cover the 16- and 64-lane folds and
// their serial tails; 1 and 2 threads.
const backends = [createCBackend({ threads: 1 }), createCBackend({ threads: 2 })];
const available = backends[0]!.unavailableReason === undefined;

const FNS = {
  softmax: (x: any) => x.softmax(-1),
  layerNorm: (x: any) => x.layerNorm({ eps: 1e-5 }),
};

function graphOf(fn: (x: any) => any, rows: number, n: number): Graph {
  const x = tensor(new Float32Array(rows * n), [rows, n], 'float32');
  return decomposeOps(StaticGraph.capture(fn, x).graph);
}

/** Rows of a sine with spikes, each row shifted so that maxima sit in different lanes. */
function wavy(rows: number, n: number): Float32Array {
  return new Float32Array(rows * n).map((_, i) => Math.sin(i * 0.37) * 3 + (i % 23 === 0 ? 9 : 0));
}

describe.skipIf(!available)('backend-c row fusion', () => {
  for (const [name, fn] of Object.entries(FNS)) {
    for (const n of [1, 7, 16, 17, 33, 100, 511, 512, 1000, 1037]) {
      const rows = n < 64 ? 5 : 40;
      it(`${name} over rows of ${n} runs as one kernel and matches the reference (1 and 2 threads)`, async () => {
        const graph = graphOf(fn, rows, n);
        const program = lowerGraph(fusedFor(backends[0]!, graph));
        expect(program.kernels.map((k) => k.kind)).toEqual(['reduce', 'reduce']);
        // Rows of 1 store the output in the domain phase, so it may take the input's memory
        // (donation): the second kernel could write what the first reads, and they stay apart.
        expect(renderCProgram(program).strategies).toEqual(n === 1 ? ['reduce', 'reduce'] : ['reduce']);
        for (const backend of backends) await agreesWithReference(backend, graph, program, [wavy(rows, n)]);
      });
    }
  }

  // Threads fork from about 1.4M cost units (points x per-point work): softmax (18 units a
  // point) and layerNorm (8) at these sizes split their rows over the threads.
  for (const [name, rows] of [
    ['softmax', 100],
    ['layerNorm', 200],
  ] as const) {
    it(`${name} over ${rows} rows of 1037 runs its rows on threads and matches the reference`, async () => {
      const graph = graphOf(FNS[name], rows, 1037);
      const program = lowerGraph(fusedFor(backends[0]!, graph));
      expect(renderCProgram(program).source).toMatch(/#pragma omp parallel for/);
      for (const backend of backends) await agreesWithReference(backend, graph, program, [wavy(rows, 1037)]);
    });
  }

  it('a softmax of 40 rows of 1037 (about 750,000 cost units) stays on the calling thread', () => {
    const program = lowerGraph(fusedFor(backends[0]!, graphOf(FNS.softmax, 40, 1037)));
    expect(renderCProgram(program).source).not.toMatch(/#pragma omp parallel/);
  });

  it('softmax rows with NaN, infinities and signed zeros match the reference', async () => {
    for (const n of [40, 700]) {
      const rows = 6;
      const x = wavy(rows, n);
      x[0 * n + 5] = Number.NaN; // row 0: NaN early
      x[1 * n + n - 1] = Number.NaN; // row 1: NaN last (the tail when n % lanes != 0)
      for (let j = 0; j < n; j++) x[2 * n + j] = j % 2 ? -0 : 0; // row 2: zeros only, the max is +0
      for (let j = 0; j < n; j++) x[3 * n + j] = Number.NEGATIVE_INFINITY; // row 3: max -Inf
      x[4 * n + 3] = Number.POSITIVE_INFINITY; // row 4: max +Inf
      for (let j = 0; j < n; j++) x[5 * n + j] = -1e30 - j; // row 5: large negative, max at 0
      const graph = graphOf(FNS.softmax, rows, n);
      const program = lowerGraph(fusedFor(backends[0]!, graph));
      expect(renderCProgram(program).source).toMatch(/_probe\[/); // the quick max fold
      for (const backend of backends) await agreesWithReference(backend, graph, program, [x]);
    }
  });

  it("softmax's exp(x - max) takes the exp for x <= 0 (ir's nonPositiveExprs through row fusion); other exps do not", async () => {
    const n = 300;
    const rows = 4;
    const graph = graphOf(FNS.softmax, rows, n);
    const program = lowerGraph(fusedFor(backends[0]!, graph));
    const { source, strategies } = renderCProgram(program);
    expect(strategies).toEqual(['reduce']);
    expect(source).toMatch(/px_expf_np\(v\d+\)/); // the lane loop and the row's tail
    expect(source).not.toMatch(/= px_expf\(v\d+\)/);
    // Rows spread far below their max, so exp gives subnormal results and zeros: exact either way.
    const x = new Float32Array(rows * n).map((_, i) => -((i * 7919) % 130) + (i % n === 17 ? 5 : 0));
    for (const backend of backends)
      await agreesWithReference(backend, graph, program, [x], { rtol: 1e-6, atol: 1e-45 });
    // exp(x - max(y)) of another tensor y proves nothing about the sign.
    const xt = tensor(new Float32Array(rows * n), [rows, n], 'float32');
    const other = decomposeOps(
      StaticGraph.capture((a: any, b: any) => a.sub(b.max(-1, true)).exp().sum(-1), xt, xt).graph,
    );
    const plain = renderCProgram(lowerGraph(fusedFor(backends[0]!, other))).source;
    expect(plain).toMatch(/= px_expf\(v\d+\)/);
    expect(plain).not.toMatch(/px_expf_np\(v/);
  });

  // The quick max/min fold (compare-and-select lanes, a NaN/zero probe, the exact fold again only
  // when needed) with 16 lanes; long-row-order.test.ts covers 64. Bit for bit, signed zeros included.
  for (const op of ['max', 'min'] as const) {
    it(`${op} over rows of 40 and 100 matches the reference bit for bit (NaN, signed zeros, tails)`, () => {
      for (const n of [40, 100]) {
        const rows = 6;
        const x = new Float32Array(rows * n).map((_, i) => Math.fround(Math.sin(i * 0.37) * 100));
        x[0 * n + 15] = Number.NaN; // row 0: NaN in the last lane of the first block
        x[1 * n + n - 1] = Number.NaN; // row 1: NaN in the tail
        for (let j = 0; j < n; j++) x[2 * n + j] = j % 2 ? -0 : 0; // row 2: both zeros
        for (let j = 0; j < n; j++) x[3 * n + j] = -0; // row 3: only -0
        for (let j = 0; j < n; j++) x[4 * n + j] = j === n - 1 ? 0 : -1 - j; // row 4: +0 in the tail wins
        x[5 * n + 20] = op === 'max' ? 3e38 : -3e38;
        const b = new GraphBuilder(op);
        const input = b.input('x', { dtype: 'float32', shape: [rows, n] });
        const graph = b.output(b.op(op, [input], { axes: [1], keepdims: false })).build();
        const program = lowerGraph(graph);
        expect(renderCProgram(program).source).toMatch(/_probe\[16\]/);
        const c = backends[0]!;
        const buffer = c.allocate('float32', x.length);
        c.upload(buffer, x);
        const [out] = c.compile(program).run([buffer]);
        const got = Array.from(c.download(out!) as Float32Array);
        const want = Array.from(interpret(graph, [x])[0]!.data);
        const sign = (v: number) => (Object.is(v, -0) ? '-0' : v);
        expect(got.map(sign)).toEqual(want.map(sign));
      }
    });
  }

  describe('legality', () => {
    const softmax = (): KernelProgram => lowerGraph(fusedFor(backends[0]!, graphOf(FNS.softmax, 4, 64)));
    /** The buffer the first kernel stores (the row maxima) and the second loads. */
    const rowBuffer = (p: KernelProgram): number => p.kernels[0]!.stores[0]!.buffer;

    it('fuses the plain program', () => {
      expect(fuseRowKernels(softmax())).toHaveLength(1);
    });

    it('keeps kernels apart when the second reads the first result at another row', () => {
      const p = softmax();
      const b = rowBuffer(p);
      const k1 = p.kernels[1]!;
      const exprs = k1.exprs.map((e) =>
        e.op === 'load' && e.buffer === b ? { ...e, index: { k: 'const' as const, v: 0 } } : e,
      );
      expect(fuseRowKernels({ ...p, kernels: [p.kernels[0]!, { ...k1, exprs }] })).toHaveLength(2);
    });

    it('keeps kernels apart when the second writes memory the first reads', () => {
      const p = softmax();
      const k0 = p.kernels[0]!;
      const input = k0.exprs.find((e) => e.op === 'load')!;
      if (input.op !== 'load') throw new Error('unreachable');
      const k1 = p.kernels[1]!;
      const stores = k1.stores.map((s) => ({ ...s, buffer: input.buffer }));
      expect(fuseRowKernels({ ...p, kernels: [k0, { ...k1, stores }] })).toHaveLength(2);
    });

    it('keeps kernels apart when their rows differ in length', () => {
      const a = softmax();
      const b = lowerGraph(fusedFor(backends[0]!, graphOf(FNS.softmax, 4, 32)));
      expect(fuseRowKernels({ ...a, kernels: [a.kernels[0]!, b.kernels[1]!] })).toHaveLength(2);
    });
  });
});
