import { execute } from '@paradox/backend-conformance';
import { jsBackend, renderKernel } from '@paradox/backend-js';
import { type Graph, GraphBuilder, interpret } from '@paradox/ir';
import { fusionPass } from '@paradox/pass-fusion';
import { lowerGraph } from '@paradox/pass-lower';
import { silentLogger } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';

// Rows of a float32 sum are folded 4 at a time in one loop (unroll-and-jam), each row still in
// its own float32 steps in order: every result must be the reference's bits, whatever the row count
// (1 row, counts that leave a tail, 2-D domains whose inner loop is jammed).

/** Values whose float32 running sums lose and regain low bits (a float64 or reordered sum differs). */
function awkward(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Float32Array.from({ length: n }, () => {
    const u = next();
    if (u < 0.1) return (next() < 0.5 ? -1 : 1) * 2 ** 31;
    if (u < 0.2) return (next() - 0.5) * 2 ** 26;
    return (next() - 0.5) * 16;
  });
}

function compiledLike(graph: Graph) {
  const fused = fusionPass.run(graph, { options: {}, logger: silentLogger, outputs: {} }).graph;
  return lowerGraph(fused);
}

async function expectReferenceBits(graph: Graph, inputs: Float32Array[]): Promise<void> {
  const program = compiledLike(graph);
  const got = await execute(jsBackend, jsBackend.compile(program), program, inputs);
  const want = interpret(graph, inputs);
  want.forEach((w, o) => {
    const g = got[o]!;
    expect(g.length).toBe(w.data.length);
    for (let i = 0; i < g.length; i++) {
      if (!Object.is(g[i], w.data[i])) expect.fail(`output ${o}[${i}]: ${g[i]} != reference ${w.data[i]}`);
    }
  });
}

const sumGraph = (shape: number[], axis: number, fn: 'sum' | 'prod' = 'sum'): Graph => {
  const b = new GraphBuilder('s');
  const x = b.input('x', { dtype: 'float32', shape });
  return b.output(b.op(fn, [x], { axes: [axis], keepdims: false })).build();
};

describe('float32 reductions folding several rows in one loop', () => {
  it.each([1, 2, 3, 4, 5, 7, 8, 13])('sum of %i rows gives the reference bits', async (rows) => {
    const graph = sumGraph([rows, 67], 1);
    const program = compiledLike(graph);
    const source = renderKernel(program.kernels[0]!, 'k').source;
    // The jammed loop is what this covers: 4 or more rows take it, fewer a loop per row.
    expect(source.includes('i0 += 4')).toBe(rows >= 4);
    await expectReferenceBits(graph, [awkward(rows * 67, rows)]);
  });

  it('the fuzz program 3517641349 values sum to 0 in every row', async () => {
    const row = [0, 6, 6, 2, 2 ** 31, -(2 ** 31)];
    const rows = 6;
    const data = Float32Array.from({ length: rows * 36 }, (_, i) => row[i % 6]!);
    const graph = sumGraph([rows, 36], 1);
    await expectReferenceBits(graph, [data]);
    const program = compiledLike(graph);
    const [got] = await execute(jsBackend, jsBackend.compile(program), program, [data]);
    expect([...got!]).toEqual(new Array(rows).fill(0));
  });

  it('products, and a strided reduction whose inner domain loop (5 rows) is jammed', async () => {
    const prod = sumGraph([9, 40], 1, 'prod');
    const small = Float32Array.from({ length: 9 * 40 }, (_, i) => 1 + ((i * 37) % 11) / 7 - 0.6);
    await expectReferenceBits(prod, [small]);
    const strided = sumGraph([6, 64, 5], 1);
    expect(renderKernel(compiledLike(strided).kernels[0]!, 'k').source).toContain('i1 += 4');
    await expectReferenceBits(strided, [awkward(6 * 64 * 5, 9)]);
  });

  it.each([
    1, 6, 9,
  ])('softmax and layerNorm of %i rows (two passes, row cache) give the reference bits', async (rows) => {
    const cols = 48;
    const b = new GraphBuilder('norms');
    const x = b.input('x', { dtype: 'float32', shape: [rows, cols] });
    const shape = [rows, cols];
    const bcast = (v: ReturnType<typeof b.op>) => b.op('broadcast', [v], { shape });
    const e = b.op('exp', [b.op('sub', [x, bcast(b.op('max', [x], { axes: [1], keepdims: true }))])]);
    const softmax = b.op('div', [e, bcast(b.op('sum', [e], { axes: [1], keepdims: true }))]);
    const n = b.constant(new Float32Array(rows).fill(cols), [rows, 1], 'float32');
    const mean = b.op('div', [b.op('sum', [x], { axes: [1], keepdims: true }), n]);
    const centred = b.op('sub', [x, bcast(mean)]);
    const variance = b.op('div', [
      b.op('sum', [b.op('mul', [centred, centred])], { axes: [1], keepdims: true }),
      n,
    ]);
    const layerNorm = b.op('div', [centred, bcast(b.op('sqrt', [variance]))]);
    const graph = b.output(softmax, layerNorm).build();
    await expectReferenceBits(graph, [awkward(rows * cols, 100 + rows)]);
  });
});
