/** Every failure the jit reports is one of these, so callers can branch on `instanceof`. */
export class JitError extends Error {
  override name = 'JitError';
}

/**
 * With `fallback: 'error'`: tracing or compiling hit something the backend cannot run. `cause` is the
 * original error (UntraceableOpError, UnsupportedOpError, UnsupportedDtypeError).
 */
export class JitFallbackError extends JitError {
  override name = 'JitFallbackError';
  constructor(
    readonly fn: string,
    readonly op: string,
    readonly backend: string,
    cause: unknown,
  ) {
    super(
      `jit(${fn}): '${op}' cannot run compiled on backend '${backend}' (${String((cause as Error)?.message ?? cause)}); ` +
        "fallback is 'error', so the call was not run eagerly",
      { cause },
    );
  }
}

/** Arguments given to a compiled program do not match the signature it was compiled for. */
export class JitArgumentError extends JitError {
  override name = 'JitArgumentError';
}

/** A compiled program cannot be exported (a static value that JSON cannot carry) or loaded (malformed JSON). */
export class JitExportError extends JitError {
  override name = 'JitExportError';
}
