import { ATTR_FLOAT, ATTR_INT, ATTR_INTS, ONNX_FLOAT, onnxRoot } from './proto.js';

/** ONNX IR version 8 with opset 17 (LayerNormalization needs 17); onnxruntime 1.2x reads both. */
export const IR_VERSION = 8;
export const OPSET = 17;

export type AttrValue = number | number[] | { float: number };

interface Node {
  op_type: string;
  input: string[];
  output: string[];
  name: string;
  attribute: object[];
}

/**
 * Builds a float32 ONNX model in code. Graph inputs and outputs have static shapes;
 * constants become initializers (raw little-endian bytes).
 */
export class OnnxGraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private counter = 0;

  constructor(readonly name = 'bench') {}

  /** A fresh value name. */
  fresh(prefix = 'v'): string {
    return `${prefix}${this.counter++}`;
  }

  input(name: string, shape: readonly number[]): string {
    this.inputs.push(valueInfo(name, shape));
    return name;
  }

  output(name: string, shape: readonly number[]): string {
    this.outputs.push(valueInfo(name, shape));
    return name;
  }

  /** A float32 initializer; a plain number makes a rank-0 scalar. */
  constant(values: Float32Array | number, shape?: readonly number[], name = this.fresh('c')): string {
    const data = typeof values === 'number' ? new Float32Array([values]) : values;
    const dims = shape ?? (typeof values === 'number' ? [] : [data.length]);
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length)
      throw new Error(`constant ${name}: ${data.length} values for shape [${dims.join(',')}]`);
    this.initializers.push({
      name,
      dims,
      data_type: ONNX_FLOAT,
      raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(),
    });
    return name;
  }

  /** Appends a node; returns its (single) output name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, out = this.fresh()): string {
    this.nodes.push({
      op_type: opType,
      input: inputs,
      output: [out],
      name: `n${this.nodes.length}_${opType}`,
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
    });
    return out;
  }

  /** Serialized ModelProto bytes, ready for InferenceSession.create. */
  build(): Uint8Array {
    const Model = onnxRoot().lookupType('onnx.ModelProto');
    const model = {
      ir_version: IR_VERSION,
      producer_name: 'paradox-bench',
      producer_version: '1',
      opset_import: [{ domain: '', version: OPSET }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    const err = Model.verify(model);
    if (err) throw new Error(`onnx model: ${err}`);
    return Model.encode(Model.fromObject(model)).finish();
  }
}

function valueInfo(name: string, shape: readonly number[]): object {
  return {
    name,
    type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim: shape.map((d) => ({ dim_value: d })) } } },
  };
}

function attribute(name: string, v: AttrValue): object {
  if (Array.isArray(v)) return { name, type: ATTR_INTS, ints: v };
  if (typeof v === 'object') return { name, type: ATTR_FLOAT, f: v.float };
  if (!Number.isInteger(v))
    throw new Error(`attribute ${name}: ${v} is not an integer; wrap floats as { float }`);
  return { name, type: ATTR_INT, i: v };
}

/** Decodes model bytes back to a plain object (tests, debugging). */
export function decodeModel(bytes: Uint8Array): Record<string, any> {
  const Model = onnxRoot().lookupType('onnx.ModelProto');
  return Model.toObject(Model.decode(bytes), { longs: Number, bytes: Array, defaults: false }) as Record<
    string,
    any
  >;
}
