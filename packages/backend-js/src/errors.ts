import { BackendError } from '@paradox/backend';

/**
 * The JS backend compiles kernels with `new Function`, which a Content-Security-Policy without
 * 'unsafe-eval' (or Node's --disallow-code-generation-from-strings) forbids. Says what to do instead.
 */
export class CodeGenerationBlockedError extends BackendError {
  override name = 'CodeGenerationBlockedError';
  constructor(cause: unknown) {
    super(
      "@paradox/backend-js cannot compile kernels here: code generation from strings is blocked (a Content-Security-Policy without 'unsafe-eval' in script-src, " +
        "or Node's --disallow-code-generation-from-strings). Allow 'unsafe-eval' for this page, or use a backend that needs no eval: " +
        "@paradox/backend-wasm (needs only 'wasm-unsafe-eval') or @paradox/backend-wgsl (WebGPU), registered by importing the package " +
        "and selected with jit(f, { backend: 'wasm' }) or { backend: 'wgsl' }.",
      { cause },
    );
  }
}

/** `new Function(...params, body)`, with a blocked eval reported as CodeGenerationBlockedError. */
export function compileFunction(params: string[], body: string): (...args: unknown[]) => unknown {
  try {
    return new Function(...params, body) as (...args: unknown[]) => unknown;
  } catch (error) {
    if (error instanceof EvalError) throw new CodeGenerationBlockedError(error);
    throw error;
  }
}
