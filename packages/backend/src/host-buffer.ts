import { type DType, type TypedArray, typedArrayFor } from '@paradox/ir';
import { BufferMismatchError, MalformedProgramError } from './errors.js';
import type { DeviceBuffer } from './types.js';

/**
 * A device buffer that lives in host memory, for backends that compute on the CPU (backend-js, the toy
 * backend, emulators). `data` is the element storage (bool as Uint8Array, float16 widened to Float32Array).
 */
export class HostBuffer implements DeviceBuffer {
  freed = false;
  constructor(
    readonly backend: string,
    readonly dtype: DType,
    readonly data: TypedArray,
  ) {}
  get size(): number {
    return this.data.length;
  }
}

export function allocateHostBuffer(backend: string, dtype: DType, size: number): HostBuffer {
  if (!Number.isInteger(size) || size < 0)
    throw new BufferMismatchError(`${backend}: invalid buffer size ${size}`);
  return new HostBuffer(backend, dtype, typedArrayFor(dtype, size));
}

/** Checks that `buffer` is a live HostBuffer of `backend` and returns it typed. */
export function asHostBuffer(buffer: DeviceBuffer, backend: string): HostBuffer {
  if (!(buffer instanceof HostBuffer) || buffer.backend !== backend) {
    throw new BufferMismatchError(`buffer belongs to backend '${buffer?.backend}', not '${backend}'`);
  }
  if (buffer.freed) throw new BufferMismatchError(`${backend}: buffer used after free()`);
  return buffer;
}

/** Copies `data` into `buffer` after checking length and element type. */
export function uploadHostBuffer(buffer: HostBuffer, data: TypedArray): void {
  if (data.length !== buffer.size) {
    throw new BufferMismatchError(
      `${buffer.backend}: upload of ${data.length} elements into a buffer of ${buffer.size}`,
    );
  }
  if (data.constructor !== buffer.data.constructor) {
    throw new BufferMismatchError(
      `${buffer.backend}: upload of a ${data.constructor.name} into a ${buffer.dtype} buffer (${buffer.data.constructor.name})`,
    );
  }
  buffer.data.set(data);
}

/**
 * A fresh ArrayBuffer of `bytes` for program storage (slots, temps). A size the host cannot allocate
 * (a loaded program may plan 2^40 bytes) is a typed MalformedProgramError naming `what`, not a bare
 * RangeError.
 */
export function allocateHostMemory(bytes: number, what: string): ArrayBuffer {
  try {
    return new ArrayBuffer(bytes);
  } catch {
    throw new MalformedProgramError(
      `${what} needs ${bytes} bytes, more than this host can allocate`,
      'program',
    );
  }
}
