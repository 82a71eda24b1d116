import { BYTES_PER_ELEMENT, type DType, type TypedArray, typedArrayFor } from '@paradox/ir';

const VIEW: Record<string, new (buffer: ArrayBuffer, offset: number, length: number) => TypedArray> = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

/**
 * Memory of freed large buffers, reused for the next output of the same byte size: a fresh
 * 16 MiB array costs milliseconds of page faults, more than the W1 kernel itself. Every output
 * element is written by the program, so stale contents never show.
 */
export class OutputPool {
  static readonly MIN_BYTES = 64 * 1024;
  private readonly free = new Map<number, ArrayBuffer[]>();
  private held = 0;

  constructor(private readonly maxBytes = 512 * 1024 * 1024) {}

  take(dtype: DType, size: number): TypedArray {
    const bytes = size * BYTES_PER_ELEMENT[dtype];
    const reused = bytes >= OutputPool.MIN_BYTES ? this.free.get(bytes)?.pop() : undefined;
    if (!reused) return typedArrayFor(dtype, size);
    this.held -= bytes;
    return new VIEW[dtype]!(reused, 0, size);
  }

  give(data: TypedArray): void {
    const buffer = data.buffer as ArrayBuffer;
    const bytes = buffer.byteLength;
    if (data.byteOffset !== 0 || data.byteLength !== bytes) return;
    if (bytes < OutputPool.MIN_BYTES || this.held + bytes > this.maxBytes) return;
    const list = this.free.get(bytes);
    if (list) list.push(buffer);
    else this.free.set(bytes, [buffer]);
    this.held += bytes;
  }
}
