import {
  type Attrs,
  type Graph,
  getOp,
  inferNodeType,
  type Node,
  type SourceLoc,
  type TensorType,
  type ValueId,
} from '@paradox/ir';
import { maxNumericNodeId } from '@paradox/pass-manager';

/**
 * Rebuilds a graph node by node, letting rules replace a node by new nodes. Inputs are renamed
 * through earlier replacements; nodes left without users are dropped at the end (never impure ones).
 */
export class Rewriter {
  readonly nodes: Node[] = [];
  private readonly byId = new Map<ValueId, Node>();
  private readonly renamed = new Map<ValueId, ValueId>();
  /** Types of the graph's inputs and constants (nodes are looked up in `byId`). */
  private readonly leafTypes: Map<ValueId, TensorType>;
  private nextId: number;

  constructor(private readonly graph: Graph) {
    this.leafTypes = new Map([...graph.inputs, ...graph.constants].map((v) => [v.id, v.type]));
    this.nextId = 1 + maxNumericNodeId(graph);
  }

  /** The node that defines `id` (undefined for inputs and constants). */
  producer(id: ValueId): Node | undefined {
    return this.byId.get(id);
  }

  typeOf(id: ValueId): TensorType {
    const type = this.byId.get(id)?.type ?? this.leafTypes.get(id);
    if (!type) throw new Error(`layout: unknown value %${id}`);
    return type;
  }

  /** Adds a new node computing `op(inputs)` and returns its id. */
  emit(op: string, inputs: ValueId[], attrs: Attrs, source?: SourceLoc): ValueId {
    const type = inferNodeType(
      op,
      inputs.map((i) => this.typeOf(i)),
      attrs,
    );
    const node: Node = { id: String(this.nextId++), op, inputs, attrs, type, ...(source ? { source } : {}) };
    this.push(node);
    return node.id;
  }

  push(node: Node): void {
    this.nodes.push(node);
    this.byId.set(node.id, node);
  }

  rename(id: ValueId): ValueId {
    return this.renamed.get(id) ?? id;
  }

  replace(oldId: ValueId, newId: ValueId): void {
    this.renamed.set(oldId, newId);
  }

  finish(): Graph {
    const outputs = this.graph.outputs.map((o) => this.rename(o));
    const used = new Set<ValueId>(outputs);
    const kept: Node[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (!used.has(n.id) && !getOp(n.op).traits.impure) continue;
      kept.push(n);
      for (const inp of n.inputs) used.add(inp);
    }
    return { ...this.graph, nodes: kept.reverse(), outputs };
  }
}
