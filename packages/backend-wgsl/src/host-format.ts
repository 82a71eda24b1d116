import { BufferMismatchError } from '@paradox/backend';
import { type DType, type TypedArray, typedArrayFor } from '@paradox/ir';
import { WGSL_DTYPES } from './codegen/dtypes.js';

/**
 * Host <-> device element formats. float32/int32 are byte-identical. bool is a Uint8Array on the
 * host and one u32 per element on the device (WGSL cannot store bytes). float16 is a widened
 * Float32Array on the host and IEEE half bits on the device.
 */
export function deviceBytes(dtype: DType, size: number): number {
  return size * WGSL_DTYPES[dtype].bytes;
}

export function toDevice(dtype: DType, data: TypedArray): ArrayBufferView {
  switch (dtype) {
    case 'float32':
    case 'int32':
      return data;
    case 'bool':
      return Uint32Array.from(data as Uint8Array, (v) => (v ? 1 : 0));
    case 'float16':
      return Uint16Array.from(data as Float32Array, toHalfBits);
  }
  throw new BufferMismatchError(`wgsl: unsupported dtype ${String(dtype)}`);
}

export function fromDevice(dtype: DType, bytes: ArrayBuffer, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(bytes, 0, size);
    case 'int32':
      return new Int32Array(bytes, 0, size);
    case 'bool': {
      const out = typedArrayFor('bool', size);
      const words = new Uint32Array(bytes, 0, size);
      for (let i = 0; i < size; i++) out[i] = words[i] ? 1 : 0;
      return out;
    }
    case 'float16': {
      const out = typedArrayFor('float16', size);
      const halves = new Uint16Array(bytes, 0, size);
      for (let i = 0; i < size; i++) out[i] = fromHalfBits(halves[i]!);
      return out;
    }
  }
  throw new BufferMismatchError(`wgsl: unsupported dtype ${String(dtype)}`);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> IEEE half bits, round to nearest even; overflow to Inf, NaN stays NaN. */
export function toHalfBits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    // Subnormal half: shift the full mantissa, rounding to nearest even.
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const rest = mant & 0x1fff;
  let h = (e << 10) | (mant >>> 13);
  // A carry out of the mantissa bumps the exponent (and 0x7bff rounds up to Inf), as it should.
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
  return sign | h;
}

export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
