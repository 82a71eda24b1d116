import { type Graph, printGraph } from '@paradox/ir';
import { flattenTree } from '@paradox/tracer';
import type { CallSpec } from './call-tree.js';
import { CompiledGraph } from './compiled-graph.js';
import { checkOptionNames } from './option-names.js';
import { COMPILE_OPTION_NAMES, type TieredCompileOptions } from './options.js';
import { signatureOf } from './signature.js';
import { compileTiered, tierList, warnOncePerTier } from './tiers.js';
import { type TracedCall, traceCall } from './trace-call.js';

/**
 * A traced function as a static graph: `capture` traces once, `toString()` prints the IR,
 * `optimize()` compiles it for a backend, `run()` executes the graph as captured (no passes).
 */
export class StaticGraph<A extends unknown[] = unknown[], R = unknown> {
  private unoptimized: CompiledGraph<A, R> | undefined;

  private constructor(private readonly traced: TracedCall) {}

  /** Traces `fn` on example inputs (pytrees of tensors; non-tensor leaves are static). */
  static capture<A extends unknown[], R>(fn: (...args: A) => R, ...exampleInputs: A): StaticGraph<A, R> {
    const spec: CallSpec = { name: fn.name || 'f', fn: fn as CallSpec['fn'], staticArgs: new Set() };
    const { leaves, treedef } = flattenTree(exampleInputs);
    const signature = signatureOf(treedef, leaves, false);
    return new StaticGraph<A, R>(traceCall(spec, undefined, exampleInputs, leaves, signature));
  }

  /** The captured IR graph. */
  get graph(): Graph {
    return this.traced.graph;
  }

  /**
   * Runs the pipeline (`'default'` unless `options.pipeline` says otherwise) and compiles for the
   * backend. With tiers (a list, or by default a slow-compile backend such as 'c' above the quick
   * default) the result runs on the quickest at once and adopts the better ones as their background
   * compiles finish; `await result.ready()` waits for the best.
   */
  optimize(options: TieredCompileOptions = {}): CompiledGraph<A, R> {
    checkOptionNames(options, COMPILE_OPTION_NAMES, 'optimize() options');
    const where = `StaticGraph(${this.traced.graph.name}).optimize()`;
    const tiers = tierList(options.backend, where);
    const { backend, ...rest } = options;
    const single = typeof backend === 'string' ? { ...rest, backend } : rest;
    const failed = warnOncePerTier(where, new Set());
    return compileTiered(this.traced, single, tiers, undefined, () => {}, failed) as CompiledGraph<A, R>;
  }

  /** Executes the graph as captured on the default backend (compiled once, without passes). */
  run(...inputs: A): R {
    this.unoptimized ??= CompiledGraph.fromTrace<A, R>(this.traced, { pipeline: '' });
    return this.unoptimized.run(...inputs);
  }

  /** The IR text (`graph @f(%x: f32[4]) { ... }`). */
  toString(): string {
    return printGraph(this.traced.graph);
  }
}
