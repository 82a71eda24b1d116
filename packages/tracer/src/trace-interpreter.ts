import type { Attrs } from '@paradox/ir';
import type { OpExecutor } from './executor.js';
import type { Tensor } from './tensor.js';

/** Applies a primitive at the level below the interpreter that calls it. */
export type ApplyPrimitive = (op: string, inputs: readonly Tensor[], attrs: Attrs) => Tensor;

/**
 * A trace level (JAX's `newMain(JVPTrace)`): while it is installed with `withTraceInterpreter`, every
 * primitive application (each op a tensor method, `apply` or a creation function issues, casts and
 * broadcasts included) goes to `applyPrimitive`. `next` applies an op at the level below: an outer
 * interpreter, else the active trace, else eager execution. Tensor ops the interpreter runs itself
 * also go to the level below, never back to it, so it can compute with tensors freely. This is what
 * forward-mode autodiff, vmap or an op counter need, written outside the tracer.
 */
export interface TraceInterpreter {
  applyPrimitive(op: string, inputs: readonly Tensor[], attrs: Attrs, next: ApplyPrimitive): Tensor;
}

const levels: TraceInterpreter[] = [];
/** The level that receives the next primitive application; -1: none (trace or eager). */
let current = -1;

/** Runs `body` with `interpreter` as the innermost trace level; returns what `body` returns. */
export function withTraceInterpreter<T>(interpreter: TraceInterpreter, body: () => T): T {
  const outer = current;
  levels.push(interpreter);
  current = levels.length - 1;
  try {
    return body();
  } finally {
    levels.pop();
    current = outer;
  }
}

function applyAt(
  level: number,
  base: OpExecutor,
  op: string,
  inputs: readonly Tensor[],
  attrs: Attrs,
): Tensor {
  if (level < 0) return base.execute(op as never, inputs, attrs);
  const outer = current;
  current = level - 1;
  try {
    return levels[level]!.applyPrimitive(op, inputs, attrs, (o, i, a) => applyAt(level - 1, base, o, i, a));
  } finally {
    current = outer;
  }
}

/** The executor for the innermost active trace level over `base` (the trace or eager executor). */
export function interpretedExecutor(base: OpExecutor): OpExecutor {
  if (current < 0) return base;
  const level = current;
  return { execute: (op, inputs, attrs) => applyAt(level, base, op, inputs, attrs) };
}
