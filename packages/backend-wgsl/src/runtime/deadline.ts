import { WebGpuTimeoutError, type WebGpuWaitStage } from './errors.js';

/** Default bound on any one wait for the device (compiling a pipeline, finishing submitted work). */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * `promise`, or a WebGpuTimeoutError naming `label` if it does not settle within `ms`. The device
 * work behind it is not cancelled (WebGPU cannot), but the caller is no longer held by it; the
 * error's `settled` says when that work ends. A rejection after the deadline is never unhandled.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  stage: WebGpuWaitStage,
  label: string,
): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = promise.then(
    () => {},
    () => {},
  );
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WebGpuTimeoutError(stage, label, ms, settled)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Checks a user-supplied timeout: a positive number of milliseconds, or Infinity for no bound. */
export function checkTimeout(ms: number): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms <= 0)
    throw new RangeError(
      `timeoutMs must be a positive number of milliseconds or Infinity, got ${String(ms)}`,
    );
  return ms;
}
