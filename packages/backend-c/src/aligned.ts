import type { DType, TypedArray } from '@paradox/ir';
import { typedArrayFor } from '@paradox/ir';
import { addressOf } from './library.js';

/** Arrays from this many bytes start on a cache line. */
const ALIGN_FROM = 64 * 1024;
const LINE = 64;

type TypedArrayClass = new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray;

/**
 * A zero-filled array of `size` elements of `dtype` whose first element starts a 64-byte cache line
 * when it is 64 KiB or more (and koffi can tell its address). A large ArrayBuffer's memory is
 * mmap'd by the C library with a 16-byte header, so a plain one starts 16 bytes into a line and
 * every 64-byte vector load the kernels make along it spans two lines (a matmul's B panel rows,
 * read in place: W2's first layer about 4% slower). The array is a view 0-48 bytes into a buffer
 * 64 bytes longer: `reuse` may supply such a buffer (freed memory, zeroed here), and
 * `alignedBufferOf` gives it back when the array is freed.
 */
export function alignedArray(
  dtype: DType,
  size: number,
  reuse?: (bytes: number) => ArrayBuffer | undefined,
): TypedArray {
  const plain = typedArrayFor(dtype, 0);
  const bytes = size * plain.BYTES_PER_ELEMENT;
  if (bytes < ALIGN_FROM) return typedArrayFor(dtype, size);
  const reused = reuse?.(bytes + LINE);
  // Pooled memory holds old contents: zeroing it in cache costs a fraction of fresh pages' faults.
  if (reused) new Uint8Array(reused).fill(0);
  const buffer = reused ?? new ArrayBuffer(bytes + LINE);
  const address = addressOf(new Uint8Array(buffer, 0, 1));
  if (address === undefined) return new (plain.constructor as TypedArrayClass)(buffer, 0, size);
  const offset = (LINE - Number(address % BigInt(LINE))) % LINE;
  // Buffers start at least 8-byte aligned, so the offset is a whole number of elements.
  if (offset % plain.BYTES_PER_ELEMENT !== 0) return typedArrayFor(dtype, size);
  return new (plain.constructor as TypedArrayClass)(buffer, offset, size);
}

/** The whole buffer of an array made by alignedArray (a view 64 bytes shorter than its buffer), else undefined. */
export function alignedBufferOf(data: TypedArray): ArrayBuffer | undefined {
  if (data.byteLength < ALIGN_FROM || data.buffer.byteLength !== data.byteLength + LINE) return undefined;
  return data.buffer as ArrayBuffer;
}
