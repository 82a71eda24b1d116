import { UnsupportedOpError } from '@paradox/backend';

/**
 * No usable C compiler (or koffi could not load): the 'c' backend cannot compile anything. It is
 * an UnsupportedOpError so that `jit(f, { backend: 'c' })` falls back to eager execution with one
 * warning that carries this message, as it does for an op a backend lacks.
 */
export class CUnavailableError extends UnsupportedOpError {
  override name = 'CUnavailableError';
  readonly code = 'C_UNAVAILABLE';
  constructor(
    readonly reason: string,
    backend = 'c',
  ) {
    super('(every op: no C compiler)', backend);
    this.message = `backend '${backend}' is unavailable: ${reason}`;
  }
}

/** The C compiler rejected a generated program (always a Paradox bug); the source is kept at `sourcePath`. */
export class CCompileError extends Error {
  override name = 'CCompileError';
  readonly code = 'C_COMPILE';
  constructor(
    readonly compiler: string,
    readonly log: string,
    readonly sourcePath: string,
  ) {
    super(`${compiler} rejected the generated C program (source kept at ${sourcePath}):\n${log.trim()}`);
  }
}

/** A compiled shared object could not be loaded or lacks its entry point. */
export class CLoadError extends Error {
  override name = 'CLoadError';
  readonly code = 'C_LOAD';
}

/** Programs of a `compileMany()` call that failed, each with its position in the list and its own error. */
export class CCompileManyError extends Error {
  override name = 'CCompileManyError';
  readonly code = 'C_COMPILE_MANY';
  constructor(
    readonly failures: { index: number; error: Error }[],
    total: number,
  ) {
    const lines = failures.map((f) => `program ${f.index}: ${f.error.name}: ${f.error.message}`);
    super(`${failures.length} of ${total} programs failed to compile:\n${lines.join('\n')}`, {
      cause: failures[0]?.error,
    });
  }
}
