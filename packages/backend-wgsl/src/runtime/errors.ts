/**
 * Typed errors of the WebGPU runtime. Each names what failed and, where it helps, what to do.
 * `code` is stable for programmatic checks; messages are for humans.
 */
export class WebGpuError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** No `navigator.gpu`, no adapter, or the device request failed. */
export class WebGpuUnavailableError extends WebGpuError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WEBGPU_UNAVAILABLE', message, options);
  }
}

/**
 * Dawn reports validation / out-of-memory / internal errors through error scopes instead of
 * throwing, so the runtime collects them and rethrows them as this error.
 */
export class WebGpuValidationError extends WebGpuError {
  readonly kind: 'validation' | 'out-of-memory' | 'internal';
  constructor(kind: 'validation' | 'out-of-memory' | 'internal', message: string, context: string) {
    super(
      kind === 'validation'
        ? 'WEBGPU_VALIDATION'
        : kind === 'out-of-memory'
          ? 'WEBGPU_OOM'
          : 'WEBGPU_INTERNAL',
      `WebGPU ${kind} error during ${context}: ${message}`,
    );
    this.kind = kind;
  }
}

/** What the runtime was waiting for when a WebGpuTimeoutError was raised. */
export type WebGpuWaitStage = 'compile' | 'run' | 'readback' | 'sync';

/**
 * The device did not answer within the runtime's `timeoutMs`: a pipeline that does not finish
 * compiling, or submitted work that does not finish. `label` names the kernel (for `compile`) or
 * the kernels of the work in flight. The device work itself cannot be cancelled.
 */
export class WebGpuTimeoutError extends WebGpuError {
  readonly stage: WebGpuWaitStage;
  readonly label: string;
  readonly timeoutMs: number;
  /** Settles when the abandoned device work does (wait on it before destroying the device). */
  readonly settled: Promise<void>;
  constructor(stage: WebGpuWaitStage, label: string, timeoutMs: number, settled: Promise<void>) {
    const what =
      stage === 'compile'
        ? `compiling the pipeline of ${label}`
        : stage === 'run'
          ? `submitting ${label}`
          : `waiting for ${label} to finish (${stage})`;
    super('WEBGPU_TIMEOUT', `WebGPU timed out after ${timeoutMs} ms ${what}`);
    this.stage = stage;
    this.label = label;
    this.timeoutMs = timeoutMs;
    this.settled = settled;
  }
}

/** One diagnostic of a failed shader compile, with the offending WGSL line. */
export interface WgslDiagnostic {
  message: string;
  line: number;
  column: number;
  /** Text of the WGSL line the diagnostic points at. */
  lineText: string;
}

/** A generated shader did not compile: always a compiler bug, so show everything needed to fix it. */
export class WgslCompileError extends WebGpuError {
  readonly diagnostics: WgslDiagnostic[];
  readonly source: string;
  readonly label: string;
  constructor(label: string, source: string, diagnostics: WgslDiagnostic[]) {
    const first = diagnostics[0];
    const where = first
      ? `line ${first.line}:${first.column}: ${first.message}\n  ${first.lineText}`
      : 'unknown error';
    super('WGSL_COMPILE', `WGSL compile error in ${label} at ${where}\n--- shader ---\n${numbered(source)}`);
    this.diagnostics = diagnostics;
    this.source = source;
    this.label = label;
  }
}

function numbered(source: string): string {
  return source
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(4)}  ${l}`)
    .join('\n');
}
