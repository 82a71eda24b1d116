import type { Graph, ValueId } from '@paradox/ir';
import { TracerError } from './errors.js';
import { parameterNames, sanitizeName } from './param-names.js';
import { flattenTree, leafPaths, type TreeDef, unflattenTree } from './pytree.js';
import type { Tensor } from './tensor.js';
import { type CapturedConstant, TraceContext } from './trace-context.js';
import { withTrace } from './trace-stack.js';

/** Everything a trace learned besides the graph (the jit builds cache keys and results from it). */
export interface TraceInfo {
  graph: Graph;
  /** Structure of the argument list (an array pytree; non-tensor leaves are static values). */
  inputTree: TreeDef;
  /** Structure of the result; `graph.outputs` are its tensor leaves in order. */
  outputTree: TreeDef;
  /** Graph input ids, one per tensor leaf of the arguments (flattenTree order). */
  inputIds: ValueId[];
  /** Closed-over eager tensors captured as constants. */
  constants: CapturedConstant[];
}

/** How the traces that `withTraceOptions` starts record. */
export interface TraceOptions {
  /**
   * Whether every node records the user's call site (`Node.source`; default true). Capturing it costs a
   * stack capture per op, most of a long trace's time; without it nodes have no `source`.
   */
  sourceLocations?: boolean;
}

let sourceLocations = true;

/** Runs `body`; the traces it starts (trace, traceWithInfo) follow `options`. */
export function withTraceOptions<T>(options: TraceOptions, body: () => T): T {
  const saved = sourceLocations;
  sourceLocations = options.sourceLocations ?? true;
  try {
    return body();
  } finally {
    sourceLocations = saved;
  }
}

/** Value names the graph reserves: constants (c0, c1...) and nodes (0, 1...). */
const RESERVED = /^(c\d+|\d+)$/;

function inputNames(fn: (...args: never[]) => unknown, inputTree: TreeDef): string[] {
  const params = parameterNames(fn);
  const used = new Set<string>();
  return leafPaths(inputTree).map(([arg, ...rest]) => {
    const index = arg as number;
    const base = params[index] ?? `arg${index}`;
    let name = sanitizeName([base, ...rest].join('_'));
    if (RESERVED.test(name)) name = `_${name}`;
    for (let k = 1; used.has(name); k++) name = `${sanitizeName([base, ...rest].join('_'))}_${k}`;
    used.add(name);
    return name;
  });
}

/**
 * Runs `fn` once on tracers standing for the tensor leaves of `exampleInputs` and records every op
 * into a graph. Arguments and results may be pytrees (arrays/plain objects) of tensors; non-tensor
 * arguments are static (passed to `fn` unchanged); closed-over eager tensors become constants.
 */
export function traceWithInfo<A extends unknown[]>(
  fn: (...args: A) => unknown,
  ...exampleInputs: A
): TraceInfo {
  const { leaves, treedef: inputTree } = flattenTree(exampleInputs);
  const names = inputNames(fn as (...args: never[]) => unknown, inputTree);
  const context = new TraceContext(sanitizeName(fn.name || 'f'), sourceLocations);
  const tracers = leaves.map((leaf, i) => context.addInput(names[i]!, leaf.type));
  const result = withTrace(context, () => fn(...(unflattenTree(inputTree, tracers) as A)));
  if (result instanceof Promise) {
    throw new TracerError(
      'trace: the traced function returned a Promise; traced functions must be synchronous',
    );
  }
  const { leaves: outputs, treedef: outputTree } = flattenTree(result);
  context.builder.output(...outputs.map((t: Tensor) => context.valueIdOf(t)));
  return {
    graph: context.builder.build(),
    inputTree,
    outputTree,
    inputIds: names,
    constants: context.constants,
  };
}

/** `trace(fn, ...exampleInputs) -> Graph` (see traceWithInfo for the structure and constants). */
export function trace<A extends unknown[]>(fn: (...args: A) => unknown, ...exampleInputs: A): Graph {
  return traceWithInfo(fn, ...exampleInputs).graph;
}
