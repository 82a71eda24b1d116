import { BufferMismatchError, type DeviceBuffer } from '@paradox/backend';
import { BYTES_PER_ELEMENT, type DType, type TypedArray } from '@paradox/ir';
import type { Arena } from './arena.js';

const VIEW = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;
type WasmDType = keyof typeof VIEW;

/** A tensor's storage: `size` elements at byte address `address` of the backend's memory. */
export class WasmBuffer implements DeviceBuffer {
  freed = false;
  constructor(
    readonly backend: string,
    readonly dtype: DType,
    readonly size: number,
    readonly address: number,
  ) {}
}

/** Typed views over the backend's memory, made per use (growth replaces the ArrayBuffer). */
export function memoryView(arena: Arena, dtype: DType, address: number, size: number): TypedArray {
  if (!(dtype in VIEW)) throw new BufferMismatchError(`wasm: no ${dtype} buffers`);
  return new VIEW[dtype as WasmDType](arena.memory.buffer, address, size);
}

export function allocateBuffer(arena: Arena, backend: string, dtype: DType, size: number): WasmBuffer {
  if (!Number.isInteger(size) || size < 0)
    throw new BufferMismatchError(`${backend}: invalid buffer size ${size}`);
  if (!(dtype in VIEW)) throw new BufferMismatchError(`${backend}: no ${dtype} buffers`);
  return new WasmBuffer(backend, dtype, size, arena.alloc(size * BYTES_PER_ELEMENT[dtype]));
}

/** Checks that `buffer` is a live buffer of `backend` and returns it typed. */
export function asWasmBuffer(buffer: DeviceBuffer, backend: string): WasmBuffer {
  if (!(buffer instanceof WasmBuffer) || buffer.backend !== backend)
    throw new BufferMismatchError(`buffer belongs to backend '${buffer?.backend}', not '${backend}'`);
  if (buffer.freed) throw new BufferMismatchError(`${backend}: buffer used after free()`);
  return buffer;
}

export function uploadBuffer(arena: Arena, buffer: WasmBuffer, data: TypedArray): void {
  const view = memoryView(arena, buffer.dtype, buffer.address, buffer.size);
  if (data.length !== buffer.size)
    throw new BufferMismatchError(
      `${buffer.backend}: upload of ${data.length} elements into a buffer of ${buffer.size}`,
    );
  if (data.constructor !== view.constructor)
    throw new BufferMismatchError(
      `${buffer.backend}: upload of a ${data.constructor.name} into a ${buffer.dtype} buffer (${view.constructor.name})`,
    );
  view.set(data);
}
