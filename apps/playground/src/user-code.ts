/**
 * The editor text becomes a function: the text is a function body that returns the function to trace.
 * It runs with `new Function` in the page: it is the user's own code in the user's own browser.
 */
import * as autodiff from '@paradox/autodiff';
import { loadOnnx, OnnxModelBuilder } from '@paradox/onnx';
import * as tracer from '@paradox/tracer';

/**
 * What the editor's code sees as `paradox`: the tracer's functions, autodiff's transformations, and
 * `onnx` (build a model's bytes with OnnxModelBuilder, import them with loadOnnx, call the graph with
 * the tracer's callGraph).
 */
export const PARADOX_NAMESPACE = { ...tracer, ...autodiff, onnx: { loadOnnx, OnnxModelBuilder } };

/** The editor text failed to evaluate, or did not return a function. */
export class UserCodeError extends Error {
  override readonly name = 'UserCodeError';
}

/** The file name stack frames give the user's code, so call sites read `playground-input.js:3:14`. */
export const USER_FILE = 'playground-input.js';

/** `new Function` puts two lines (`function anonymous(paradox`, `) {`) above the editor's first line. */
const WRAPPER_LINES = 2;

/** A call site as the page shows it: a line of the editor when it is in the user's code, else `file:line:col`. */
export function describeSite(file: string, line: number, column?: number): string {
  if (file === USER_FILE)
    return `editor line ${line - WRAPPER_LINES}${column !== undefined ? `, column ${column}` : ''}`;
  return `${file}:${line}${column !== undefined ? `:${column}` : ''}`;
}

export type TensorFunction = (...args: tracer.Tensor[]) => unknown;

export function evaluateUserCode(code: string): TensorFunction {
  let factory: (paradox: typeof PARADOX_NAMESPACE) => unknown;
  try {
    factory = new Function('paradox', `${code}\n//# sourceURL=${USER_FILE}`) as typeof factory;
  } catch (e) {
    throw new UserCodeError(`the code does not parse: ${(e as Error).message}`);
  }
  let fn: unknown;
  try {
    fn = factory(PARADOX_NAMESPACE);
  } catch (e) {
    throw new UserCodeError(`the code threw while defining the function: ${(e as Error).message}`);
  }
  if (typeof fn !== 'function')
    throw new UserCodeError(`the code must return a function of the input tensors, got ${typeof fn}`);
  return fn as TensorFunction;
}
