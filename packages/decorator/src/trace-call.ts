import type { Graph, ValueId } from '@paradox/ir';
import {
  leafPaths,
  parameterNames,
  type Tensor,
  type TreeDef,
  traceWithInfo,
  unflattenTree,
} from '@paradox/tracer';
import { type CallSpec, invoke } from './call-tree.js';
import { inputName, rebindInputs } from './graph-inputs.js';
import type { CallSignature } from './signature.js';
import { checkNoHiddenTensors } from './static-tensors.js';

/** A traced call: the graph has one input per distinct tensor leaf (aliased leaves share one). */
export interface TracedCall {
  readonly graph: Graph;
  readonly signature: CallSignature;
  readonly outputTree: TreeDef;
  /** Graph input k reads tensor leaf `inputLeaves[k]`. */
  readonly inputLeaves: readonly number[];
}

const firstOccurrences = (aliases: readonly number[]): number[] =>
  aliases.flatMap((first, leaf) => (first === leaf ? [leaf] : []));

/**
 * Traces one call. A plain function with no declared statics is traced as itself, so graph inputs take
 * its parameter names (`%x`); methods and calls with boxed statics go through a wrapper and their inputs
 * are named after leaf paths from the parameter names (`%this_w1`, `%x`, `%params_w`; `%arg0` when a
 * parameter has no plain name).
 */
export function traceCall(
  spec: CallSpec,
  self: unknown,
  args: readonly unknown[],
  leaves: readonly Tensor[],
  signature: CallSignature,
): TracedCall {
  checkNoHiddenTensors(spec.name, signature);
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
