import type { DType } from '@paradox/ir';
import { backendHint } from './known-backends.js';

/** Every failure the backend SDK reports is one of these, so callers can branch on `instanceof`. */
export class BackendError extends Error {
  override name = 'BackendError';
}

/** getBackend() was called before any backend registered itself. Names the package to import. */
export class NoBackendError extends BackendError {
  override name = 'NoBackendError';
  constructor() {
    super(
      "no backend is registered: import one before compiling, e.g. `import '@paradox/backend-js'` " +
        '(the default JavaScript backend)',
    );
  }
}

/** getBackend(name) named a backend that is not registered. Lists the registered ones. */
export class UnknownBackendError extends BackendError {
  override name = 'UnknownBackendError';
  constructor(
    readonly backend: string,
    readonly registered: string[],
  ) {
    super(
      `unknown backend '${backend}'; registered: ${registered.length ? registered.join(', ') : '(none)'}` +
        ` (${backendHint(backend)})`,
    );
  }
}

/** registerBackend was given a malformed backend or a name that is already taken. */
export class BackendRegistrationError extends BackendError {
  override name = 'BackendRegistrationError';
}

/** A program uses an op the backend does not declare in its capabilities. */
export class UnsupportedOpError extends BackendError {
  override name = 'UnsupportedOpError';
  constructor(
    readonly op: string,
    readonly backend: string,
    readonly where?: string,
  ) {
    super(`backend '${backend}' does not support op '${op}'${where ? ` (${where})` : ''}`);
  }
}

/** A program uses a dtype the backend does not declare in its capabilities. */
export class UnsupportedDtypeError extends BackendError {
  override name = 'UnsupportedDtypeError';
  constructor(
    readonly dtype: DType | string,
    readonly backend: string,
    readonly where?: string,
  ) {
    super(`backend '${backend}' does not support dtype '${dtype}'${where ? ` (${where})` : ''}`);
  }
}

/** A kernel touches more buffers than the backend allows (fusion should have split it). */
export class KernelLimitError extends BackendError {
  override name = 'KernelLimitError';
  constructor(
    readonly backend: string,
    readonly kernel: number,
    readonly buffers: number,
    readonly limit: number,
  ) {
    super(
      `backend '${backend}': kernel ${kernel} touches ${buffers} buffers, more than its limit of ${limit}`,
    );
  }
}

/** run() or upload() was given buffers that do not match the program or the allocation. */
export class BufferMismatchError extends BackendError {
  override name = 'BufferMismatchError';
}

/** A kernel program is malformed in a way the backend cannot render (bad reference, non-numeric constant...). */
export class MalformedProgramError extends BackendError {
  override name = 'MalformedProgramError';
  constructor(
    readonly reason: string,
    readonly where?: string,
  ) {
    super(`${where ? `${where}: ` : ''}${reason}`);
  }
}
