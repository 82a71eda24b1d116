import type { TypedArray } from '../dtype.js';
import { SerializationError } from '../errors.js';

/** Buffer storage kinds in documents, named by the dtype they hold (float16 is stored widened as float32). */
export type StorageDType = 'float32' | 'int32' | 'bool';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

export function base64ToBytes(text: string, path: string): Uint8Array {
  if (text.length % 4 !== 0) throw new SerializationError('base64 length is not a multiple of 4', path);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const ch = text.charCodeAt(i + k);
      const isPad = ch === 61 && i + k >= text.length - pad;
      const v = isPad ? 0 : ch < 128 ? LOOKUP[ch]! : -1;
      if (v < 0) throw new SerializationError(`invalid base64 character at ${i + k}`, path);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
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
