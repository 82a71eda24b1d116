import {
  type Pass,
  type PassContext,
  type PassOutputs,
  registerPass,
  registerPassOutputFormatter,
  silentLogger,
} from '@paradox/pass-manager';
import { assignGroups } from './assign.js';
import { graphFacts } from './graph-facts.js';
import { planFusion } from './plan.js';
import { buildReport, type FusionReport, formatFusionReport } from './report.js';
import { splitWideConcats } from './split-wide.js';
import type { FusionLimits } from './violation.js';

export { KernelBufferLimitError } from './errors.js';
export { type FusionDecision, type FusionReport, formatFusionReport, type KernelReport } from './report.js';
export type { FusionLimits } from './violation.js';

declare module '@paradox/pass-manager' {
  interface PassOutputs {
    fusionReport: FusionReport;
  }
}

const DEFAULT_RECOMPUTE_COST = 8;

function limitsFrom(ctx: PassContext): FusionLimits {
  const recompute = ctx.options.recomputeCost;
  return {
    recomputeCost: typeof recompute === 'number' ? recompute : DEFAULT_RECOMPUTE_COST,
    maxBuffersPerKernel: ctx.capabilities?.maxBuffersPerKernel ?? Number.POSITIVE_INFINITY,
  };
}

/**
 * Partitions the graph into kernels (sets `node.group`), cloning cheap values that several
 * kernels recompute. Puts the fusion report into `ctx.outputs.fusionReport`.
 */
export const fusionPass: Pass = {
  name: 'fusion',
  description: 'group nodes into kernels (elementwise chains, reduction prologue/epilogue, matmul epilogue)',
  run(input, ctx) {
    const limits = limitsFrom(ctx);
    const graph = splitWideConcats(input, limits.maxBuffersPerKernel);
    const facts = graphFacts(graph);
    const plan = planFusion(facts, limits);
    // The report explains every producer/consumer pair: built when read (inspect(), --emit
    // fusion-report, a debug logger), not on every compile.
    let report: FusionReport | undefined;
    defineLazyOutput(ctx.outputs, 'fusionReport', () => {
      report ??= buildReport(facts, plan);
      return report;
    });
    const out = assignGroups(graph, plan.groups);
    const changed =
      out.nodes.length !== input.nodes.length || out.nodes.some((n, i) => n.group !== input.nodes[i]?.group);
    if (ctx.logger !== silentLogger) {
      for (const d of ctx.outputs.fusionReport!.decisions)
        if (!d.fused) ctx.logger.debug(`fusion: %${d.producer} -> %${d.consumer}: ${d.reason}`);
    }
    return {
      graph: out,
      changed,
      stats: {
        kernels: plan.groups.length,
        materialized: plan.realized.size,
        clones: out.nodes.length - graph.nodes.length,
        ...(graph !== input ? { concatParts: graph.nodes.length - input.nodes.length } : {}),
      },
    };
  },
};

/** Sets `outputs[key]` to what `compute` returns, computed on first read; a later write replaces it. */
function defineLazyOutput<K extends keyof PassOutputs>(
  outputs: Partial<PassOutputs>,
  key: K,
  compute: () => PassOutputs[K],
): void {
  Object.defineProperty(outputs, key, {
    get: compute,
    set(value: PassOutputs[K]) {
      Object.defineProperty(outputs, key, { value, writable: true, enumerable: true, configurable: true });
    },
    enumerable: true,
    configurable: true,
  });
}

registerPass(fusionPass);
registerPassOutputFormatter('fusionReport', formatFusionReport);
