import type { DType, TypedArray } from './dtype.js';

/**
 * The graph dialect: SSA values in topological order. Plain data, JSON-serializable
 * (constant buffers are base64-encoded by the serializer).
 */

/** Names a value. Inputs and constants keep a name ("x", "c0"); nodes are numbered ("0", "1"). */
export type ValueId = string;

export interface TensorType {
  dtype: DType;
  shape: number[];
}

/** Where the user's code created a node (for errors that point at user code). */
export interface SourceLoc {
  file: string;
  line: number;
  column?: number;
  fn?: string;
}

export type Attrs = Record<string, unknown>;

export interface Node {
  id: ValueId;
  op: string;
  inputs: ValueId[];
  attrs: Attrs;
  type: TensorType;
  source?: SourceLoc;
  /** Fusion group (kernel) this node belongs to; set by the fusion pass, read by lowering. */
  group?: number;
}

export interface GraphInput {
  id: ValueId;
  type: TensorType;
}

/** A captured array. `buffer` indexes `Graph.buffers`. */
export interface GraphConstant {
  id: ValueId;
  type: TensorType;
  buffer: number;
}

export interface Graph {
  name: string;
  inputs: GraphInput[];
  constants: GraphConstant[];
  /** The buffer table holding constant data (host typed arrays). */
  buffers: TypedArray[];
  nodes: Node[];
  outputs: ValueId[];
}

/** Every value a node may read: inputs, constants and earlier nodes. */
export function valueTypes(graph: Graph): Map<ValueId, TensorType> {
  const m = new Map<ValueId, TensorType>();
  for (const i of graph.inputs) m.set(i.id, i.type);
  for (const c of graph.constants) m.set(c.id, c.type);
  for (const n of graph.nodes) m.set(n.id, n.type);
  return m;
}

/** Users of every value (node ids, in order), plus 'output' markers counted separately. */
export function useCounts(graph: Graph): Map<ValueId, number> {
  const m = new Map<ValueId, number>();
  for (const n of graph.nodes) for (const i of n.inputs) m.set(i, (m.get(i) ?? 0) + 1);
  for (const o of graph.outputs) m.set(o, (m.get(o) ?? 0) + 1);
  return m;
}

export function cloneGraph(g: Graph): Graph {
  return {
    name: g.name,
    inputs: g.inputs.map((i) => ({ id: i.id, type: cloneType(i.type) })),
    constants: g.constants.map((c) => ({ ...c, type: cloneType(c.type) })),
    buffers: g.buffers, // constant data is immutable by convention and shared
    nodes: g.nodes.map((n) => ({
      ...n,
      inputs: [...n.inputs],
      attrs: structuredClone(n.attrs),
      type: cloneType(n.type),
      ...(n.source ? { source: { ...n.source } } : {}),
    })),
    outputs: [...g.outputs],
  };
}

export const cloneType = (t: TensorType): TensorType => ({ dtype: t.dtype, shape: [...t.shape] });
