import type { TypedArray } from '../dtype.js';
import { SerializationError } from '../errors.js';

/** Buffer storage kinds in documents, named by the dtype they hold (float16 is stored widened as float32). */
export type StorageDType = 'float32' | 'int32' | 'bool';

/**
 * Base64 through the platform's own codecs (Uint8Array.prototype.toBase64 / Uint8Array.fromBase64
 * where present, else Node's Buffer, else btoa/atob): a hand-written loop took ~600 ms on 4 MiB
 * of weights, these take a few ms. Input is validated first, since Buffer and fromBase64 differ in
 * what they tolerate.
 */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const IN_ALPHABET = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) IN_ALPHABET[ALPHABET.charCodeAt(i)] = 1;

type NodeBufferLike = Omit<Uint8Array, 'toString'> &
  ArrayLike<number> & { toString(encoding: 'base64'): string };
interface NodeBufferClass {
  from(data: ArrayBufferLike, byteOffset: number, length: number): NodeBufferLike;
  from(text: string, encoding: 'base64'): NodeBufferLike;
}
type WithToBase64 = Uint8Array & { toBase64?: () => string };
type WithFromBase64 = typeof Uint8Array & { fromBase64?: (text: string) => Uint8Array };

/** Looked up on each call: tests (and odd hosts) may lack Buffer. */
const nodeBuffer = (): NodeBufferClass | undefined => (globalThis as { Buffer?: NodeBufferClass }).Buffer;

export function bytesToBase64(bytes: Uint8Array): string {
  const own = (bytes as WithToBase64).toBase64;
  if (typeof own === 'function') return own.call(bytes);
  const buffer = nodeBuffer();
  if (buffer) return buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  const CHUNK = 0x8000; // String.fromCharCode's argument count stays well under engine limits
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export function base64ToBytes(text: string, path: string): Uint8Array {
  if (text.length % 4 !== 0) throw new SerializationError('base64 length is not a multiple of 4', path);
  // The regex is the quick check (native); the loop only says where it fails.
  if (!BASE64.test(text))
    throw new SerializationError(`invalid base64 character at ${firstInvalid(text)}`, path);
  const fromBase64 = (Uint8Array as WithFromBase64).fromBase64;
  if (typeof fromBase64 === 'function') return fromBase64(text);
  const buffer = nodeBuffer();
  // A copy: small Buffers share a pool, and callers read `.buffer` from offset 0.
  if (buffer) return new Uint8Array(buffer.from(text, 'base64'));
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The index of the first character that is not base64 (`=` only as trailing padding), or -1. */
function firstInvalid(text: string): number {
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const end = text.length - pad;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || IN_ALPHABET[c] === 0) return i;
  }
  return -1;
}

export function storageOf(data: TypedArray): StorageDType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

/** Typed array -> { dtype, data: base64 of its little-endian bytes }. */
export function encodeBuffer(data: TypedArray): { dtype: StorageDType; data: string } {
  const dtype = storageOf(data);
  const bytes = new Uint8Array(data.length * data.BYTES_PER_ELEMENT);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'float32') view.setFloat32(i * 4, data[i]!, true);
    else if (dtype === 'int32') view.setInt32(i * 4, data[i]!, true);
    else bytes[i] = data[i]!;
  }
  return { dtype, data: bytesToBase64(bytes) };
}

export function decodeBuffer(buf: { dtype: StorageDType; data: string }, path: string): TypedArray {
  const bytes = base64ToBytes(buf.data, `${path}.data`);
  if (buf.dtype === 'bool') {
    if (bytes.some((b) => b > 1))
      throw new SerializationError('bool buffer holds a value other than 0 or 1', path);
    return bytes;
  }
  if (bytes.length % 4 !== 0)
    throw new SerializationError(
      `${bytes.length} bytes is not a whole number of ${buf.dtype} elements`,
      path,
    );
  const view = new DataView(bytes.buffer);
  const n = bytes.length / 4;
  if (buf.dtype === 'float32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}
