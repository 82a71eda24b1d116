/** Builds, lowers and checks test programs against the reference interpreter. */
import type { Backend, DeviceBuffer } from '@paradox/backend';
import { compareArrays } from '@paradox/backend-conformance';
import { type DType, type Graph, GraphBuilder, interpret, type TypedArray, type ValueId } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';

export type Build = (b: GraphBuilder, input: (dtype: DType, shape: number[]) => ValueId) => ValueId[];

/** A graph whose nodes all sit in one fusion group (so lowering emits fused kernels). */
export function fusedGraph(
  build: Build,
  fuse = true,
): { graph: Graph; shapes: { dtype: DType; shape: number[] }[] } {
  const b = new GraphBuilder('test');
  const shapes: { dtype: DType; shape: number[] }[] = [];
  const outs = build(b, (dtype, shape) => {
    shapes.push({ dtype, shape });
    return b.input(`x${shapes.length - 1}`, { dtype, shape });
  });
  const graph = b.output(...outs).build();
  if (fuse) for (const n of graph.nodes) n.group = 0;
  return { graph, shapes };
}

/** Deterministic data in [-2, 2] (ints in [-9, 9], bools alternating-ish). */
export function data(dtype: DType, n: number, seed = 1): TypedArray {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  if (dtype === 'int32') return Int32Array.from({ length: n }, () => Math.round(next() * 18 - 9));
  if (dtype === 'bool') return Uint8Array.from({ length: n }, () => (next() < 0.5 ? 1 : 0));
  return Float32Array.from({ length: n }, () => next() * 4 - 2);
}

/** Lowers `graph`, runs it on `backend` and compares every output with the interpreter. */
export async function checkGraph(
  backend: Backend,
  graph: Graph,
  inputs: TypedArray[],
  tolerance = { rtol: 1e-4, atol: 1e-4 },
): Promise<void> {
  const program = lowerGraph(graph);
  const exe = await backend.compile(program);
  const buffers: DeviceBuffer[] = program.inputs.map((id, i) => {
    const decl = program.buffers.find((b) => b.id === id)!;
    const buf = backend.allocate(decl.dtype, decl.size);
    backend.upload(buf, inputs[i]!);
    return buf;
  });
  try {
    const outs = await exe.run(buffers);
    const expected = interpret(graph, inputs);
    for (let i = 0; i < outs.length; i++) {
      const got = await backend.download(outs[i]!);
      backend.free(outs[i]!);
      const diff = compareArrays(got, expected[i]!.data, expected[i]!.dtype, { tolerance });
      if (diff) throw new Error(`output ${i}: ${diff}`);
    }
  } finally {
    for (const b of buffers) backend.free(b);
    exe.dispose();
  }
}

export { oneKernelProgram } from '@paradox/ir';
