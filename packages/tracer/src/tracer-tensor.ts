import type { SourceLoc, TensorType, ValueId } from '@paradox/ir';
import { formatCallSite, userCallSite } from './call-site.js';
import { describeType, TracerConversionError, UntraceableOpError } from './errors.js';
import type { NestedArray } from './host-data.js';
import { markTensorClasses } from './own-frames.js';
import { Tensor } from './tensor.js';
import type { TraceContext } from './trace-context.js';

/**
 * A tensor during tracing: a typed SSA value of the trace's graph, with no data. It has every op
 * method of Tensor (they record nodes); reading data or converting to a JS value is an error, because
 * the value exists only when the compiled graph runs.
 */
export class TracerTensor extends Tensor {
  constructor(
    type: TensorType,
    readonly trace: TraceContext,
    /** The graph value this tracer stands for. */
    readonly id: ValueId,
    /** Where the user's code made it: its node's source (none for inputs). */
    readonly source?: SourceLoc,
  ) {
    super(type, null);
  }

  override get traceContext(): TraceContext {
    return this.trace;
  }

  override data(): Promise<never> {
    return Promise.reject(new UntraceableOpError('data()', this.type));
  }
  override dataSync(): never {
    throw new UntraceableOpError('dataSync()', this.type);
  }
  override toArray(): NestedArray {
    throw new UntraceableOpError('toArray()', this.type);
  }
  override readSync(operation: string): never {
    throw new UntraceableOpError(operation, this.type);
  }
  /** Nothing to free: a tracer owns no storage. */
  override dispose(): void {}

  override toString(): string {
    return `TracerTensor(%${this.id}: ${describeType(this.type)})`;
  }

  override [Symbol.toPrimitive](hint: string): never {
    const site = userCallSite();
    throw new TracerConversionError(this.type, hint, site ? formatCallSite(site) : undefined);
  }
}

// In a bundle shared with user code, frames of these classes' methods are Paradox's (own-frames.ts).
markTensorClasses(Tensor, TracerTensor);
