import type { BufferPool } from './buffer-pool.js';
import { DEFAULT_TIMEOUT_MS, withDeadline } from './deadline.js';
import { withErrorScopes } from './error-scope.js';
import { WebGpuTimeoutError } from './errors.js';
import { MapMode, READBACK_USAGE } from './usage.js';

/**
 * Copies `bytes` from a storage buffer into a pooled staging buffer, maps it and returns a copy
 * of the bytes. The copy is queued behind any previously submitted work, so it observes it; a
 * failed copy is a WebGpuValidationError, a failed map rejects mapAsync. Work that does not finish
 * within `timeoutMs` is a WebGpuTimeoutError naming `waitingOn` (the kernels last submitted).
 */
export async function readBuffer(
  device: GPUDevice,
  pool: BufferPool,
  src: GPUBuffer,
  bytes: number,
  offset = 0,
  wait: { timeoutMs: number; waitingOn: string } = { timeoutMs: DEFAULT_TIMEOUT_MS, waitingOn: 'readback' },
): Promise<ArrayBuffer> {
  const padded = align4(bytes);
  if (padded === 0) return new ArrayBuffer(0);
  const staging = pool.acquire(padded, READBACK_USAGE, 'readback');
  let pending: Promise<unknown> = Promise.resolve();
  let retired = false;
  try {
    pending = withErrorScopes(device, 'readback', () => {
      const encoder = device.createCommandEncoder({ label: 'readback' });
      encoder.copyBufferToBuffer(src, offset, staging, 0, padded);
      device.queue.submit([encoder.finish()]);
    });
    await withDeadline(pending, wait.timeoutMs, 'readback', wait.waitingOn);
    // Resolves once the copy (queued behind every kernel submitted before) has run.
    pending = staging.mapAsync(MapMode.READ, 0, padded);
    await withDeadline(pending, wait.timeoutMs, 'readback', wait.waitingOn);
    const out = staging.getMappedRange(0, padded).slice(0, bytes);
    staging.unmap();
    return out;
  } catch (e) {
    if (e instanceof WebGpuTimeoutError) {
      // The work still runs and will copy into (and map) the staging buffer: destroy it after.
      retired = true;
      const destroy = () => staging.destroy();
      pending.then(destroy, destroy);
    }
    throw e;
  } finally {
    if (!retired) {
      if (staging.mapState !== 'unmapped') staging.unmap();
      pool.release(staging);
    }
  }
}

export const align4 = (n: number): number => Math.ceil(n / 4) * 4;
