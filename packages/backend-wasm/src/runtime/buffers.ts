import { BufferMismatchError, copyOut, type DeviceBuffer } from '@paradox/backend';
import { BYTES_PER_ELEMENT, type DType, type TypedArray } from '@paradox/ir';
import type { Arena } from './arena.js';

const VIEW = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;
type WasmDType = keyof typeof VIEW;

/** A tensor's storage: `size` elements at byte address `address` of the backend's memory. */
export class WasmBuffer implements DeviceBuffer {
  freed = false;
  /**
   * Allocated and not yet written: the region may hold a freed tensor's bytes, cleared to zeros
   * before anything reads it (`settle`); a full upload writes it instead, so uploads of fresh data
   * skip the clearing pass (a 4 MiB input: one pass over it fewer).
   */
  unwritten = false;
  constructor(
    readonly backend: string,
    readonly dtype: DType,
    readonly size: number,
    readonly address: number,
  ) {}
}

const VIEW_OF = { float32: 'f32', int32: 'i32', bool: 'u8' } as const;

/** The whole-memory typed array for `dtype`, and the element index of byte `address` in it. */
function wholeView(arena: Arena, dtype: DType, address: number): { view: TypedArray; start: number } {
  if (!(dtype in VIEW)) throw new BufferMismatchError(`wasm: no ${dtype} buffers`);
  return {
    view: arena.memoryViews()[VIEW_OF[dtype as WasmDType]],
    start: address / BYTES_PER_ELEMENT[dtype],
  };
}

/** A typed view of `size` elements at `address` of the backend's memory. */
export function memoryView(arena: Arena, dtype: DType, address: number, size: number): TypedArray {
  const { view, start } = wholeView(arena, dtype, address);
  return view.subarray(start, start + size);
}

/** Clears a buffer nothing has written yet (see `WasmBuffer.unwritten`) before it is read. */
export function settle(arena: Arena, buffer: WasmBuffer): WasmBuffer {
  if (buffer.unwritten) {
    memoryView(arena, buffer.dtype, buffer.address, buffer.size).fill(0);
    buffer.unwritten = false;
  }
  return buffer;
}

/** A copy of a buffer's elements (one allocation: the result; large ones not zero-filled first). */
export function downloadBuffer(arena: Arena, buffer: WasmBuffer): TypedArray {
  settle(arena, buffer);
  const { view, start } = wholeView(arena, buffer.dtype, buffer.address);
  return copyOut(view.subarray(start, start + buffer.size));
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
  const { view, start } = wholeView(arena, buffer.dtype, buffer.address);
  if (data.length !== buffer.size)
    throw new BufferMismatchError(
      `${buffer.backend}: upload of ${data.length} elements into a buffer of ${buffer.size}`,
    );
  if (data.constructor !== view.constructor)
    throw new BufferMismatchError(
      `${buffer.backend}: upload of a ${data.constructor.name} into a ${buffer.dtype} buffer (${view.constructor.name})`,
    );
  view.set(data, start);
  buffer.unwritten = false;
}
