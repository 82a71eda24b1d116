import type { BufferDecl, KernelProgram } from '@paradox/ir';
import { BufferMismatchError } from './errors.js';
import { asHostBuffer, type HostBuffer } from './host-buffer.js';
import type { DeviceBuffer } from './types.js';

/** Checks a run's inputs (see runInputCheck); throws BufferMismatchError naming the offender. */
export type RunInputCheck = (inputs: readonly DeviceBuffer[]) => void;

/**
 * The check of run() inputs against `program`, prepared once per executable: count, then each
 * buffer's dtype and size. A warm call does a few comparisons per input and allocates nothing.
 */
export function runInputCheck(program: KernelProgram, backend: string): RunInputCheck {
  const decls = inputDecls(program);
  const count = decls.length;
  const dtypes = decls.map((d) => d?.dtype);
  const sizes = decls.map((d) => d?.size);
  const mismatch = (inputs: readonly DeviceBuffer[]): never => {
    if (inputs.length !== count) {
      throw new BufferMismatchError(`${backend}: program expects ${count} input(s), got ${inputs.length}`);
    }
    for (let i = 0; i < count; i++) {
      const decl = decls[i];
      const given = inputs[i]!;
      if (!decl)
        throw new BufferMismatchError(
          `${backend}: program input ${i} names unknown buffer ${program.inputs[i]}`,
        );
      if (given?.dtype !== decl.dtype || given.size !== decl.size) {
        throw new BufferMismatchError(
          `${backend}: input ${i} should be ${decl.dtype} x ${decl.size}, got ${given?.dtype} x ${given?.size}`,
        );
      }
    }
    throw new BufferMismatchError(`${backend}: inputs do not match the program`);
  };
  return (inputs) => {
    if (inputs.length !== count) mismatch(inputs);
    for (let i = 0; i < count; i++) {
      const given = inputs[i];
      if (given === undefined || given.dtype !== dtypes[i] || given.size !== sizes[i]) mismatch(inputs);
    }
  };
}

/** Checks run() inputs against the program: count, then each buffer's dtype and size. Names the offender. */
export function checkRunInputs(
  program: KernelProgram,
  inputs: readonly DeviceBuffer[],
  backend: string,
): void {
  let cached = checksOf.get(program);
  if (cached?.backend !== backend) {
    cached = { backend, check: runInputCheck(program, backend) };
    checksOf.set(program, cached);
  }
  cached.check(inputs);
}

const checksOf = new WeakMap<KernelProgram, { backend: string; check: RunInputCheck }>();

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
