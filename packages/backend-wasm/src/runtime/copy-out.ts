import type { TypedArray } from '@paradox/ir';

/** From this size a download copies into memory that is not zero-filled first. */
const UNINITIALISED_FROM_BYTES = 64 * 1024;

type TypedArrayClass = new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray;
type AllocUnsafeSlow = (bytes: number) => Uint8Array;

/**
 * Node's `Buffer.allocUnsafeSlow` (unpooled, not zero-filled), looked up at run time so that the
 * browser build imports nothing from Node; browsers (no `Buffer`) allocate plain, zero-filled arrays.
 */
const allocUnsafeSlow: AllocUnsafeSlow | undefined = (() => {
  const B = (globalThis as { Buffer?: { allocUnsafeSlow?: AllocUnsafeSlow } }).Buffer;
  const alloc = B?.allocUnsafeSlow;
  return typeof alloc === 'function' ? (bytes) => alloc.call(B, bytes) : undefined;
})();

/**
 * A copy of `source` that the caller owns. A large one goes into memory that is not zero-filled
 * (Node) and is written in full by the copy, so no byte of old memory shows: filling fresh memory
 * with zeros first costs a pass over it (W4a's 4 MiB result: ~0.34 -> ~0.27 ms per copy here).
 */
export function copyOut(source: TypedArray): TypedArray {
  const bytes = source.byteLength;
  if (bytes < UNINITIALISED_FROM_BYTES || !allocUnsafeSlow) return source.slice();
  const raw = allocUnsafeSlow(bytes);
  // An unpooled Buffer owns its whole ArrayBuffer; anything else (a polyfill) gets a plain copy.
  if (raw.byteOffset !== 0 || raw.buffer.byteLength !== bytes || !(raw.buffer instanceof ArrayBuffer))
    return source.slice();
  const copy = new (source.constructor as TypedArrayClass)(raw.buffer, 0, source.length);
  copy.set(source);
  return copy;
}
