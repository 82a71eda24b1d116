import type { Graph, TensorType } from '@paradox/ir';
import { type AttributeMessage, NodeContext, type NodeMessage } from './context.js';
import { ONNX_TYPE, paradoxDType } from './dtypes.js';
import { Emitter, type Val } from './emitter.js';
import { OnnxModelError, OnnxUnsupportedOpError } from './errors.js';
import { ONNX_OPS } from './ops/index.js';
import { int64, onnxMessage } from './proto.js';
import { readTensor, type TensorProtoMessage } from './tensor-proto.js';

export interface LoadOnnxOptions {
  /**
   * Float initializers (the weights) become graph inputs, after the model's own inputs, instead of
   * constants. Integer initializers stay constants: they usually decide shapes (Reshape, Slice).
   */
  initializersAsInputs?: boolean;
  /** Values for graph inputs that decide shapes (a Reshape's shape given as an input): baked in as constants. */
  staticInputs?: Record<string, ArrayLike<number>>;
}

/** What a graph input or output is in the model: its ONNX name and element type, and its Paradox type. */
export interface OnnxValueInfo {
  name: string;
  onnxType: number;
  type: TensorType;
}

/** An imported model: the graph, with ONNX's names for its inputs and outputs in graph order. */
export interface OnnxModel {
  graph: Graph;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  opset: number;
}

interface ValueInfoMessage {
  name?: string;
  type?: {
    tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: unknown; dim_param?: string }[] } };
  };
}

interface ModelMessage {
  opset_import?: { domain?: string; version?: unknown }[];
  graph?: {
    name?: string;
    node?: NodeMessage[];
    initializer?: TensorProtoMessage[];
    input?: ValueInfoMessage[];
    output?: ValueInfoMessage[];
  };
}

function decodeModel(bytes: Uint8Array): ModelMessage {
  try {
    return onnxMessage('ModelProto').decode(bytes) as ModelMessage;
  } catch (err) {
    throw new OnnxModelError(`not an ONNX model: ${(err as Error).message}`);
  }
}

function inputType(info: ValueInfoMessage): { onnxType: number; shape: number[] } {
  const tt = info.type?.tensor_type;
  if (!tt)
    throw new OnnxModelError(
      `graph input '${info.name}' is not a tensor (sequences and maps are not supported)`,
    );
  const shape = (tt.shape?.dim ?? []).map((d) => {
    const n = int64(d.dim_value);
    if (d.dim_param || !(n >= 0)) {
      throw new OnnxModelError(
        `graph input '${info.name}' has a symbolic dimension '${d.dim_param ?? '?'}': Paradox compiles static shapes`,
      );
    }
    return n;
  });
  return { onnxType: tt.elem_type ?? ONNX_TYPE.FLOAT, shape };
}

/** Graph input ids: the ONNX name where it is a plain identifier, else `input<k>`. */
const plainId = (name: string, k: number, taken: Set<string>): string => {
  const id = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !taken.has(name) ? name : `input${k}`;
  taken.add(id);
  return id;
};

/**
 * Imports an ONNX model (bytes of a ModelProto) as a Paradox graph. Initializers become constants
 * (or inputs, by option); values that decide shapes fold at import. Throws OnnxModelError,
 * OnnxUnsupportedOpError (op type, node name, opset), OnnxExternalDataError, OnnxDTypeError or
 * OnnxStaticValueError.
 */
export function loadOnnx(bytes: Uint8Array, options: LoadOnnxOptions = {}): OnnxModel {
  const model = decodeModel(bytes);
  const g = model.graph;
  if (!g) throw new OnnxModelError('the model has no graph');
  const opset = int64(model.opset_import?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 1);
  const e = new Emitter('onnx');
  const env = new Map<string, Val>();
  const initializers = new Map<string, TensorProtoMessage>();
  for (const t of g.initializer ?? []) initializers.set(t.name ?? '', t);

  const inputs: OnnxValueInfo[] = [];
  const taken = new Set<string>();
  const addInput = (name: string, onnxType: number, shape: number[]) => {
    const type = { dtype: paradoxDType(onnxType, `graph input '${name}'`), shape };
    env.set(name, { ...e.input(plainId(name, inputs.length, taken), type, name), onnxType });
    inputs.push({ name, onnxType, type });
  };
  for (const info of g.input ?? []) {
    const name = info.name ?? '';
    if (initializers.has(name)) continue; // before IR 4, initializers are listed as inputs too
    const { onnxType, shape } = inputType(info);
    const staticValues = options.staticInputs?.[name];
    if (staticValues !== undefined) {
      const dtype = paradoxDType(onnxType, `graph input '${name}'`);
      env.set(name, { ...e.constant(Array.from(staticValues), shape, dtype, name), input: name, onnxType });
    } else addInput(name, onnxType, shape);
  }
  for (const [name, t] of initializers) {
    const tensor = readTensor(t, `initializer '${name}'`);
    const dtype = paradoxDType(tensor.onnxType, `initializer '${name}'`);
    if (options.initializersAsInputs && dtype === 'float32') addInput(name, tensor.onnxType, tensor.dims);
    else env.set(name, { ...e.constant(tensor.values, tensor.dims, dtype, name), onnxType: tensor.onnxType });
  }

  for (const node of g.node ?? []) {
    const domain = node.domain ?? '';
    const mapping = domain === '' || domain === 'ai.onnx' ? ONNX_OPS[node.op_type ?? ''] : undefined;
    const operands = (node.input ?? []).map((name) => {
      if (name === '') return undefined;
      const v = env.get(name);
      if (!v)
        throw new OnnxModelError(
          `node '${node.name || node.op_type}' reads '${name}', which no earlier node or input defines`,
        );
      return v;
    });
    const ctx = new NodeContext(e, node, opset, operands);
    if (!mapping || hasSubgraph(node.attribute))
      throw new OnnxUnsupportedOpError(ctx.opType, ctx.nodeName, opset, domain);
    const result = mapping(ctx);
    const outs = Array.isArray(result) ? result : [result];
    (node.output ?? []).forEach((name, i) => {
      const v = outs[i];
      if (name === '' || !v) return;
      v.name ??= name;
      env.set(name, v);
    });
  }

  const outputs: OnnxValueInfo[] = [];
  const outVals = (g.output ?? []).map((info) => {
    const name = info.name ?? '';
    const v = env.get(name);
    if (!v) throw new OnnxModelError(`graph output '${name}' is not produced by any node`);
    if (v.sequence)
      throw new OnnxModelError(`graph output '${name}' is a sequence; only tensor outputs are supported`);
    outputs.push({ name, onnxType: info.type?.tensor_type?.elem_type ?? ONNX_TYPE.FLOAT, type: v.type });
    return v;
  });
  return { graph: e.build(outVals), inputs, outputs, opset };
}

const hasSubgraph = (attrs: AttributeMessage[] | undefined): boolean =>
  (attrs ?? []).some((a) => a.g !== undefined && a.g !== null);
