import { BYTES_PER_ELEMENT } from '../dtype.js';
import { VerifyError } from '../errors.js';
import type { BufferDecl, KernelProgram } from '../kernel.js';
import { verifyProgramLiterals } from '../literal.js';
import { numel } from '../shape.js';
import { checkProgramShape } from './program-shape.js';
import { verifyKernel } from './verify-kernel.js';

const KERNEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a kernel program: buffer declarations and references, dtypes of loads/stores/operands, expr
 * references in topological order, loop indices within the domain/reduction rank, reduce exprs only in
 * reduction kernels and not nested, and phases (no reduction-dependent value stored per domain point).
 * Every load and store index is proven inside its buffer (see accessRange). Total over arbitrary
 * values (checkProgramShape runs first, unless `structureChecked` says the caller just ran it on this
 * very object). Throws VerifyError naming the kernel and expr, with the kernel's printed lines around it.
 */
export function verifyProgram(
  program: unknown,
  options: { structureChecked?: boolean } = {},
): asserts program is KernelProgram {
  if (!options.structureChecked) checkProgramShape(program);
  verifyStructured(program as KernelProgram);
}

function verifyStructured(program: KernelProgram): void {
  const buffers = new Map<number, BufferDecl>();
  for (const b of program.buffers) {
    const where = `buffer b${b.id}`;
    if (buffers.has(b.id)) throw new VerifyError('declared twice', where);
    buffers.set(b.id, b);
    if (b.kind === 'const') {
      const data = b.constant === undefined ? undefined : program.constants[b.constant];
      if (!data) throw new VerifyError(`constant ${b.constant} does not exist`, where);
      if (data.length !== b.size)
        throw new VerifyError(`constant has ${data.length} elements, buffer size is ${b.size}`, where);
    }
    if (b.kind === 'temp' && b.slot !== undefined) {
      const slot = program.slots.find((s) => s.id === b.slot);
      if (!slot) throw new VerifyError(`slot ${b.slot} does not exist`, where);
      if (slot.bytes < b.size * BYTES_PER_ELEMENT[b.dtype])
        throw new VerifyError(
          `slot ${b.slot} has ${slot.bytes} bytes, needs ${b.size * BYTES_PER_ELEMENT[b.dtype]}`,
          where,
        );
    }
  }
  const checkBinding = (list: number[], shapes: number[][], kind: BufferDecl['kind'], what: string) => {
    if (shapes.length !== list.length)
      throw new VerifyError(`${list.length} ${what} buffers but ${shapes.length} shapes`, 'program');
    list.forEach((id, i) => {
      const b = buffers.get(id);
      if (!b) throw new VerifyError(`${what} ${i} names missing buffer b${id}`, 'program');
      if (b.kind !== kind)
        throw new VerifyError(`${what} ${i} (b${id}) has kind '${b.kind}', expected '${kind}'`, 'program');
      if (numel(shapes[i]!) !== b.size)
        throw new VerifyError(
          `${what} ${i} shape [${shapes[i]!.join(',')}] does not match b${id} size ${b.size}`,
          'program',
        );
    });
  };
  checkBinding(program.inputs, program.inputShapes, 'input', 'input');
  checkBinding(program.outputs, program.outputShapes, 'output', 'output');
  const names = new Set<string>();
  for (const k of program.kernels) {
    // Compiler-made names (k0, k1, ...): never from user IR, and never printed into generated code.
    if (!KERNEL_NAME.test(k.name) || names.has(k.name))
      throw new VerifyError(
        'kernel names must be unique identifiers',
        `kernel ${JSON.stringify(k.name.slice(0, 40))}`,
      );
    names.add(k.name);
    verifyKernel(k, buffers);
  }
  verifyProgramLiterals(program);
}
