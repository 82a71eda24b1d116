import type { CompiledGraph, CompileOptions } from '@paradox/jit';
import { jitGraph } from '@paradox/jit';
import { Tensor, tensor } from '@paradox/tracer';
import { narrowValues } from './dtypes.js';
import { OnnxInputError } from './errors.js';
import { type LoadOnnxOptions, loadOnnx, type OnnxModel } from './import.js';

/** Host data for one input: values (BigInt64Array for int64 data is fine) and ONNX dims. */
export interface OnnxInputData {
  data: ArrayLike<number> | BigInt64Array;
  dims: readonly number[];
}

export interface OnnxSessionOptions extends LoadOnnxOptions, Pick<CompileOptions, 'pipeline' | 'verify'> {
  /** Registered backend name ('js', 'c', 'wasm', 'wgsl', ...) or tiers, as for jit. */
  backend?: CompileOptions['backend'];
}

/** A model compiled once for its static shapes; `run` takes and returns tensors by ONNX name. */
export class OnnxSession {
  constructor(
    readonly model: OnnxModel,
    readonly compiled: CompiledGraph,
  ) {}

  get inputNames(): string[] {
    return this.model.inputs.map((i) => i.name);
  }

  get outputNames(): string[] {
    return this.model.outputs.map((o) => o.name);
  }

  async run(inputs: Record<string, Tensor | OnnxInputData>): Promise<Record<string, Tensor>> {
    const known = new Set(this.inputNames);
    const extra = Object.keys(inputs).filter((k) => !known.has(k));
    if (extra.length > 0)
      throw new OnnxInputError(
        `unknown input(s) ${extra.map((k) => `'${k}'`).join(', ')}; the model takes ${this.inputNames.join(', ')}`,
      );
    const args = this.model.inputs.map((info) => {
      const given = inputs[info.name];
      if (given === undefined) throw new OnnxInputError(`missing input '${info.name}'`);
      const { dtype, shape } = info.type;
      if (given instanceof Tensor) {
        if (given.dtype !== dtype || given.shape.join(',') !== shape.join(',')) {
          throw new OnnxInputError(
            `input '${info.name}' is ${given.dtype}[${given.shape}], the model wants ${dtype}[${shape}]`,
          );
        }
        return given;
      }
      if (given.dims.join(',') !== shape.join(',')) {
        throw new OnnxInputError(`input '${info.name}' has dims [${given.dims}], the model wants [${shape}]`);
      }
      const values = given.data instanceof BigInt64Array ? Array.from(given.data, Number) : given.data;
      return tensor(narrowValues(values, dtype, `input '${info.name}'`), [...shape], dtype);
    });
    await this.compiled.whenCompiled();
    const result = this.compiled.run(...args) as Tensor | Tensor[];
    const outs = this.model.outputs.length === 1 ? [result as Tensor] : (result as Tensor[]);
    return Object.fromEntries(this.model.outputs.map((o, i) => [o.name, outs[i]!]));
  }
}

/** Imports a model and compiles it with jit's pipeline: `await onnxSession(bytes, { backend: 'js' }).run({ x })`. */
export function onnxSession(bytes: Uint8Array, options: OnnxSessionOptions = {}): OnnxSession {
  const { backend, pipeline, verify, ...load } = options;
  const model = loadOnnx(bytes, load);
  const compiled = jitGraph(model.graph, {
    ...(backend !== undefined ? { backend } : {}),
    ...(pipeline !== undefined ? { pipeline } : {}),
    ...(verify !== undefined ? { verify } : {}),
  });
  return new OnnxSession(model, compiled);
}
