import {
  castValue,
  type Graph,
  type HostTensor,
  type Node,
  type TensorType,
  type ValueId,
  valueTypes,
} from '@paradox/ir';

/**
 * What the fold pass knows about each value while it sweeps the graph: its type, the node that
 * produces it (after this sweep's rewrites), and its contents when they are known at compile time.
 */
export class ValueFacts {
  private readonly types: Map<ValueId, TensorType>;
  private readonly producers = new Map<ValueId, Node>();
  private readonly values = new Map<ValueId, HostTensor>();
  /** Contents known but not computed yet: computed when a reader needs them (most never do). */
  private readonly pending = new Map<ValueId, () => HostTensor>();

  constructor(graph: Graph) {
    this.types = valueTypes(graph);
    // Captured data is known whatever its size: it is already materialized.
    for (const c of graph.constants) {
      this.values.set(c.id, { dtype: c.type.dtype, shape: c.type.shape, data: graph.buffers[c.buffer]! });
    }
  }

  typeOf(id: ValueId): TensorType {
    return this.types.get(id)!;
  }

  producer(id: ValueId): Node | undefined {
    return this.producers.get(id);
  }

  value(id: ValueId): HostTensor | undefined {
    const known = this.values.get(id);
    if (known !== undefined) return known;
    const compute = this.pending.get(id);
    if (compute === undefined) return undefined;
    const value = compute();
    this.pending.delete(id);
    this.values.set(id, value);
    return value;
  }

  /** Whether the contents of `id` are known (computed or pending). */
  isKnown(id: ValueId): boolean {
    return this.values.has(id) || this.pending.has(id);
  }

  /** The contents of node `id` (of its own type) are what `compute` returns, when first asked. */
  setPendingValue(id: ValueId, compute: () => HostTensor): void {
    this.pending.set(id, compute);
  }

  setProducer(node: Node): void {
    this.producers.set(node.id, node);
    this.types.set(node.id, node.type);
  }

  setValue(id: ValueId, value: HostTensor): void {
    this.values.set(id, value);
    this.types.set(id, { dtype: value.dtype, shape: [...value.shape] });
  }

  /**
   * The single value every element of `id` holds, when known; undefined otherwise. Sees through
   * `constant`/`full` (whatever their size) and `broadcast`, and scans known contents.
   * Elements compare with Object.is, so a tensor mixing 0 and -0 is not a splat.
   */
  splat(id: ValueId): number | undefined {
    const node = this.producers.get(id);
    if (node && (node.op === 'constant' || node.op === 'full')) {
      return castValue((node.attrs as { value: number }).value, node.type.dtype);
    }
    if (node?.op === 'broadcast') return this.splat(node.inputs[0]!);
    const known = this.value(id);
    if (!known || known.data.length === 0) return undefined;
    const first = known.data[0]!;
    for (let i = 1; i < known.data.length; i++) if (!Object.is(known.data[i], first)) return undefined;
    return first;
  }
}
