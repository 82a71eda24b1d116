import { type Graph, GraphBuilder } from '@paradox/ir';
import type { Pass } from '../src/index.js';

/** x: f32[4] -> relu(neg(x)) plus two dead nodes (exp, sin) that nothing uses. */
export function graphWithDeadNodes(): Graph {
  const b = new GraphBuilder('f');
  const x = b.input('x', { dtype: 'float32', shape: [4] });
  const n = b.op('neg', [x]);
  b.op('exp', [x]);
  b.op('sin', [n]);
  b.output(b.op('relu', [n]));
  return b.build();
}

/** Removes at most one unused node per run (the last one), so a fixpoint needs several rounds. */
export const peelOnePass: Pass = {
  name: 'test-peel-one',
  run(graph) {
    const used = new Set([...graph.outputs, ...graph.nodes.flatMap((n) => n.inputs)]);
    const last = graph.nodes.findLastIndex((n) => !used.has(n.id));
    if (last < 0) return { graph, changed: false };
    return {
      graph: { ...graph, nodes: graph.nodes.filter((_, i) => i !== last) },
      changed: true,
      stats: { nodesRemoved: 1 },
    };
  },
};

export const identityPass: Pass = { name: 'test-identity', run: (graph) => ({ graph, changed: false }) };

/** Deliberately broken: throws. */
export const throwingPass: Pass = {
  name: 'test-throws',
  run() {
    throw new RangeError('deliberate failure');
  },
};

/** Deliberately broken: drops the node the outputs need, leaving a dangling use. */
export const danglingPass: Pass = {
  name: 'test-dangling',
  run(graph) {
    return { graph: { ...graph, nodes: graph.nodes.slice(0, -1) }, changed: true };
  },
};

/** Deliberately broken: edits the graph it was given in place. */
export const mutatingPass: Pass = {
  name: 'test-mutates',
  run(graph) {
    graph.name = 'mutated';
    return { graph, changed: true };
  },
};

/** Never converges: claims a change every time. */
export const restlessPass: Pass = {
  name: 'test-restless',
  run: (graph) => ({ graph: { ...graph }, changed: true }),
};
