import type { Graph, TensorType, TypedArray } from '@paradox/ir';
import type { TensorStorage } from '../storage.js';
import type { Tensor } from '../tensor.js';
import { backendExecutor } from './backend-executor.js';
import { interpreterExecutor } from './interpreter-executor.js';
import { getEagerLowering } from './lowering.js';

/** One op as a one-node graph; `key` names its signature (op, attrs, input types) for executable caches. */
export interface OpProgram {
  readonly key: string;
  readonly graph: Graph;
  readonly type: TensorType;
}

/**
 * Runs eager ops. Swap it with setEagerExecutor. The default is the backend path once a lowering is
 * injected (importing @paradox/jit does it), the reference interpreter before.
 */
export interface EagerExecutor {
  readonly name: string;
  /** Places host data where this executor's programs read it (the storage may keep `data` itself). */
  fromHost(data: TypedArray, type: TensorType): TensorStorage;
  /**
   * Optional: places data the caller keeps and may change later, copying it once (tensor() of a
   * typed array). Without it, tensor() copies the array first and calls fromHost.
   */
  fromCallerData?(data: TypedArray, type: TensorType): TensorStorage;
  /** Runs a one-op program over `inputs` (in graph-input order); returns the result's storage. */
  run(program: OpProgram, inputs: readonly Tensor[]): TensorStorage;
}

let selected: EagerExecutor | undefined;

export const getEagerExecutor = (): EagerExecutor =>
  selected ?? (getEagerLowering() ? backendExecutor : interpreterExecutor);

/** Selects how eager ops run; returns the previous executor so callers can restore it. */
export function setEagerExecutor(executor: EagerExecutor): EagerExecutor {
  const previous = getEagerExecutor();
  selected = executor;
  return previous;
}
