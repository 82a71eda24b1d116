import { WebGpuValidationError } from './errors.js';

/** Pushed in this order, popped in reverse. */
const FILTERS = ['internal', 'out-of-memory', 'validation'] as const;

/**
 * Runs the synchronous `fn` inside validation/out-of-memory/internal error scopes and returns its
 * value with the first error the scopes caught. Needed because Dawn does not throw on invalid
 * work: a dispatch over 65,535 workgroups per dimension, for example, is silently dropped.
 *
 * The scopes are pushed and popped around synchronous code only (a promise `fn` returns is
 * awaited after the pops): scopes are a per-device stack, and holding them across an await would
 * let concurrent operations pop each other's scopes.
 */
export async function captureErrors<T>(
  device: GPUDevice,
  context: string,
  fn: () => T,
): Promise<{ value: Awaited<T>; error: WebGpuValidationError | undefined }> {
  for (const f of FILTERS) device.pushErrorScope(f);
  let result: T | undefined;
  let thrown: { error: unknown } | undefined;
  try {
    result = fn();
  } catch (error) {
    thrown = { error };
  }
  const pops = [...FILTERS].reverse().map((kind) => ({ kind, popped: device.popErrorScope() }));
  let error: WebGpuValidationError | undefined;
  for (const { kind, popped } of pops) {
    const e = await popped;
    if (e && !error) error = new WebGpuValidationError(kind, e.message, context);
  }
  if (thrown) throw thrown.error;
  return { value: await (result as T), error };
}

/** captureErrors, throwing the scope error (an exception from `fn` wins). */
export async function withErrorScopes<T>(
  device: GPUDevice,
  context: string,
  fn: () => T,
): Promise<Awaited<T>> {
  const { value, error } = await captureErrors(device, context, fn);
  if (error) throw error;
  return value;
}
