import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** An IDX file that is not what it claims (bad magic, unsupported element type, truncated). */
export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
  constructor(where: string, detail: string) {
    super(`${where}: ${detail}`);
  }
}

export interface IdxArray {
  /** Dimensions, outermost first (images: [count, rows, columns]; labels: [count]). */
  shape: number[];
  data: Uint8Array;
}

/**
 * Parses IDX (LeCun's MNIST format): two zero bytes, an element type (0x08: unsigned byte, the only
 * one MNIST-family files use), the number of dimensions, each dimension as a big-endian u32, then
 * the elements row-major.
 */
export function parseIdx(bytes: Uint8Array, where = 'idx'): IdxArray {
  if (bytes.length < 4)
    throw new IdxFormatError(where, `${bytes.length} bytes is shorter than the 4-byte header`);
  if (bytes[0] !== 0 || bytes[1] !== 0)
    throw new IdxFormatError(where, `bad magic ${bytes[0]}, ${bytes[1]} (IDX starts with two zero bytes)`);
  if (bytes[2] !== 0x08)
    throw new IdxFormatError(
      where,
      `element type 0x${bytes[2]!.toString(16)} is not supported (only 0x08, unsigned byte)`,
    );
  const rank = bytes[3]!;
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header)
    throw new IdxFormatError(
      where,
      `rank ${rank} needs a ${header}-byte header, the file has ${bytes.length} bytes`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== count)
    throw new IdxFormatError(
      where,
      `shape [${shape.join(', ')}] holds ${count} elements, the file has ${bytes.length - header} after the header`,
    );
  return { shape, data: bytes.subarray(header) };
}

/** Reads an IDX file, gunzipping it when it starts with gzip's magic (the Debian package ships .gz). */
export function readIdx(path: string): IdxArray {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return parseIdx(bytes, path);
}
