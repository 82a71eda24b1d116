import type { KernelProgram, TensorType } from '@paradox/ir';
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

/** The layout of `program` for a call (traced, or loaded from an export); output types come from the program. */
export function programLayout(
  program: KernelProgram,
  call: Pick<ProgramLayout, 'signature' | 'outputTree' | 'inputLeaves'>,
): ProgramLayout {
  const decls = new Map(program.buffers.map((b) => [b.id, b]));
  return {
    signature: call.signature,
    outputTree: call.outputTree,
    inputLeaves: call.inputLeaves,
    // Frozen once: every output tensor of every call shares its shape array (see TensorOps).
    outputTypes: program.outputs.map((id, i) => ({
      dtype: decls.get(id)!.dtype,
      shape: Object.freeze([...program.outputShapes[i]!]) as number[],
    })),
  };
}
