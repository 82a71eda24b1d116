import type { BufferDecl, KernelProgram } from '@paradox/ir';
import { BufferMismatchError } from './errors.js';
import { asHostBuffer, type HostBuffer } from './host-buffer.js';
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
  const decls = inputDecls(program);
  program.inputs.forEach((id, i) => {
    const decl = decls[i];
    const given = inputs[i]!;
    if (!decl) throw new BufferMismatchError(`${backend}: program input ${i} names unknown buffer ${id}`);
    if (given.dtype !== decl.dtype || given.size !== decl.size) {
      throw new BufferMismatchError(
        `${backend}: input ${i} should be ${decl.dtype} x ${decl.size}, got ${given.dtype} x ${given.size}`,
      );
    }
  });
}

/**
 * The host buffer handed over for output `index` (see Executable.run's `reuse`), checked against the
 * output's declaration, or undefined when none was given. A buffer of another backend, dtype or size
 * is a BufferMismatchError naming the output: a caller bug, never silently ignored.
 */
export function reusedHostOutput(
  reuse: readonly (DeviceBuffer | undefined)[] | undefined,
  index: number,
  decl: { dtype: string; size: number },
  backend: string,
): HostBuffer | undefined {
  const given = reuse?.[index];
  if (given === undefined) return undefined;
  const host = asHostBuffer(given, backend);
  if (host.dtype !== decl.dtype || host.size !== decl.size) {
    throw new BufferMismatchError(
      `${backend}: buffer reused for output ${index} is ${host.dtype} x ${host.size}, the output is ${decl.dtype} x ${decl.size}`,
    );
  }
  return host;
}

/** Declarations of a program's inputs, in order (programs are immutable once compiled: found once). */
const declsOf = new WeakMap<KernelProgram, (BufferDecl | undefined)[]>();
function inputDecls(program: KernelProgram): (BufferDecl | undefined)[] {
  let decls = declsOf.get(program);
  if (!decls) {
    const byId = new Map(program.buffers.map((b) => [b.id, b]));
    decls = program.inputs.map((id) => byId.get(id));
    declsOf.set(program, decls);
  }
  return decls;
}
