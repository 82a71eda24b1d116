/// <reference types="@webgpu/types" preserve="true" />
import type { BufferPool } from './buffer-pool.js';
import { withErrorScopes } from './error-scope.js';
import { MapMode, READBACK_USAGE } from './usage.js';

/**
 * Copies `bytes` from a storage buffer into a pooled staging buffer, maps it and returns a copy
 * of the bytes. The copy is queued behind any previously submitted work, so it observes it; a
 * failed copy is a WebGpuValidationError, a failed map rejects mapAsync.
 */
export async function readBuffer(
  device: GPUDevice,
  pool: BufferPool,
  src: GPUBuffer,
  bytes: number,
  offset = 0,
): Promise<ArrayBuffer> {
  const padded = align4(bytes);
  if (padded === 0) return new ArrayBuffer(0);
  const staging = pool.acquire(padded, READBACK_USAGE, 'readback');
  try {
    await withErrorScopes(device, 'readback', () => {
      const encoder = device.createCommandEncoder({ label: 'readback' });
      encoder.copyBufferToBuffer(src, offset, staging, 0, padded);
      device.queue.submit([encoder.finish()]);
    });
    await staging.mapAsync(MapMode.READ, 0, padded);
    const out = staging.getMappedRange(0, padded).slice(0, bytes);
    staging.unmap();
    return out;
  } finally {
    if (staging.mapState !== 'unmapped') staging.unmap();
    pool.release(staging);
  }
}

export const align4 = (n: number): number => Math.ceil(n / 4) * 4;
