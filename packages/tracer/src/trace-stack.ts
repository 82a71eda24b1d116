import type { TraceContext } from './trace-context.js';

/**
 * The traces in progress, innermost last. While a trace is active every op is recorded into it
 * (including ops on eager tensors and creation ops), so a traced function stages all of its work.
 */
const stack: TraceContext[] = [];

export const activeTrace = (): TraceContext | undefined => stack[stack.length - 1];

export function withTrace<T>(context: TraceContext, body: () => T): T {
  stack.push(context);
  try {
    return body();
  } finally {
    stack.pop();
  }
}
