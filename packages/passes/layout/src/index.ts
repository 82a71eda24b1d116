import type { Graph } from '@paradox/ir';
import { type Pass, type PassStats, registerPass } from '@paradox/pass-manager';
import { assignConstantLayouts } from './constant-layout.js';
import { Rewriter } from './rewriter.js';
import { LAYOUT_RULES, type LayoutRule } from './rules.js';

export { LAYOUT_RULES, type LayoutRule } from './rules.js';

const MAX_SWEEPS = 16;

/** One sweep over the graph applying the first matching rule at each node. */
function sweep(graph: Graph, rules: LayoutRule[], stats: PassStats): { graph: Graph; changed: boolean } {
  const rw = new Rewriter(graph);
  let changed = false;
  for (const original of graph.nodes) {
    const node = { ...original, inputs: original.inputs.map((i) => rw.rename(i)) };
    let replacement: string | undefined;
    for (const rule of rules) {
      replacement = rule.apply(node, rw);
      if (replacement !== undefined) {
        stats[rule.name] = (stats[rule.name] ?? 0) + 1;
        break;
      }
    }
    if (replacement === undefined) rw.push(node);
    else {
      rw.replace(node.id, replacement);
      changed = true;
    }
  }
  return { graph: changed ? rw.finish() : graph, changed };
}

/**
 * Layout: cancels and sinks transposes, composes view chains, swaps transposed matmul results into
 * transposed operands (which lowering reads as strided views, never copies), and stores captured
 * weights in the backend's preferred contraction order. Statistics name every rewrite applied.
 */
export const layoutPass: Pass = {
  name: 'layout',
  description: 'cancel/sink transposes, compose views, fold transposes into contractions, order constants',
  run(graph, ctx) {
    const stats: PassStats = {};
    let g = graph;
    let changed = false;
    for (let i = 0; i < MAX_SWEEPS; i++) {
      const r = sweep(g, LAYOUT_RULES, stats);
      if (!r.changed) break;
      g = r.graph;
      changed = true;
    }
    const weights = assignConstantLayouts(g, ctx.capabilities?.layout?.contractionRhs);
    if (weights.count) {
      stats.constantsStoredTransposed = weights.count;
      g = weights.graph;
      changed = true;
    }
    const transposes = new Set(g.nodes.filter((n) => n.op === 'transpose').map((n) => n.id));
    stats.matmulOperandViews = g.nodes.filter(
      (n) => n.op === 'matmul' && n.inputs.some((i) => transposes.has(i)),
    ).length;
    for (const rule of LAYOUT_RULES)
      if (stats[rule.name]) ctx.logger.debug(`layout: ${stats[rule.name]} x ${rule.explains}`);
    return { graph: g, changed, stats };
  },
};

registerPass(layoutPass);
