import { BackendError } from '@paradox/backend';
import { CudaError } from '@paradox/backend-cuda';
import { WebGpuError } from '@paradox/backend-wgsl';
import { IrError } from '@paradox/ir';
import { JitError } from '@paradox/jit';
import { LoweringError, ProgramEvaluationError } from '@paradox/pass-lower';
import { PassManagerError } from '@paradox/pass-manager';
import { TracerError } from '@paradox/tracer';

/** The base classes of every error the project throws on purpose (each package exports its own). */
const TYPED_BASES: (abstract new (...args: never[]) => Error)[] = [
  IrError,
  BackendError,
  JitError,
  TracerError,
  PassManagerError,
  LoweringError,
  ProgramEvaluationError,
  CudaError,
  WebGpuError,
];

export function isTypedError(e: unknown): e is Error {
  return TYPED_BASES.some((base) => e instanceof base);
}

/** One line naming an error: its class and the start of its message. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message.split('\n')[0]!.slice(0, 200)}`;
  return `non-Error thrown: ${String(e).slice(0, 200)}`;
}
