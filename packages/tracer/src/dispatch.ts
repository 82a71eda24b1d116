import { eagerOps } from './eager/eager-ops.js';
import { EscapedTracerError } from './errors.js';
import type { OpExecutor } from './executor.js';
import type { Tensor } from './tensor.js';
import { interpretedExecutor } from './trace-interpreter.js';
import { activeTrace } from './trace-stack.js';

/**
 * Picks the executor for an op over `operands`: the innermost trace interpreter receives it, if one
 * is installed; else the active trace records it (eager operands become constants), otherwise it
 * runs eagerly. A tracer from a finished or different trace is an error.
 */
export function executorFor(operands: readonly unknown[]): OpExecutor {
  const trace = activeTrace();
  for (const x of operands) {
    const owner = (x as Tensor | undefined)?.traceContext;
    if (owner && owner !== trace) {
      throw new EscapedTracerError(
        (x as Tensor).type,
        trace
          ? 'inside a different (nested) trace than the one that created it'
          : 'after the trace that created it finished',
      );
    }
  }
  return interpretedExecutor(trace ?? eagerOps);
}
