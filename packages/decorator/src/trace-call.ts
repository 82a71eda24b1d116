import type { Graph, ValueId } from '@paradox/ir';
import {
  leafPaths,
  parameterNames,
  type Tensor,
  type TreeDef,
  traceWithInfo,
  unflattenTree,
  withTraceOptions,
} from '@paradox/tracer';
import { type CallSpec, invoke } from './call-tree.js';
import { JitArgumentError } from './errors.js';
import { inputName, rebindInputs } from './graph-inputs.js';
import { argumentLabel, type CallSignature } from './signature.js';
import { checkNoHiddenTensors } from './static-tensors.js';

/** A traced call: the graph has one input per distinct tensor leaf (aliased leaves share one). */
export interface TracedCall {
  readonly graph: Graph;
  readonly signature: CallSignature;
  readonly outputTree: TreeDef;
  /** Graph input k reads tensor leaf `inputLeaves[k]`. */
  readonly inputLeaves: readonly number[];
  /** Whether the graph's nodes record the user's call sites (see traceCall). */
  readonly locations: boolean;
}

const firstOccurrences = (aliases: readonly number[]): number[] =>
  aliases.flatMap((first, leaf) => (first === leaf ? [leaf] : []));

/**
 * Traces one call. A plain function with no declared statics is traced as itself, so graph inputs take
 * its parameter names (`%x`); methods and calls with boxed statics go through a wrapper and their inputs
 * are named after leaf paths from the parameter names (`%this_w1`, `%x`, `%params_w`; `%arg0` when a
 * parameter has no plain name). `locations: false` records no call sites (a stack capture per op,
 * most of a long trace's time): the jit's misses trace so and trace again with them when needed.
 */
export function traceCall(
  spec: CallSpec,
  self: unknown,
  args: readonly unknown[],
  leaves: readonly Tensor[],
  signature: CallSignature,
  locations = true,
): TracedCall {
  checkNoHiddenTensors(spec.name, signature);
  try {
    const traced = withTraceOptions({ sourceLocations: locations }, () =>
      traceSpec(spec, self, args, leaves, signature),
    );
    return { ...traced, locations };
  } catch (e) {
    throw plainArrayHint(spec.name, signature, e) ?? e;
  }
}

/**
 * A TypeError from the user's function (`x.mul is not a function`) when an argument is an array
 * or object of plain numbers: arrays are pytrees, so the function got the array, not a tensor.
 */
function plainArrayHint(fn: string, signature: CallSignature, error: unknown): JitArgumentError | undefined {
  if (!(error instanceof TypeError) || signature.tree.node.kind !== 'array') return undefined;
  const i = signature.tree.node.children.findIndex(
    (c) => (c.node.kind === 'array' || c.node.kind === 'object') && c.numLeaves === 0,
  );
  if (i < 0 || (signature.receiver && i === 0)) return undefined;
  const kind = signature.tree.node.children[i]!.node.kind === 'array' ? 'a plain array' : 'a plain object';
  return new JitArgumentError(
    `jit(${fn}): ${argumentLabel(i, signature.receiver)} is ${kind} with no tensors, and the function failed with ` +
      `"${error.message}". Arrays and plain objects are pytrees, so the function received the ${kind.slice(8)} ` +
      'itself, not a tensor: pass tensor([...]) to give it a tensor.',
    { cause: error },
  );
}

function traceSpec(
  spec: CallSpec,
  self: unknown,
  args: readonly unknown[],
  leaves: readonly Tensor[],
  signature: CallSignature,
): Omit<TracedCall, 'locations'> {
  const inputLeaves = firstOccurrences(signature.aliases);
  const direct = !spec.receiver && spec.staticArgs.size === 0;
  if (direct) {
    const info = traceWithInfo(spec.fn as (...a: unknown[]) => unknown, ...args);
    const rename = new Map<ValueId, ValueId>();
    signature.aliases.forEach((first, leaf) => {
      if (first !== leaf) rename.set(info.graph.inputs[leaf]!.id, info.graph.inputs[first]!.id);
    });
    return {
      graph: rebindInputs(info.graph, inputLeaves, rename),
      signature,
      outputTree: info.outputTree,
      inputLeaves,
    };
  }

  const treedef = signature.tree;
  const uniqueOf = signature.aliases.map((first) => inputLeaves.indexOf(first));
  const traced = (...tracers: Tensor[]) => {
    const rebuilt = unflattenTree(
      treedef,
      uniqueOf.map((u) => tracers[u]!),
    ) as unknown[];
    return invoke(spec, self, rebuilt, treedef);
  };
  Object.defineProperty(traced, 'name', { value: spec.name }); // the graph is named after it
  const info = traceWithInfo(traced, ...inputLeaves.map((l) => leaves[l]!));
  const paths = leafPaths(treedef);
  const params = parameterNames(spec.fn as (...a: never[]) => unknown);
  const used = new Set<string>();
  const rename = new Map<ValueId, ValueId>();
  info.graph.inputs.forEach((input, k) => {
    const [top, ...rest] = paths[inputLeaves[k]!]!;
    const index = top as number;
    const position = spec.receiver ? index - 1 : index;
    const base = position < 0 ? 'this' : (params[position] ?? `arg${position}`);
    rename.set(input.id, inputName([base, ...rest], used));
  });
  const keepAll = info.graph.inputs.map((_, k) => k);
  return {
    graph: rebindInputs(info.graph, keepAll, rename),
    signature,
    outputTree: info.outputTree,
    inputLeaves,
  };
}
