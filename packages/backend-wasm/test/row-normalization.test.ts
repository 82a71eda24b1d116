import { execute } from '@paradox/backend-conformance';
import { createWasmBackend } from '@paradox/backend-wasm';
import { type Graph, GraphBuilder, interpret, type ValueId } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

/** Row lengths around the vector width and its unrolled copies: tails of 0-3 lanes, one long row. */
const ROW_LENGTHS = [1, 3, 4, 5, 17, 1024];
const ROWS = 5;

/**
 * Fusion groups as jit makes them: the nodes up to `firstReduction` (the row max, the mean) in one
 * kernel, the rest in a second one that reduces again and stores per element.
 */
function fused(graph: Graph, firstReduction?: ValueId): Graph {
  const ids = graph.nodes.map((n) => n.id);
  const cut = firstReduction === undefined ? -1 : ids.indexOf(firstReduction);
  graph.nodes.forEach((n, i) => {
    n.group = i <= cut ? 1 : 2;
  });
  return graph;
}

function softmaxGraph(cols: number): Graph {
  const shape = [ROWS, cols];
  const b = new GraphBuilder('softmax');
  const v = b.input('x', { dtype: 'float32', shape });
  const m = b.op('max', [v], { axes: [1], keepdims: true });
  const e = b.op('exp', [b.op('sub', [v, b.op('broadcast', [m], { shape })])]);
  const sum = b.op('sum', [e], { axes: [1], keepdims: true });
  return fused(b.output(b.op('div', [e, b.op('broadcast', [sum], { shape })])).build(), m);
}

function layerNormGraph(cols: number): Graph {
  const shape = [ROWS, cols];
  const b = new GraphBuilder('layerNorm');
  const v = b.input('x', { dtype: 'float32', shape });
  const n = b.constant(new Float32Array([cols]), [], 'float32');
  const mean = b.op('div', [b.op('sum', [v], { axes: [1], keepdims: true }), n]);
  const d = b.op('sub', [v, b.op('broadcast', [mean], { shape })]);
  const variance = b.op('div', [b.op('sum', [b.op('mul', [d, d])], { axes: [1], keepdims: true }), n]);
  const eps = b.constant(new Float32Array([1e-5]), [], 'float32');
  const scale = b.op('rsqrt', [b.op('add', [variance, eps])]);
  return fused(b.output(b.op('mul', [d, b.op('broadcast', [scale], { shape })])).build(), mean);
}

/** Rows: smooth values, a wide range, one large entry, masked (-inf) entries, constant. */
function rows(cols: number): Float32Array {
  const x = new Float32Array(ROWS * cols);
  for (let c = 0; c < cols; c++) {
    x[c] = Math.sin(c * 1.3) * 4;
    x[cols + c] = (c % 7) * 11 - 30;
    x[2 * cols + c] = c === cols >> 1 ? 80 : Math.cos(c) - 2;
    x[3 * cols + c] = c % 3 === 1 ? -Infinity : c * 0.01;
    x[4 * cols + c] = 0.25;
  }
  return x;
}

/**
 * got within `ulps` float32 ulp of want, the ulp taken at `scale` at least (layerNorm's outputs are
 * differences: their error is relative to the row's scale, ~1); NaN meets NaN, infinities and zeros exactly.
 */
function expectNear(got: Float32Array, want: Float32Array, ulps: number, what: string, scale = 0): void {
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w) || w === 0) {
      expect(Object.is(g, w), `${what}[${i}] = ${g}, want ${w}`).toBe(true);
      continue;
    }
    const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(w), scale))) - 23);
    expect(Math.abs(g - w) / ulp, `${what}[${i}] = ${g}, want ${w}`).toBeLessThanOrEqual(ulps);
  }
}

describe('row normalizations on wasm agree with the interpreter', () => {
  for (const cols of ROW_LENGTHS) {
    for (const threads of [1, 2]) {
      it(`softmax and layerNorm over rows of ${cols} (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
        const backend = createWasmBackend({ threads, minParallelWork: 0 });
        const data = [rows(cols)];
        // exp within 2 ulp, the division as a multiply by 1/sum within 1.5, and the sums: lanes and
        // unrolled copies add in another order than the reference's one running sum (~sqrt(n) ulp).
        const order = 2 * Math.sqrt(cols);
        for (const [graph, ulps, scale] of [
          [softmaxGraph(cols), 4 + order, 0],
          [layerNormGraph(cols), 4 + order, 1],
        ] as const) {
          const program = lowerGraph(graph);
          // A row of one is no reduction (lowering folds it); longer rows store in the reduction phase.
          const phased = program.kernels.some((k) => k.stores.some((s) => s.phase === 'reduction'));
          expect(phased).toBe(cols > 1);
          const [got] = (await execute(backend, backend.compile(program), program, data)) as Float32Array[];
          const want = interpret(graph, data)[0]!.data as Float32Array;
          expectNear(got!, want, ulps, `${graph.name} rows of ${cols}`, scale);
        }
        backend.close();
      });
    }
  }
});

describe('division by a value invariant along a vector loop', () => {
  // Divisors whose reciprocal is not a normal float (subnormal, > 2^126) keep the exact division;
  // +-0, +-inf and NaN give the same results either way.
  const divisors = [3, -7.25, 1.5e-39, -1e-45, 2 ** 127, 3e38, 0, -0, Infinity, -Infinity, Number.NaN, 1e-30];
  const cols = 21;
  const x = Float32Array.from({ length: divisors.length * cols }, (_, i) =>
    i % cols === 0 ? 0 : i % cols === 1 ? Infinity : Math.sin(i) * 10 ** ((i % 9) - 4),
  );

  it('per row (known at run time): exact where 1/d is not normal, within 1.5 ulp elsewhere', async () => {
    const shape = [divisors.length, cols];
    const b = new GraphBuilder('rowdiv');
    const v = b.input('x', { dtype: 'float32', shape });
    const d = b.input('d', { dtype: 'float32', shape: [divisors.length, 1] });
    const graph = fused(b.output(b.op('div', [v, b.op('broadcast', [d], { shape })])).build());
    const program = lowerGraph(graph);
    const data = [x, Float32Array.from(divisors)];
    const backend = createWasmBackend();
    const [got] = (await execute(backend, backend.compile(program), program, data)) as Float32Array[];
    const want = interpret(graph, data)[0]!.data as Float32Array;
    divisors.forEach((dv, r) => {
      const row = (a: Float32Array) => a.subarray(r * cols, (r + 1) * cols);
      const a = Math.abs(Math.fround(dv));
      const exact = (a > 0 && a < 2 ** -126) || (a > 2 ** 126 && a < Infinity);
      if (exact) expect(Array.from(row(got!)), `divisor ${dv}`).toEqual(Array.from(row(want)));
      else expectNear(row(got!), row(want), 1.5, `x / ${dv}`);
    });
    backend.close();
  });

  for (const c of [3, 1e-40]) {
    it(`by the constant ${c}`, async () => {
      const b = new GraphBuilder('constdiv');
      const v = b.input('x', { dtype: 'float32', shape: [divisors.length, cols] });
      const graph = b.output(b.op('div', [v, b.constant(new Float32Array([c]), [], 'float32')])).build();
      const program = lowerGraph(graph);
      const backend = createWasmBackend();
      const [got] = (await execute(backend, backend.compile(program), program, [x])) as Float32Array[];
      const want = interpret(graph, [x])[0]!.data as Float32Array;
      if (c === 1e-40) expect(Array.from(got!)).toEqual(Array.from(want));
      else expectNear(got!, want, 1.5, `x / ${c}`);
      backend.close();
    });
  }
});

describe('a sum beside inlined exp (copies added pairwise into two accumulator sets)', () => {
  for (const cols of [32, 96, 1024]) {
    it(`sum(exp(x)) over rows of ${cols} agrees with the interpreter`, async () => {
      const shape = [ROWS, cols];
      const b = new GraphBuilder('sumexp');
      const v = b.input('x', { dtype: 'float32', shape });
      const graph = b.output(b.op('sum', [b.op('exp', [v])], { axes: [1], keepdims: true })).build();
      const program = lowerGraph(graph);
      const data = [rows(cols).map((x) => (Number.isFinite(x) ? x / 8 : x))];
      const backend = createWasmBackend();
      const [got] = (await execute(backend, backend.compile(program), program, data)) as Float32Array[];
      const want = interpret(graph, data)[0]!.data as Float32Array;
      // exp within 2 ulp, then lanes, copies and pairs add in another order than the reference's one running sum.
      expectNear(got!, want, 4 + 2 * Math.sqrt(cols), `sum(exp) rows of ${cols}`);
      backend.close();
    });
  }
});
