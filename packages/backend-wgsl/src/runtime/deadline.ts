import { WebGpuTimeoutError, type WebGpuWaitStage } from './errors.js';

/** Default bound on any one wait for the device (compiling a pipeline, finishing submitted work). */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * `promise`, or a WebGpuTimeoutError naming `label` if it does not settle within `ms`. The device
 * work behind it is not cancelled (WebGPU cannot), but the caller is no longer held by it; the
 * error's `settled` says when that work ends. A rejection after the deadline is never unhandled.
 *
 * An outcome first seen `ms` or more after the call is a timeout too, whatever it is: when the
 * event loop was busy past the deadline, the device's answer and the timer are both ready at
 * once, and which the loop runs first must not decide the result.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  stage: WebGpuWaitStage,
  label: string,
): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  const start = performance.now();
  const settled = promise.then(
    () => {},
    () => {},
  );
  return new Promise<T>((resolve, reject) => {
    const expire = () => reject(new WebGpuTimeoutError(stage, label, ms, settled));
    const timer = setTimeout(expire, ms);
    const late = () => {
      clearTimeout(timer);
      return performance.now() - start >= ms;
    };
    promise.then(
      (value) => (late() ? expire() : resolve(value)),
      (error: unknown) => (late() ? expire() : reject(error)),
    );
  });
}

/** Checks a user-supplied timeout: a positive number of milliseconds, or Infinity for no bound. */
export function checkTimeout(ms: number): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms <= 0)
    throw new RangeError(
      `timeoutMs must be a positive number of milliseconds or Infinity, got ${String(ms)}`,
    );
  return ms;
}
