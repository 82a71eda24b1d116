import {
  type Attrs,
  canonicalAttrs,
  type DType,
  evaluateNode,
  type Graph,
  GraphBuilder,
  inferNodeType,
  numel,
  type TensorType,
  type ValueId,
} from '@paradox/ir';
import { narrowValues } from './dtypes.js';
import { OnnxModelError, OnnxStaticValueError } from './errors.js';

/**
 * One ONNX value during import: a graph value (`id`), or values known at import (`known`, doubles,
 * exact for int64 up to 2^53) that become a graph constant only when a graph node reads them. Shape
 * arithmetic (Shape -> Gather -> Concat -> Reshape) therefore folds at import and never reaches the graph.
 */
export interface Val {
  type: TensorType;
  id?: ValueId;
  known?: ArrayLike<number>;
  /** The graph input this value is, so a missing static value can name it. */
  input?: string;
  /** ONNX's name for the value (errors only; never in generated code). */
  name?: string;
  /** The ONNX element type where the importer knows it (inputs, initializers, Constant, Cast): int8 vs uint8 ranges. */
  onnxType?: number;
  /** A sequence value (SequenceConstruct, SplitToSequence): its tensors, known at import. */
  sequence?: Val[];
}

/**
 * Results up to this many elements fold at import when every operand is known: enough for every
 * shape computation, small enough that a broadcast or a big weight transform stays a graph op
 * instead of becoming a large constant.
 */
const FOLD_LIMIT = 4096;

/** Builds the graph, folding ops whose operands are all known (with the reference interpreter's own rules). */
export class Emitter {
  readonly builder: GraphBuilder;

  constructor(name: string) {
    this.builder = new GraphBuilder(name);
  }

  input(id: ValueId, type: TensorType, name: string): Val {
    this.builder.input(id, type);
    return { type, id, input: name, name };
  }

  constant(values: ArrayLike<number>, shape: number[], dtype: DType, name?: string): Val {
    return { type: { dtype, shape: [...shape] }, known: values, ...(name !== undefined ? { name } : {}) };
  }

  scalar(value: number, dtype: DType): Val {
    return this.constant([value], [], dtype);
  }

  /** The graph value for `v`, adding a constant for a known value on first use (int32 checked, never wrapped). */
  materialize(v: Val): ValueId {
    if (v.id !== undefined) return v.id;
    if (v.sequence) throw new OnnxModelError(`sequence '${v.name ?? ''}' used where a tensor is expected`);
    const data = narrowValues(v.known!, v.type.dtype, `value '${v.name ?? 'constant'}'`);
    v.id = this.builder.constant(data, v.type.shape, v.type.dtype);
    return v.id;
  }

  op(op: string, inputs: Val[], attrs: Attrs = {}): Val {
    const inTypes = inputs.map((v) => v.type);
    const type = inferNodeType(op, inTypes, attrs);
    // Creation ops (iota, full) have no operands to know: they stay graph ops.
    const foldable = inputs.length > 0 && inputs.every((v) => v.known !== undefined);
    if (foldable && numel(type.shape) <= FOLD_LIMIT) {
      const operands = inputs.map((v) => ({
        dtype: v.type.dtype,
        shape: v.type.shape,
        data: narrowValues(v.known!, v.type.dtype, `value '${v.name ?? 'constant'}'`),
      }));
      const out = evaluateNode({ op, attrs: canonicalAttrs(op, inTypes, attrs), type }, operands);
      return { type, known: Array.from(out.data) };
    }
    const id = this.builder.op(
      op,
      inputs.map((v) => this.materialize(v)),
      attrs,
    );
    return { type: this.builder.typeOf(id), id };
  }

  /** Values that must be known at import (a shape, axes, slice bounds). */
  known(v: Val, what: string): number[] {
    if (v.known !== undefined) return Array.from(v.known);
    throw new OnnxStaticValueError(
      `${what} must be known when the model is imported (Paradox compiles static shapes)` +
        (v.input !== undefined ? `: it is graph input '${v.input}', bind it with staticInputs` : ''),
      v.input,
    );
  }

  build(outputs: Val[]): Graph {
    const fixed = new Set([...this.builder.build().inputs.map((i) => i.id)]);
    for (const v of outputs) {
      let id = this.materialize(v);
      // A graph output is a node's result: an input or constant passed through gets an explicit copy.
      if (fixed.has(id) || v.known !== undefined)
        id = this.builder.op('reshape', [id], { shape: v.type.shape });
      this.builder.output(id);
    }
    return this.builder.build();
  }
}
