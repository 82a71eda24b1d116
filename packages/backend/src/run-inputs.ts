import type { KernelProgram } from '@paradox/ir';
import { BufferMismatchError } from './errors.js';
import type { DeviceBuffer } from './types.js';

/** Checks run() inputs against the program: count, then each buffer's dtype and size. Names the offender. */
export function checkRunInputs(
  program: KernelProgram,
  inputs: readonly DeviceBuffer[],
  backend: string,
): void {
  if (inputs.length !== program.inputs.length) {
    throw new BufferMismatchError(
      `${backend}: program expects ${program.inputs.length} input(s), got ${inputs.length}`,
    );
  }
  const decls = new Map(program.buffers.map((b) => [b.id, b]));
  program.inputs.forEach((id, i) => {
    const decl = decls.get(id);
    const given = inputs[i]!;
    if (!decl) throw new BufferMismatchError(`${backend}: program input ${i} names unknown buffer ${id}`);
    if (given.dtype !== decl.dtype || given.size !== decl.size) {
      throw new BufferMismatchError(
        `${backend}: input ${i} should be ${decl.dtype} x ${decl.size}, got ${given.dtype} x ${given.size}`,
      );
    }
  });
}
