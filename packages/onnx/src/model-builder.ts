import { ONNX_TYPE } from './dtypes.js';
import { OnnxModelError } from './errors.js';
import { onnxMessage } from './proto.js';

const ONNX_FLOAT = ONNX_TYPE.FLOAT;
/** AttributeProto.AttributeType values. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** ONNX IR version 8 with opset 17 (LayerNormalization needs 17); onnxruntime 1.2x reads both. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

export type OnnxAttrValue = number | number[] | { float: number };

interface Node {
  op_type: string;
  input: string[];
  output: string[];
  name: string;
  attribute: object[];
}

/**
 * Builds a float32 ONNX model in code (the bench's models for onnxruntime, the playground's gallery,
 * models to hand to other runtimes). Graph inputs and outputs have static shapes; constants become
 * initializers (raw little-endian bytes). `build()` gives ModelProto bytes `loadOnnx` reads.
 */
export class OnnxModelBuilder {
  private readonly nodes: Node[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private counter = 0;

  constructor(readonly name = 'model') {}

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
      throw new OnnxModelError(`constant ${name}: ${data.length} values for shape [${dims.join(',')}]`);
    this.initializers.push({
      name,
      dims,
      data_type: ONNX_FLOAT,
      raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(),
    });
    return name;
  }

  /** Appends a node; returns its (single) output name. */
  op(
    opType: string,
    inputs: string[],
    attrs: Record<string, OnnxAttrValue> = {},
    out = this.fresh(),
  ): string {
    this.nodes.push({
      op_type: opType,
      input: inputs,
      output: [out],
      name: `n${this.nodes.length}_${opType}`,
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
    });
    return out;
  }

  /** Serialized ModelProto bytes (for loadOnnx, onnxruntime's InferenceSession.create, ...). */
  build(): Uint8Array {
    const Model = onnxMessage('ModelProto');
    const model = {
      ir_version: ONNX_IR_VERSION,
      producer_name: 'paradox',
      producer_version: '1',
      opset_import: [{ domain: '', version: ONNX_OPSET }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    const err = Model.verify(model);
    if (err) throw new OnnxModelError(`model ${this.name}: ${err}`);
    return Model.encode(Model.fromObject(model)).finish();
  }
}

function valueInfo(name: string, shape: readonly number[]): object {
  return {
    name,
    type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim: shape.map((d) => ({ dim_value: d })) } } },
  };
}

function attribute(name: string, v: OnnxAttrValue): object {
  if (Array.isArray(v)) return { name, type: ATTR_INTS, ints: v };
  if (typeof v === 'object') return { name, type: ATTR_FLOAT, f: v.float };
  if (!Number.isInteger(v))
    throw new OnnxModelError(`attribute ${name}: ${v} is not an integer; wrap floats as { float }`);
  return { name, type: ATTR_INT, i: v };
}

/** Decodes model bytes back to a plain object (tests, debugging). */
export function decodeOnnxModel(bytes: Uint8Array): Record<string, any> {
  const Model = onnxMessage('ModelProto');
  return Model.toObject(Model.decode(bytes), { longs: Number, bytes: Array, defaults: false }) as Record<
    string,
    any
  >;
}
