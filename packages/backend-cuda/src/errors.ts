/**
 * Typed errors of the CUDA backend. `code` is stable for programmatic checks; messages name what
 * failed and, where it helps, what to do about it.
 */
export class CudaError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** No CUDA driver library, no NVRTC library, or no usable device on this machine. */
export class CudaUnavailableError extends CudaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CUDA_UNAVAILABLE', message, options);
  }
}

/** A driver API call returned an error code. */
export class CudaDriverError extends CudaError {
  readonly call: string;
  readonly result: number;
  constructor(call: string, result: number, name: string, description: string) {
    super('CUDA_DRIVER', `${call} failed with ${name} (${result}): ${description}`);
    this.call = call;
    this.result = result;
  }
}

/** Generated CUDA C did not compile (NVRTC, nvcc or the emulation's C++ compiler). Always a compiler bug. */
export class CudaCompileError extends CudaError {
  readonly log: string;
  readonly source: string;
  constructor(compiler: string, log: string, source: string) {
    super(
      'CUDA_COMPILE',
      `${compiler} rejected the generated source:\n${log.trim()}\n--- source ---\n${numbered(source)}`,
    );
    this.log = log;
    this.source = source;
  }
}

/** The CPU emulation of a program failed at run time (deadlock, invalid launch, crash). */
export class CudaEmulationError extends CudaError {
  constructor(message: string) {
    super('CUDA_EMULATION', message);
  }
}

function numbered(source: string): string {
  return source
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(4)}  ${l}`)
    .join('\n');
}
