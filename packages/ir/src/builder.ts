import type { DType, TypedArray } from './dtype.js';
import { typedArrayFor } from './dtype.js';
import { IrError } from './errors.js';
import type { Attrs, Graph, SourceLoc, TensorType, ValueId } from './graph.js';
import { literalOf } from './literal.js';
import { canonicalAttrs, inferNodeType } from './registry.js';
import { numel } from './shape.js';

/**
 * Builds a graph one value at a time, inferring every node's type through the registry (so a bad
 * op fails here, at the call that made it) and storing canonical attrs. Used by the tracer and tests.
 */
export class GraphBuilder {
  private readonly graph: Graph;
  private readonly types = new Map<ValueId, TensorType>();
  private nextNode = 0;

  constructor(name = 'main') {
    this.graph = { name, inputs: [], constants: [], buffers: [], nodes: [], outputs: [] };
  }

  input(id: ValueId, type: TensorType): ValueId {
    this.claim(id, type);
    this.graph.inputs.push({ id, type: { dtype: type.dtype, shape: [...type.shape] } });
    return id;
  }

  /** Captures an array. Data is copied into storage of the dtype (float16 values are kept as given). */
  constant(data: ArrayLike<number> | TypedArray, shape: number[], dtype: DType, id?: ValueId): ValueId {
    if (data.length !== numel(shape)) {
      throw new IrError(`constant: ${data.length} values do not fill shape [${shape.join(',')}]`);
    }
    const buffer = typedArrayFor(dtype, data.length);
    if (dtype === 'int32' || dtype === 'bool') {
      // The literal rule: convert as cast does (a typed-array store would wrap 3e9 to -1294967296).
      for (let i = 0; i < data.length; i++) buffer[i] = literalOf(data[i]!, dtype);
    } else buffer.set(data as ArrayLike<number>);
    const name = id ?? `c${this.graph.constants.length}`;
    const type = { dtype, shape: [...shape] };
    this.claim(name, type);
    this.graph.constants.push({ id: name, type, buffer: this.graph.buffers.length });
    this.graph.buffers.push(buffer);
    return name;
  }

  /**
   * Adds a node; returns its id. Throws UnknownOpError/ArityError/AttrError/ShapeError/DTypeError.
   * A `value` attr is converted to the node's dtype with cast's rules (see literalOf).
   */
  op(op: string, inputs: ValueId[], attrs: Attrs = {}, source?: SourceLoc): ValueId {
    const inTypes = inputs.map((i) => {
      const t = this.types.get(i);
      if (!t) throw new IrError(`${op}: input %${i} is not defined`);
      return t;
    });
    const type = inferNodeType(op, inTypes, attrs);
    // Literals reach the graph already converted with cast's rules (the verifier rejects others).
    if (typeof attrs.value === 'number') attrs = { ...attrs, value: literalOf(attrs.value, type.dtype) };
    let id = String(this.nextNode++);
    while (this.types.has(id)) id = String(this.nextNode++); // an input may already be called "3"
    this.types.set(id, type);
    this.graph.nodes.push({
      id,
      op,
      inputs: [...inputs],
      attrs: canonicalAttrs(op, inTypes, attrs),
      type,
      ...(source ? { source } : {}),
    });
    return id;
  }

  typeOf(id: ValueId): TensorType {
    const t = this.types.get(id);
    if (!t) throw new IrError(`%${id} is not defined`);
    return t;
  }

  output(...ids: ValueId[]): this {
    for (const id of ids) this.typeOf(id);
    this.graph.outputs.push(...ids);
    return this;
  }

  build(): Graph {
    return this.graph;
  }

  /** Nodes added so far. */
  get nodeCount(): number {
    return this.graph.nodes.length;
  }

  private claim(id: ValueId, type: TensorType): void {
    if (this.types.has(id)) throw new IrError(`value %${id} is already defined`);
    this.types.set(id, type);
  }
}
