import { DTYPE_SHORT, type TensorType } from '@paradox/ir';

/** Every failure the tracer reports is one of these, so callers can branch on `instanceof`. */
export class TracerError extends Error {
  override name = 'TracerError';
}

export const describeType = (t: TensorType): string => `${DTYPE_SHORT[t.dtype]}[${t.shape.join(',')}]`;

/**
 * A traced value reached JS control flow or a JS primitive (`t > 0`, `Number(t)`, `${t}`).
 * During tracing a tensor has a type but no value, so JS cannot branch on it.
 */
export class TracerConversionError extends TracerError {
  override name = 'TracerConversionError';
  constructor(
    readonly type: TensorType,
    readonly hint: string,
    readonly site?: string,
  ) {
    super(
      `cannot convert a traced tensor ${describeType(type)} to a JS ${hint === 'string' ? 'string' : 'number/boolean'}` +
        `${site ? ` (at ${site})` : ''}. While tracing, a tensor has a shape and dtype but no value: its value exists only ` +
        'when the compiled graph runs, so JS control flow (`if`, `?:`, comparisons with `<`/`>`, `Number(t)`, template ' +
        'strings) cannot depend on it. Express the choice with tensor ops instead, e.g. ' +
        '`where(cond, a, b)` (or `cond.where(a, b)`) with `cond = t.gt(0)`; pass values that should steer JS control ' +
        'flow as non-tensor (static) arguments.',
    );
  }
}

/** An operation the tracer cannot record into a graph (reading data during tracing...). jit falls back to eager. */
export class UntraceableOpError extends TracerError {
  override name = 'UntraceableOpError';
  constructor(
    readonly operation: string,
    readonly type: TensorType,
  ) {
    super(
      `${operation} cannot be traced: a traced tensor ${describeType(type)} has no data while tracing. ` +
        'Return the tensor from the traced function and read it after the call.',
    );
  }
}

/** A tracer was used outside the trace that created it (stored in a variable and used later, or in a nested trace). */
export class EscapedTracerError extends TracerError {
  override name = 'EscapedTracerError';
  constructor(type: TensorType, why: string) {
    super(
      `a traced tensor ${describeType(type)} was used ${why}. Pass tensors into traced functions as arguments and return results instead of storing tracers.`,
    );
  }
}

/** The tensor was disposed (explicitly or by the end of a `using` block) and then used. */
export class TensorDisposedError extends TracerError {
  override name = 'TensorDisposedError';
  constructor(type: TensorType, operation: string) {
    super(`${operation}: tensor ${describeType(type)} was already disposed`);
  }
}

/**
 * The tensor's values were taken by `dataSync({ transfer: true })` or `data({ transfer: true })`,
 * which disposes it (its memory may be the array that call returned). A TensorDisposedError.
 */
export class TensorTransferredError extends TensorDisposedError {
  override name = 'TensorTransferredError';
  constructor(type: TensorType, operation: string) {
    super(type, operation);
    this.message =
      `${operation}: tensor ${describeType(type)} was disposed by a transfer (dataSync({ transfer: true }) or ` +
      'data({ transfer: true })); use the array that call returned';
  }
}

/** The tensor's memory was donated to a compiled call (`jit(f, { donate })`), which may have overwritten it. */
export class TensorDonatedError extends TracerError {
  override name = 'TensorDonatedError';
  constructor(
    type: TensorType,
    operation: string,
    readonly donatedTo: string,
  ) {
    super(
      `${operation}: tensor ${describeType(type)} was donated to ${donatedTo} and is invalid now (its memory may hold ` +
        "the call's results); use the values that call returned instead",
    );
  }
}

/** Input data given to tensor()/creation functions is malformed (ragged, wrong size, bad dtype). */
export class TensorDataError extends TracerError {
  override name = 'TensorDataError';
}

/** A method argument is invalid (axes, slice spec, seed...). Names the method and the argument. */
export class TensorArgumentError extends TracerError {
  override name = 'TensorArgumentError';
  constructor(method: string, reason: string) {
    super(`${method}: ${reason}`);
  }
}

/** Eager execution has nowhere to run: no backend registered, or sync data access on an async backend. */
export class EagerExecutionError extends TracerError {
  override name = 'EagerExecutionError';
}

/** A traced function's arguments or results are not tensors/pytrees of tensors where tensors are required. */
export class PytreeError extends TracerError {
  override name = 'PytreeError';
}
