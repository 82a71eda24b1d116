import type { TensorType } from '@paradox/ir';
import type { TreeDef } from '@paradox/tracer';
import type { CallSignature } from './signature.js';

/** How a compiled program meets its callers: which tensors feed which inputs, and how outputs are returned. */
export interface ProgramLayout {
  /** The signature the program was compiled for. */
  readonly signature: CallSignature;
  readonly outputTree: TreeDef;
  /** Program input k reads tensor leaf `inputLeaves[k]` of the call. */
  readonly inputLeaves: readonly number[];
  readonly outputTypes: readonly TensorType[];
}
