import type { Graph, ValueId } from '@paradox/ir';

/**
 * Rebinds a traced graph's inputs: keeps the inputs at `keep` (in that order) and renames values by
 * `rename` everywhere they are read. Merging aliased inputs is `keep` without the duplicates plus
 * `rename` of each duplicate to its first occurrence.
 */
export function rebindInputs(
  graph: Graph,
  keep: readonly number[],
  rename: ReadonlyMap<ValueId, ValueId>,
): Graph {
  if (rename.size === 0 && keep.length === graph.inputs.length) return graph;
  const to = (id: ValueId): ValueId => rename.get(id) ?? id;
  return {
    ...graph,
    inputs: keep.map((k) => {
      const input = graph.inputs[k]!;
      return { id: to(input.id), type: input.type };
    }),
    nodes: graph.nodes.map((n) =>
      n.inputs.some((i) => rename.has(i)) ? { ...n, inputs: n.inputs.map(to) } : n,
    ),
    outputs: graph.outputs.map(to),
  };
}

/** A value name from a leaf path (`this_w1`, `arg0_w`): letters, digits and `_`, unique within `used`. */
export function inputName(parts: readonly (string | number)[], used: Set<string>): string {
  const base = parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  let name = base;
  for (let k = 1; used.has(name); k++) name = `${base}_${k}`;
  used.add(name);
  return name;
}
