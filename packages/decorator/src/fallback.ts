import { UnsupportedDtypeError, UnsupportedOpError } from '@paradox/backend';
import { UntraceableOpError } from '@paradox/tracer';

/** Why a call cannot run compiled: the op (or dtype) and the backend, for the one warning. */
export interface FallbackReason {
  op: string;
  backend: string;
}

/**
 * The errors that mean "this backend cannot run this function compiled, but eager execution can";
 * anything else (a shape error, a bug) is not a reason to fall back and propagates.
 */
export function fallbackReason(error: unknown, backend: string): FallbackReason | undefined {
  if (error instanceof UntraceableOpError) return { op: error.operation, backend };
  if (error instanceof UnsupportedOpError) return { op: error.op, backend: error.backend };
  if (error instanceof UnsupportedDtypeError) return { op: `dtype ${error.dtype}`, backend: error.backend };
  return undefined;
}
