import { type DType, numel, type TypedArray, typedArrayFor } from '@paradox/ir';

/** Deterministic test data: a small PRNG (mulberry32) so every backend sees the same inputs. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FLOAT_SPECIALS = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  1,
  -1,
  0.5,
  -2.5,
  1e-30,
  -1e30,
  88.5,
  -90,
  3.75,
];
export const INT_SPECIALS = [0, 1, -1, 7, -7, 2147483647, -2147483648, 3, -3, 100000, -65536, 46341, 2];

export interface DataOptions {
  /** Mix these values in (cycled through the first elements). */
  specials?: readonly number[];
  /** Float range is [-scale, scale]; int range [-scale, scale]. */
  scale?: number;
  /** Only positive values (e.g. for log/sqrt when specials are off). */
  positive?: boolean;
}

/** An array of `dtype` for `shape`, deterministic in `seed`. */
export function makeData(
  dtype: DType,
  shape: readonly number[],
  seed: number,
  options: DataOptions = {},
): TypedArray {
  const n = numel(shape);
  const out = typedArrayFor(dtype, n);
  const next = rng(seed);
  const scale = options.scale ?? (dtype === 'int32' ? 9 : 2);
  const specials = options.specials ?? [];
  for (let i = 0; i < n; i++) {
    if (i < specials.length) {
      out[i] = specials[i]!;
      continue;
    }
    const u = options.positive ? next() : next() * 2 - 1;
    out[i] =
      dtype === 'bool' ? (next() < 0.5 ? 1 : 0) : dtype === 'int32' ? Math.round(u * scale) : u * scale;
  }
  return out;
}
