import { type Graph, printGraph } from '@paradox/ir';
import { flattenTree } from '@paradox/tracer';
import type { CallSpec } from './call-tree.js';
import { CompiledGraph } from './compiled-graph.js';
import type { CompileOptions } from './options.js';
import { signatureOf } from './signature.js';
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

  /** Runs the pipeline (`'default'` unless `options.pipeline` says otherwise) and compiles for the backend. */
  optimize(options: CompileOptions = {}): CompiledGraph<A, R> {
    return CompiledGraph.fromTrace<A, R>(this.traced, options);
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
