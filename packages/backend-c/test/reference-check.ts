import { checkAgainstReference } from '@paradox/backend-conformance';
import type { Graph, KernelProgram } from '@paradox/ir';
import { fusionPass } from '@paradox/pass-fusion';
import { silentLogger } from '@paradox/pass-manager';
import type { CBackend } from '../src/index.js';

/** `graph` after the fusion pass with `backend`'s capabilities (what jit would hand to lowering). */
export function fusedFor(backend: CBackend, graph: Graph): Graph {
  return fusionPass.run(graph, {
    options: {},
    logger: silentLogger,
    outputs: {},
    capabilities: backend.capabilities,
  }).graph;
}

/** Deterministic float32 inputs for every graph input: a sine of the position, every `spike`th element scaled. */
export function wavyInputs(graph: Graph, spike: number, scale: number): Float32Array[] {
  return graph.inputs.map((input, i) => {
    const size = input.type.shape.reduce((x, y) => x * y, 1);
    return new Float32Array(size).map((_, j) => Math.sin(j * 0.37 + i) * (j % spike === 0 ? scale : 1));
  });
}

/** Compiles `program` on `backend`, runs it on `inputs` and checks it against the reference interpreter. */
export async function agreesWithReference(
  backend: CBackend,
  graph: Graph,
  program: KernelProgram,
  inputs: Float32Array[],
  tolerance = { rtol: 1e-5, atol: 1e-5 },
): Promise<void> {
  const exe = backend.compile(program);
  try {
    await checkAgainstReference(backend, exe, graph, program, inputs, { tolerance });
  } finally {
    exe.dispose();
  }
}
