import { GraphBuilder, interpret } from '@paradox/ir';
import { beforeAll, expect, it } from 'vitest';
import {
  callGraph,
  interpreterExecutor,
  setEagerExecutor,
  type Tensor,
  TensorArgumentError,
  tensor,
  trace,
} from '../src/index.js';

beforeAll(() => {
  setEagerExecutor(interpreterExecutor);
});

/** y = relu(x @ w + b) with w and b captured constants, and a second output x * 2. */
function denseGraph() {
  const b = new GraphBuilder('dense');
  const x = b.input('x', { dtype: 'float32', shape: [2, 3] });
  const w = b.constant(Float32Array.of(1, -1, 0.5, 2, -0.25, 1), [3, 2], 'float32');
  const bias = b.constant(Float32Array.of(0.5, -4), [2], 'float32');
  const y = b.op('relu', [b.op('add', [b.op('matmul', [x, w]), bias])]);
  const two = b.op('constant', [], { value: 2, dtype: 'float32' });
  return b.output(y, b.op('mul', [x, two])).build();
}

const X = Float32Array.of(1, 2, 3, -1, 0.5, 4);

it('runs a graph eagerly: every output as the reference interpreter computes it', () => {
  const graph = denseGraph();
  const got = callGraph(graph, [tensor(X, [2, 3])]);
  const want = interpret(graph, [X]);
  expect(got).toHaveLength(2);
  got.forEach((t, i) => {
    expect(t.shape).toEqual(want[i]!.shape);
    expect(Array.from(t.dataSync())).toEqual(Array.from(want[i]!.data));
  });
});

it('inlines into a trace: the caller composes it with its own ops', () => {
  const graph = denseGraph();
  const traced = trace((x: Tensor) => callGraph(graph, [x])[0]!.sum(), tensor(X, [2, 3]));
  expect(traced.nodes.map((n) => n.op)).toEqual(expect.arrayContaining(['matmul', 'relu', 'sum']));
  const [y] = interpret(denseGraph(), [X]);
  const sum = Array.from(y!.data).reduce((a, v) => a + Math.fround(v), 0);
  expect(interpret(traced, [X])[0]!.data[0]).toBeCloseTo(sum, 5);
});

it('names what is wrong with the inputs', () => {
  const graph = denseGraph();
  expect(() => callGraph(graph, [])).toThrow(TensorArgumentError);
  expect(() => callGraph(graph, [])).toThrow(/takes 1 input\(s\), got 0/);
  expect(() => callGraph(graph, [tensor([1, 2, 3])])).toThrow(
    /input 0 \(x\) must be float32\[2,3\], got float32\[3\]/,
  );
});
