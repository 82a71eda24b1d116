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

/** A loaded program is bigger than `loadCompiled`'s limits allow (buffer bytes or one kernel's iterations). */
export class JitLoadLimitError extends JitExportError {
  override name = 'JitLoadLimitError';
  constructor(
    readonly limit: 'maxBufferBytes' | 'maxKernelIterations',
    readonly value: number,
    readonly allowed: number,
    what: string,
  ) {
    super(
      `loadCompiled: ${what} ${value} ${limit === 'maxBufferBytes' ? 'bytes' : 'iterations'}, over the limit ` +
        `${limit} = ${allowed}; pass a larger ${limit} to loadCompiled if the program is trusted`,
    );
  }
}
