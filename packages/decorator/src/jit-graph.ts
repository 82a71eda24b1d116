import { type Graph, verifyGraph } from '@paradox/ir';
import { TreeDef } from '@paradox/tracer';
import { CompiledGraph } from './compiled-graph.js';
import type { CompileOptions } from './options.js';
import { makeSignature } from './signature.js';

/**
 * Compiles a graph that did not come from tracing a function (e.g. what a transformation built):
 * the result runs with one tensor per graph input, in order, and returns one tensor per output (the
 * tensor itself when there is one). The graph is verified first (VerifyError names the fault); ops
 * registered outside @paradox/ir are decomposed, then the pipeline runs as for `jit`.
 */
export function jitGraph(graph: Graph, options: CompileOptions = {}): CompiledGraph {
  verifyGraph(graph);
  const leaves = graph.inputs.map(() => TreeDef.leaf());
  const signature = makeSignature(
    TreeDef.array(leaves),
    graph.inputs.map((i) => ({ dtype: i.type.dtype, shape: [...i.type.shape] })),
    graph.inputs.map((_, k) => k),
    false,
  );
  const outputTree =
    graph.outputs.length === 1 ? TreeDef.leaf() : TreeDef.array(graph.outputs.map(() => TreeDef.leaf()));
  const inputLeaves = graph.inputs.map((_, k) => k);
  return CompiledGraph.fromTrace({ graph, signature, outputTree, inputLeaves, locations: true }, options);
}
