import {
  type Graph,
  GraphBuilder,
  type HostTensor,
  interpret,
  numel,
  typedArrayFor,
  verifyGraph,
} from '@paradox/ir';
import { fusionPass } from '@paradox/pass-fusion';
import { type PassContext, silentLogger } from '@paradox/pass-manager';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutPass } from '../src/index.js';

function run(graph: Graph, contractionRhs?: 'kn' | 'nk') {
  const ctx: PassContext = {
    options: {},
    logger: silentLogger,
    outputs: {},
    ...(contractionRhs
      ? {
          capabilities: {
            dtypes: ['float32'],
            ops: new Set<string>(),
            maxBuffersPerKernel: 64,
            layout: { contractionRhs },
          },
        }
      : {}),
  };
  const result = layoutPass.run(graph, ctx);
  verifyGraph(result.graph);
  return result;
}

function kernelsAfterFusion(graph: Graph) {
  const ctx: PassContext = { options: {}, logger: silentLogger, outputs: {} };
  const out = fusionPass.run(graph, ctx).graph;
  return {
    count: new Set(out.nodes.map((n) => n.group).filter((g) => g !== undefined)).size,
    report: ctx.outputs.fusionReport!,
  };
}

let seed = 7;
function inputsFor(g: Graph): HostTensor[] {
  return g.inputs.map((i) => {
    const data = typedArrayFor(i.type.dtype, numel(i.type.shape));
    for (let k = 0; k < data.length; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data[k] = ((seed >>> 8) / 2 ** 24) * 2 - 1;
    }
    return { dtype: i.type.dtype, shape: [...i.type.shape], data };
  });
}

function expectSameResults(a: Graph, b: Graph, tolerance = 0) {
  const inputs = inputsFor(a);
  const ra = interpret(a, inputs);
  const rb = interpret(b, inputs);
  ra.forEach((t, i) => {
    expect(rb[i]!.shape).toEqual(t.shape);
    if (tolerance === 0) expect(Array.from(rb[i]!.data)).toEqual(Array.from(t.data));
    else {
      for (const [k, v] of Array.from(t.data).entries()) expect(rb[i]!.data[k]).toBeCloseTo(v, tolerance);
    }
  });
}

const ops = (g: Graph) => g.nodes.map((n) => n.op);

describe('layout rewrites', () => {
  it('compiles x.transpose().matmul(w) with the transpose as an operand view (one kernel, minimum bytes)', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [16, 8] });
    const w = b.input('w', { dtype: 'float32', shape: [16, 4] });
    const graph = b.output(b.op('matmul', [b.op('transpose', [x], { perm: [1, 0] }), w])).build();
    const { graph: out } = run(graph);
    const { count, report } = kernelsAfterFusion(out);
    expect(count).toBe(1);
    expect(report.totalBytesRead + report.totalBytesWritten).toBe(report.minimumBytes);
    expectSameResults(graph, out);
  });

  it('rewrites (x.T @ w.T).T into w @ x with no transpose left', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [6, 5] });
    const w = b.input('w', { dtype: 'float32', shape: [4, 6] });
    const xt = b.op('transpose', [x], { perm: [1, 0] });
    const wt = b.op('transpose', [w], { perm: [1, 0] });
    const graph = b.output(b.op('transpose', [b.op('matmul', [xt, wt])], { perm: [1, 0] })).build();
    const { graph: out, stats } = run(graph);
    expect(ops(out)).toEqual(['matmul']);
    expect(out.nodes[0]!.inputs).toEqual(['w', 'x']);
    expect(stats!.matmulTransposesSwapped).toBe(1);
    expect(kernelsAfterFusion(out).count).toBe(1);
    expectSameResults(graph, out, 5);
  });

  it('compiles exp -> transpose -> reshape -> slice -> reshape -> transpose -> tanh to one kernel', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [4, 6] });
    let v = b.op('exp', [x]);
    v = b.op('transpose', [v], { perm: [1, 0] }); // [6,4]
    v = b.op('reshape', [v], { shape: [3, 2, 4] });
    v = b.op('slice', [v], { starts: [0, 0, 1], stops: [3, 2, 4], steps: [1, 1, 1] }); // [3,2,3]
    v = b.op('reshape', [v], { shape: [6, 3] });
    v = b.op('transpose', [v], { perm: [1, 0] }); // [3,6]
    const graph = b.output(b.op('tanh', [v])).build();
    const { graph: out } = run(graph);
    expect(kernelsAfterFusion(out).count).toBe(1);
    expectSameResults(graph, out);
  });

  it('sinks a shared transpose through elementwise ops until it cancels', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [3, 5] });
    const y = b.input('y', { dtype: 'float32', shape: [3, 5] });
    const t = (v: string) => b.op('transpose', [v], { perm: [1, 0] });
    const two = b.op('broadcast', [b.op('constant', [], { value: 2, dtype: 'float32' })], { shape: [5, 3] });
    const s = b.op('mul', [b.op('add', [t(x), t(y)]), two]);
    const graph = b.output(t(b.op('exp', [s]))).build();
    const { graph: out, stats } = run(graph);
    expect(ops(out).filter((o) => o === 'transpose')).toHaveLength(0);
    expect(stats!.transposesSunk).toBeGreaterThanOrEqual(2);
    expectSameResults(graph, out);
  });

  it('reduces a transposed value over the source axes directly', () => {
    for (const keepdims of [true, false]) {
      const b = new GraphBuilder('f');
      const x = b.input('x', { dtype: 'float32', shape: [2, 3, 4] });
      const t = b.op('transpose', [x], { perm: [2, 0, 1] }); // [4,2,3]
      const graph = b.output(b.op('sum', [t], { axes: [1], keepdims })).build();
      const { graph: out, stats } = run(graph);
      expect(stats!.reductionsThroughTranspose).toBe(1);
      expect(out.nodes.find((n) => n.op === 'sum')!.inputs).toEqual(['x']);
      expectSameResults(graph, out, 5);
    }
  });

  it('stores a captured matmul weight transposed when the backend prefers nk', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [2, 3] });
    const w = b.constant([1, 2, 3, 4, 5, 6], [3, 2], 'float32');
    const graph = b.output(b.op('matmul', [x, w])).build();
    expect(run(graph, 'kn').stats!.constantsStoredTransposed).toBeUndefined();
    const { graph: out, stats } = run(graph, 'nk');
    expect(stats!.constantsStoredTransposed).toBe(1);
    expect(out.constants[0]!.type.shape).toEqual([2, 3]);
    expect(Array.from(out.buffers[out.constants[0]!.buffer]!)).toEqual([1, 3, 5, 2, 4, 6]);
    expectSameResults(graph, out);
  });
});

/** Random graphs rich in movement ops: transposes, reshapes, slices and broadcasts around elementwise ops and reductions. */
const movementGraph = fc
  .record({
    dims: fc.tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 3 }),
    ),
    steps: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 10 }),
  })
  .map(({ dims, steps }) => {
    const b = new GraphBuilder('rand');
    const x = b.input('x', { dtype: 'float32', shape: [...dims] });
    const y = b.input('y', { dtype: 'float32', shape: [...dims] });
    let v = x;
    let w = y;
    for (const s of steps) {
      const shape = b.typeOf(v).shape;
      const r = shape.length;
      const rev = [...Array(r).keys()].reverse();
      switch (s) {
        case 0:
          v = b.op('transpose', [v], { perm: rev });
          w = b.op('transpose', [w], { perm: rev });
          break;
        case 1:
          v = b.op('add', [v, w]);
          break;
        case 2:
          v = b.op('exp', [b.op('neg', [v])]);
          break;
        case 3:
          v = b.op('reshape', [v], { shape: [shape.reduce((a, c) => a * c, 1)] });
          w = b.op('reshape', [w], { shape: [shape.reduce((a, c) => a * c, 1)] });
          break;
        case 4:
          if (r > 0) {
            v = b.op('slice', [v], {
              starts: shape.map((_, i) => (i === 0 ? -1 : 0)),
              stops: shape.map((d, i) => (i === 0 ? null : d)),
              steps: shape.map((_, i) => (i === 0 ? -1 : 1)),
            });
          }
          break;
        case 5:
          v = b.op(
            'transpose',
            [b.op('mul', [b.op('transpose', [v], { perm: rev }), b.op('transpose', [w], { perm: rev })])],
            { perm: rev },
          );
          break;
        case 6:
          if (r > 0) {
            v = b.op('sum', [v], { axes: [r - 1], keepdims: true });
            v = b.op('broadcast', [v], { shape });
          }
          break;
        case 7:
          v = b.op('transpose', [b.op('transpose', [v], { perm: rev })], { perm: rev });
          break;
      }
    }
    return b.output(v).build();
  });

describe('layout preserves results', () => {
  it('on random movement-heavy graphs (reference interpreter, float tolerance for reassociated sums)', () => {
    fc.assert(
      fc.property(movementGraph, (graph) => {
        const { graph: out } = run(graph);
        expectSameResults(graph, out, 4);
      }),
      { numRuns: 150 },
    );
  });
});
