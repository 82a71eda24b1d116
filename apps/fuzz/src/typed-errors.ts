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

/** Error classes exported by backend packages found at run time (a backend added later brings its own). */
const discovered: (abstract new (...args: never[]) => Error)[] = [];

/** Remembers every Error subclass a package exports, so its errors count as typed. */
export function learnErrorClasses(mod: Record<string, unknown>): void {
  for (const value of Object.values(mod)) {
    if (typeof value === 'function' && value.prototype instanceof Error)
      discovered.push(value as abstract new (...args: never[]) => Error);
  }
}

export function isTypedError(e: unknown): e is Error {
  return TYPED_BASES.some((base) => e instanceof base) || discovered.some((c) => e instanceof c);
}

/** One line naming an error: its class and the start of its message. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message.split('\n')[0]!.slice(0, 200)}`;
  return `non-Error thrown: ${String(e).slice(0, 200)}`;
}
