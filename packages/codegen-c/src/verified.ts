import { checkProgramShape, type KernelProgram, verifyProgram } from '@paradox/ir';

/**
 * The check at every C-family render entry point: renderers trust what `verifyProgram` proves
 * (structure, references, dtypes, every index in range), so a program that did not come through a
 * backend's `checkProgram` (`verified` false) is verified here, and a malformed one is a VerifyError
 * naming the kernel and expr.
 */
export function verifyForRender(program: unknown, verified = false): asserts program is KernelProgram {
  if (verified) return;
  checkProgramShape(program);
  verifyProgram(program);
}
