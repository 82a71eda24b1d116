import { type Attrs, GraphBuilder, type OpName, type TensorType, type ValueId } from '@paradox/ir';
import { formatCallSite, userCallSite } from './call-site.js';
import { tracerConfig } from './config.js';
import { describeType, EscapedTracerError } from './errors.js';
import type { OpExecutor } from './executor.js';
import type { Tensor } from './tensor.js';
import { TracerTensor } from './tracer-tensor.js';

/** A closed-over eager tensor captured as a graph constant. */
export interface CapturedConstant {
  id: ValueId;
  tensor: Tensor;
}

/**
 * One trace in progress: the OpExecutor that records ops as graph nodes (with the user's call site,
 * unless `locations` is false) instead of running them. Eager tensors met along the way become
 * constants, once each.
 */
export class TraceContext implements OpExecutor {
  readonly builder: GraphBuilder;
  readonly constants: CapturedConstant[] = [];
  private readonly captured = new Map<Tensor, ValueId>();

  /**
   * `locations`: whether nodes record the user's call site. A stack capture per op is most of what
   * tracing costs (a few microseconds each), so the jit traces without them and traces again with
   * them only when something (an error, inspect) shows them.
   */
  constructor(
    name: string,
    readonly locations = true,
  ) {
    this.builder = new GraphBuilder(name);
  }

  addInput(name: string, type: TensorType): TracerTensor {
    return new TracerTensor(this.builder.typeOf(this.builder.input(name, type)), this, name);
  }

  execute(op: OpName, inputs: readonly Tensor[], attrs: Attrs): TracerTensor {
    const ids = inputs.map((t) => this.valueIdOf(t));
    const source = this.locations ? userCallSite() : undefined;
    const id = this.builder.op(op, ids, attrs, source);
    return new TracerTensor(this.builder.typeOf(id), this, id, source);
  }

  /** The graph value for a tensor: a tracer's own id, or a constant capturing an eager tensor. */
  valueIdOf(t: Tensor): ValueId {
    const owner = t.traceContext;
    if (owner === this) return (t as TracerTensor).id;
    if (owner) throw new EscapedTracerError(t.type, 'in a trace other than the one that created it');
    return this.captured.get(t) ?? this.capture(t);
  }

  private capture(t: Tensor): ValueId {
    const data = t.readSync('capturing a closed-over tensor as a trace constant');
    const id = this.builder.constant(data, [...t.shape], t.dtype);
    this.captured.set(t, id);
    this.constants.push({ id, tensor: t });
    const limit = tracerConfig().constantWarningElements;
    if (t.size > limit) {
      const site = userCallSite();
      console.warn(
        `paradox trace: a closed-over tensor ${describeType(t.type)} (${t.size} elements) is baked into the graph as ` +
          `constant %${id}${site ? ` (used at ${formatCallSite(site)})` : ''}. Pass it as an argument so it is not ` +
          `copied into every compiled program (threshold: configureTracer({ constantWarningElements }), now ${limit}).`,
      );
    }
    return id;
  }
}
