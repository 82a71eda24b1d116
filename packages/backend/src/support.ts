import {
  BINARY_OPS,
  BUILTIN_OP_TABLE,
  checkProgramShape,
  type Kernel,
  type KernelProgram,
  type ScalarExpr,
  UNARY_OPS,
  verifyProgram,
} from '@paradox/ir';
import { KernelLimitError, UnsupportedDtypeError, UnsupportedOpError } from './errors.js';
import type { Backend } from './types.js';

/**
 * The graph ops every kernel expresses structurally, read from the registry's traits: reductions,
 * movement (index math), contractions, creation, and the elementwise ops that are kernel
 * expressions of their own rather than a unary/binary fn (cast, where, erf's formula), and the opaque
 * indexing ops (gather: a load's dynamic index term, which every renderer must spell; scatterAdd: a
 * sum reduction). Built-in ops only: an op
 * registered from outside is decomposed before lowering, so no backend sees it.
 */
const STRUCTURAL_OPS: readonly string[] = Object.values(BUILTIN_OP_TABLE)
  .filter(({ name, traits: t }) =>
    t.elementwise
      ? !(UNARY_OPS as readonly string[]).includes(name) && !(BINARY_OPS as readonly string[]).includes(name)
      : t.reduction || t.movement || t.contraction || t.creation || t.opaque,
  )
  .map((def) => def.name);

/**
 * The graph ops a renderer supports, for `Capabilities.ops`: the unary and binary ops its syntax
 * tables spell, plus every op kernels express structurally.
 */
export function supportedOps(unary: Iterable<string>, binary: Iterable<string>): ReadonlySet<string> {
  return new Set([...unary, ...binary, ...STRUCTURAL_OPS]);
}

/**
 * The graph op a scalar expression implements, as named in `Capabilities.ops`; undefined for the
 * plumbing every backend has (loads, constants, index arithmetic).
 */
export function exprOpName(e: ScalarExpr): string | undefined {
  switch (e.op) {
    case 'unary':
    case 'binary':
    case 'reduce':
      return e.fn;
    case 'where':
    case 'cast':
    case 'random':
      return e.op;
    default:
      return undefined;
  }
}

/** Distinct buffer ids a kernel loads from or stores to. */
export function kernelBuffers(kernel: Kernel): Set<number> {
  const ids = new Set<number>();
  for (const e of kernel.exprs) if (e.op === 'load') ids.add(e.buffer);
  for (const s of kernel.stores) ids.add(s.buffer);
  return ids;
}

/**
 * Throws UnsupportedDtypeError / UnsupportedOpError / KernelLimitError when `program` needs something
 * `backend` does not declare. Backends call it first thing in compile().
 */
export function checkProgramSupported(backend: Backend, program: KernelProgram): void {
  const { dtypes, ops, maxBuffersPerKernel } = backend.capabilities;
  const dtypeOk = new Set<string>(dtypes);
  for (const b of program.buffers) {
    if (!dtypeOk.has(b.dtype)) throw new UnsupportedDtypeError(b.dtype, backend.name, `buffer ${b.id}`);
  }
  program.kernels.forEach((kernel, k) => {
    if (kernel.kind === 'contraction' && !ops.has('matmul')) {
      throw new UnsupportedOpError('matmul', backend.name, `kernel ${k}`);
    }
    kernel.exprs.forEach((e, i) => {
      if (!dtypeOk.has(e.dtype))
        throw new UnsupportedDtypeError(e.dtype, backend.name, `kernel ${k}, expr ${i}`);
      const op = exprOpName(e);
      if (op !== undefined && !ops.has(op))
        throw new UnsupportedOpError(op, backend.name, `kernel ${k}, expr ${i}`);
    });
    const used = kernelBuffers(kernel).size;
    if (used > maxBuffersPerKernel) throw new KernelLimitError(backend.name, k, used, maxBuffersPerKernel);
  });
}

/**
 * What every `Backend.compile` (and `render`) calls first: `checkProgramSupported` and
 * `verifyProgram` (a malformed program of any shape, or an index that may leave its buffer, is a
 * VerifyError naming the kernel and expr). Renderers may then trust the program's structure and indices.
 */
export function checkProgram(backend: Backend, program: unknown): asserts program is KernelProgram {
  // Structure first (so the capability check reads well-formed data), then what the backend lacks
  // (an unsupported dtype is named as such, not as a dtype mismatch), then the full verification.
  checkProgramShape(program);
  checkProgramSupported(backend, program);
  verifyProgram(program, { structureChecked: true });
}
