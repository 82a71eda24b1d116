import { execute } from '@paradox/backend-conformance';
import { createWasmBackend } from '@paradox/backend-wasm';
import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

/** Deterministic values in [-2, 2). */
const values = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => ((Math.imul(i + seed, 2654435761) >>> 0) / 2 ** 32) * 4 - 2);

async function agrees(graph: ReturnType<GraphBuilder['build']>, data: Float32Array[], threads = 1) {
  const backend = createWasmBackend({ threads, minParallelWork: 0 });
  const program = lowerGraph(graph);
  const got = (await execute(backend, backend.compile(program), program, data)) as Float32Array[];
  const want = interpret(graph, data).map((t) => t.data as Float32Array);
  backend.close();
  for (const [o, w] of want.entries())
    for (let i = 0; i < w.length; i++)
      if (!Object.is(got[o]![i], w[i])) expect(got[o]![i], `output ${o} element ${i}`).toBeCloseTo(w[i]!, 5);
}

describe('reductions over a short window, four output points at a time', () => {
  // Widths: multiples of 4 (no tail), with a tail, and barely vector-wide; padding 1 and 2.
  for (const [width, pad, threads] of [
    [28, 1, 1],
    [14, 1, 1],
    [5, 2, 1],
    [9, 1, 3],
  ] as const) {
    it(`conv 3x3 (width ${width}, padding ${pad}, ${threads} thread(s)) + bias + relu agrees with the interpreter`, async () => {
      const b = new GraphBuilder('conv');
      const x = b.input('x', { dtype: 'float32', shape: [2, 3, 6, width] });
      const w = b.input('w', { dtype: 'float32', shape: [4, 3, 3, 3] });
      const conv = b.op('conv', [x, w], {
        strides: [1, 1],
        dilations: [1, 1],
        groups: 1,
        pads: [
          [pad, pad],
          [pad, pad],
        ],
      });
      const graph = b.output(b.op('relu', [conv])).build();
      await agrees(graph, [values(2 * 3 * 6 * width, 1), values(4 * 27, 7)], threads);
    });
  }

  it('two stacked convs (the second reads a temporary at a fixed address) agree with the interpreter', async () => {
    const b = new GraphBuilder('convs');
    const x = b.input('x', { dtype: 'float32', shape: [2, 2, 7, 14] });
    const w1 = b.input('w1', { dtype: 'float32', shape: [4, 2, 3, 3] });
    const w2 = b.input('w2', { dtype: 'float32', shape: [3, 4, 3, 3] });
    const attrs = {
      strides: [1, 1],
      dilations: [1, 1],
      groups: 1,
      pads: [
        [1, 1],
        [1, 1],
      ],
    };
    const h = b.op('relu', [b.op('conv', [x, w1], attrs)]);
    const graph = b.output(b.op('conv', [h, w2], attrs)).build();
    await agrees(graph, [values(2 * 2 * 7 * 14, 5), values(4 * 18, 9), values(3 * 36, 11)]);
  });

  it('a min over no axes of a broadcast scalar (the operand is an outer value) agrees (fuzz program 2840982799)', async () => {
    const b = new GraphBuilder('noaxes');
    const x = b.input('x', { dtype: 'float32', shape: [1] });
    const wide = b.op('broadcast', [x], { shape: [2, 3] });
    const graph = b.output(b.op('min', [wide], { axes: [], keepdims: true })).build();
    await agrees(graph, [Float32Array.of(6)]);
  });

  for (const width of [28, 14, 8]) {
    it(`2x2 max pooling with stride 2 (every other element per lane, width ${width}) agrees bit for bit`, async () => {
      const b = new GraphBuilder('pool');
      const x = b.input('x', { dtype: 'float32', shape: [2, 3, 6, width] });
      const pooled = b.op('maxPool', [x], {
        kernel: [2, 2],
        strides: [2, 2],
        dilations: [1, 1],
        pads: [
          [0, 0],
          [0, 0],
        ],
        ceilMode: false,
      });
      const graph = b.output(pooled).build();
      const data = values(2 * 3 * 6 * width, 13);
      data[5] = Number.NaN;
      data[width + 2] = -0;
      data[width * 3 + 7] = Number.POSITIVE_INFINITY;
      await agrees(graph, [data]);
    });
  }

  it('column max and sum (reduction over the outer axis) agree bit for bit, NaN and signed zeros included', async () => {
    const b = new GraphBuilder('columns');
    const x = b.input('x', { dtype: 'float32', shape: [3, 10] });
    const graph = b
      .output(
        b.op('max', [x], { axes: [0], keepdims: false }),
        b.op('sum', [x], { axes: [0], keepdims: false }),
      )
      .build();
    const data = values(30, 3);
    data[4] = Number.NaN;
    data[1] = -0;
    data[11] = 0;
    data[21] = -0;
    await agrees(graph, [data]);
  });
});
