import { afterEach, describe, expect, it, vi } from 'vitest';
import { SerializationError } from '../src/errors.js';
import { base64ToBytes, bytesToBase64 } from '../src/serialize/base64.js';

const bytes = (s: string) => new TextEncoder().encode(s);

// RFC 4648, section 10.
const VECTORS: [string, string][] = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];

/** Every byte value, in a pattern that spans chunk boundaries of the fallback codec. */
function allBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 131 + (i >> 8)) & 255;
  return out;
}

describe.each([
  ['the platform codec', () => {}],
  ['btoa/atob (no Buffer, no Uint8Array.fromBase64)', () => vi.stubGlobal('Buffer', undefined)],
])('base64 with %s', (_name, setup) => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('encodes and decodes the RFC 4648 vectors', () => {
    setup();
    for (const [plain, encoded] of VECTORS) {
      expect(bytesToBase64(bytes(plain))).toBe(encoded);
      expect(Array.from(base64ToBytes(encoded, 'p'))).toEqual(Array.from(bytes(plain)));
    }
  });

  it('round-trips 1 MiB + 7 bytes, and a view with an offset', () => {
    setup();
    const data = allBytes((1 << 20) + 7);
    const decoded = base64ToBytes(bytesToBase64(data), 'p');
    expect(decoded.length).toBe(data.length);
    expect(decoded.every((b, i) => b === data[i])).toBe(true);
    const view = data.subarray(3, 11);
    expect(Array.from(base64ToBytes(bytesToBase64(view), 'p'))).toEqual(Array.from(view));
  });

  it('rejects what is not base64, naming where', () => {
    setup();
    expect(() => base64ToBytes('Zm9v!A==', 'buffers[0].data')).toThrow(
      new SerializationError('invalid base64 character at 4', 'buffers[0].data'),
    );
    expect(() => base64ToBytes('Zg=a', 'p')).toThrow(/invalid base64 character at 2/);
    expect(() => base64ToBytes('Zm9', 'p')).toThrow(/not a multiple of 4/);
  });
});
