import { MalformedProgramError } from '@paradox/backend';
import { type BufferDecl, BYTES_PER_ELEMENT, type KernelProgram } from '@paradox/ir';

/**
 * Where each buffer of a program lives in an emulated run, and the byte order of the stdin and
 * stdout streams: stdin carries the inputs (program.inputs order) then the constants (buffer
 * order); stdout carries the outputs (program.outputs order).
 */
export interface EmulatedLayout {
  /** Buffers read from stdin, in order. */
  stdin: BufferDecl[];
  /** Buffers written to stdout, in order. */
  stdout: BufferDecl[];
  /** Byte size of each buffer. */
  bytes(decl: BufferDecl): number;
}

export function emulatedLayout(program: KernelProgram): EmulatedLayout {
  const decls = new Map(program.buffers.map((b) => [b.id, b]));
  const get = (id: number, role: string): BufferDecl => {
    const decl = decls.get(id);
    if (!decl) throw new MalformedProgramError(`${role} names undeclared buffer ${id}`);
    return decl;
  };
  return {
    stdin: [
      ...program.inputs.map((id) => get(id, 'program input')),
      ...program.buffers.filter((b) => b.kind === 'const'),
    ],
    stdout: program.outputs.map((id) => get(id, 'program output')),
    bytes: (decl) => bufferBytes(decl),
  };
}

export function bufferBytes(decl: BufferDecl): number {
  const per = BYTES_PER_ELEMENT[decl.dtype];
  if (per === undefined)
    throw new MalformedProgramError(`buffer ${decl.id} has unknown dtype '${String(decl.dtype)}'`);
  if (!Number.isSafeInteger(decl.size) || decl.size < 0)
    throw new MalformedProgramError(`buffer ${decl.id} has invalid size`);
  return decl.size * per;
}
