import type { Graph, GraphConstant, Node, TypedArray, ValueId } from '@paradox/ir';

/**
 * Small graph-editing helpers shared by rewriting passes. They never mutate their arguments:
 * a pass builds its new graph from these results, keeping untouched node objects shared.
 */

/** Follows replacement chains (a -> b -> c) to the final value. */
export function resolveReplacement(replacements: ReadonlyMap<ValueId, ValueId>, id: ValueId): ValueId {
  let seen = 0;
  let current = id;
  for (let next = replacements.get(current); next !== undefined; next = replacements.get(current)) {
    current = next;
    if (++seen > replacements.size) throw new Error(`replacement cycle through %${id}`);
  }
  return current;
}

/**
 * Rewrites every use (node inputs and graph outputs) through `replacements`; replaced nodes
 * themselves are dropped. Nodes whose inputs did not change are kept as the same objects.
 */
export function replaceAllUses(graph: Graph, replacements: ReadonlyMap<ValueId, ValueId>): Graph {
  if (replacements.size === 0) return graph;
  const nodes: Node[] = [];
  for (const node of graph.nodes) {
    if (replacements.has(node.id)) continue;
    let inputs: ValueId[] | undefined;
    for (let i = 0; i < node.inputs.length; i++) {
      const v = node.inputs[i]!;
      if (!replacements.has(v)) continue;
      inputs ??= [...node.inputs];
      inputs[i] = resolveReplacement(replacements, v);
    }
    nodes.push(inputs === undefined ? node : { ...node, inputs });
  }
  return { ...graph, nodes, outputs: graph.outputs.map((id) => resolveReplacement(replacements, id)) };
}

/**
 * The largest integer node id of `graph` (-1 when none), for passes that number new nodes after it.
 * A loop, not `Math.max(...ids)`: spreading 200,000 ids into arguments overflows the stack.
 */
export function maxNumericNodeId(graph: Graph): number {
  let max = -1;
  for (const n of graph.nodes) {
    const v = Number(n.id);
    if (Number.isInteger(v) && v > max) max = v;
  }
  return max;
}

/** Hands out value ids that no input, constant or node of `graph` uses. */
export class FreshIds {
  private readonly taken: Set<ValueId>;
  private nextNode = 0;
  private nextConstant = 0;

  constructor(graph: Graph) {
    this.taken = new Set([
      ...graph.inputs.map((v) => v.id),
      ...graph.constants.map((v) => v.id),
      ...graph.nodes.map((v) => v.id),
    ]);
  }

  /** Numbered like the builder's nodes: "12". */
  node(): ValueId {
    return this.claim(() => String(this.nextNode++));
  }

  /** Named like captured constants: "c3". */
  constant(): ValueId {
    return this.claim(() => `c${this.nextConstant++}`);
  }

  private claim(next: () => ValueId): ValueId {
    let id = next();
    while (this.taken.has(id)) id = next();
    this.taken.add(id);
    return id;
  }
}

/** Appends constant data to a graph's buffer table (copy-on-write: the input's table is not touched). */
export class ConstantTable {
  readonly constants: GraphConstant[];
  readonly buffers: TypedArray[];
  /** Made on the first add: most sweeps (a fold pass that finds nothing to fold) add nothing. */
  private ids: FreshIds | undefined;

  constructor(
    private readonly graph: Graph,
    ids?: FreshIds,
  ) {
    this.constants = [...graph.constants];
    this.buffers = [...graph.buffers];
    this.ids = ids;
  }

  add(type: GraphConstant['type'], data: TypedArray): ValueId {
    this.ids ??= new FreshIds(this.graph);
    const id = this.ids.constant();
    this.constants.push({
      id,
      type: { dtype: type.dtype, shape: [...type.shape] },
      buffer: this.buffers.length,
    });
    this.buffers.push(data);
    return id;
  }
}
