/**
 * The register-blocked contraction template reads its right operand as vec4 rows; an epilogue that
 * also reads an operand itself (`where(|a @ b| >= 0, a, b)` with K = 1) must not index that vec4
 * array as scalars (fuzz program 3274606434: `select(vec4<i32>, i32, bool)` did not compile).
 */
import { execute } from '@paradox/backend-conformance';
import { type DType, GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { afterAll, expect, it } from 'vitest';
import { createWgslBackend, nodeGpu } from '../src/index.js';

const backend = createWgslBackend({ name: 'wgsl-contraction-epilogue', gpu: nodeGpu() });
afterAll(() => backend.dispose());

it.each([
  'int32',
  'float32',
] as const)('an epilogue reading the %s operands themselves', async (dtype: DType) => {
  const b = new GraphBuilder('epilogue-reads-operands');
  const x = b.input('x', { dtype, shape: [5, 4, 1] });
  const w = b.input('w', { dtype, shape: [5, 1, 4] });
  const mm = b.op('matmul', [x, w]);
  const zero = b.op('broadcast', [b.constant([0], [], dtype)], { shape: [5, 4, 4] });
  const cond = b.op('ge', [b.op('abs', [mm]), zero]);
  const graph = b.output(b.op('where', [cond, x, w])).build();
  for (const n of graph.nodes) n.group = 0;
  const program = lowerGraph(graph);
  expect(program.kernels.some((k) => k.kind === 'contraction')).toBe(true);
  const values = (f: (i: number) => number) => {
    const v = Array.from({ length: 20 }, (_, i) => f(i));
    return dtype === 'int32' ? Int32Array.from(v) : Float32Array.from(v);
  };
  const inputs = [values((i) => i - 7), values((i) => 3 * i - 30)];
  const exe = await backend.compile(program);
  try {
    const [got] = await execute(backend, exe, program, inputs);
    expect(Array.from(got!)).toEqual(Array.from(interpret(graph, inputs)[0]!.data));
  } finally {
    exe.dispose();
  }
});
