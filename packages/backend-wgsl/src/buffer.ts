import { BufferMismatchError, type DeviceBuffer } from '@paradox/backend';
import type { DType } from '@paradox/ir';

/**
 * A tensor buffer of the wgsl backend. `gpu` is a pooled GPUBuffer; until the device exists
 * (allocate/upload are synchronous, acquiring a device is not) the device-format bytes wait in
 * `pending` and are written when the buffer is first used.
 */
export class WgslBuffer implements DeviceBuffer {
  gpu: GPUBuffer | null = null;
  pending: ArrayBufferView | null = null;
  freed = false;
  constructor(
    readonly backend: string,
    readonly dtype: DType,
    readonly size: number,
    /** Bytes on the device (bool is 4 per element, float16 2). */
    readonly bytes: number,
  ) {}
}

export function asWgslBuffer(buffer: DeviceBuffer, backend: string): WgslBuffer {
  if (!(buffer instanceof WgslBuffer) || buffer.backend !== backend) {
    throw new BufferMismatchError(`buffer belongs to backend '${String(buffer?.backend)}', not '${backend}'`);
  }
  if (buffer.freed) throw new BufferMismatchError(`${backend}: buffer used after free()`);
  return buffer;
}
