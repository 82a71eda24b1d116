import { UnsupportedDtypeError, UnsupportedOpError } from '@paradox/backend';
import { InterpreterError } from '@paradox/ir';
import {
  EagerExecutionError,
  interpreterExecutor,
  setEagerExecutor,
  UntraceableOpError,
} from '@paradox/tracer';
import { JitError } from './errors.js';

/**
 * Why a call cannot run compiled: the op (or dtype) and the backend, for the one warning, and where
 * the eager run happens: on the backend (an op that reads data while tracing is fine eagerly), or on
 * the reference interpreter when the backend cannot run the op or dtype at all (eager ops would hit
 * the same wall).
 */
export interface FallbackReason {
  op: string;
  backend: string;
  runsOn: 'backend' | 'interpreter';
}

/**
 * The errors that mean "this backend cannot run this function compiled, but eager execution can";
 * anything else (a shape error, a bug) is not a reason to fall back and propagates.
 */
export function fallbackReason(error: unknown, backend: string): FallbackReason | undefined {
  if (error instanceof UntraceableOpError) return { op: error.operation, backend, runsOn: 'backend' };
  if (error instanceof UnsupportedOpError)
    return { op: error.op, backend: error.backend, runsOn: 'interpreter' };
  if (error instanceof UnsupportedDtypeError)
    return { op: `dtype ${error.dtype}`, backend: error.backend, runsOn: 'interpreter' };
  return undefined;
}

export const describeFallback = (reason: FallbackReason): string =>
  reason.runsOn === 'interpreter'
    ? 'runs eagerly on the reference interpreter (op by op on the host: slow, with the IR reference results)'
    : 'runs eagerly (op by op; results are the same)';

/** Runs `call` where `reason` says; when even the interpreter cannot, says so with a typed error. */
export function runFallback(fn: string, reason: FallbackReason, call: () => unknown): unknown {
  if (reason.runsOn === 'backend') return call();
  const previous = setEagerExecutor(interpreterExecutor);
  try {
    return call();
  } catch (e) {
    if (e instanceof InterpreterError || e instanceof EagerExecutionError) {
      throw new JitError(
        `jit(${fn}): '${reason.op}' cannot run on backend '${reason.backend}', and the reference interpreter ` +
          `cannot run this call either: ${(e as Error).message}`,
        { cause: e },
      );
    }
    throw e;
  } finally {
    setEagerExecutor(previous);
  }
}
