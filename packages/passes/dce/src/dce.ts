import { type Graph, getOp, type ValueId } from '@paradox/ir';
import type { Pass, PassResult } from '@paradox/pass-manager';

/**
 * Dead-code elimination: keeps the nodes the outputs depend on, and drops every other node,
 * unused constant and unreferenced buffer (buffer indices are compacted).
 *
 * Impure ops (the `impure` trait; in op set v1 only `random`) are always kept, with their
 * operands, even when unused. Today `random` is seeded and side-effect free, so deleting it
 * would be safe; keeping it is the rule an impure op with real effects will need, and the
 * trait, not this pass, is the single place that decides what "impure" means.
 * Graph inputs are never removed: they are the function's signature.
 */
export const dcePass: Pass = {
  name: 'dce',
  description: 'remove nodes, constants and buffers whose results are unused (impure ops are kept)',
  run(graph: Graph): PassResult {
    const live = liveValues(graph);
    const nodes = graph.nodes.filter((n) => live.has(n.id));
    const constants = graph.constants.filter((c) => live.has(c.id));

    // Compact the buffer table to the buffers live constants reference, keeping their order.
    const used = [...new Set(constants.map((c) => c.buffer))].sort((a, b) => a - b);
    const newIndex = new Map(used.map((old, index) => [old, index]));
    const buffers = used.map((old) => graph.buffers[old]!);

    const stats = {
      nodesRemoved: graph.nodes.length - nodes.length,
      constantsRemoved: graph.constants.length - constants.length,
      buffersRemoved: graph.buffers.length - buffers.length,
    };
    const changed = stats.nodesRemoved + stats.constantsRemoved + stats.buffersRemoved > 0;
    if (!changed) return { graph, changed, stats };
    return {
      graph: {
        ...graph,
        nodes,
        constants: constants.map((c) =>
          c.buffer === newIndex.get(c.buffer) ? c : { ...c, buffer: newIndex.get(c.buffer)! },
        ),
        buffers,
      },
      changed,
      stats,
    };
  },
};

/** Values reachable backwards from the outputs and from every impure node. */
function liveValues(graph: Graph): Set<ValueId> {
  const live = new Set<ValueId>(graph.outputs);
  for (const n of graph.nodes) if (getOp(n.op).traits.impure) live.add(n.id);
  // Nodes are in topological order, so one backward sweep sees every user before its operands.
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i]!;
    if (live.has(n.id)) for (const v of n.inputs) live.add(v);
  }
  return live;
}
