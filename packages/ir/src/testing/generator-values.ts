import { type DType, typedArrayFor } from '../dtype.js';
import type { HostTensor } from '../interpreter-types.js';
import { numel } from '../shape.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * The numbers the graph generator feeds programs: values every backend must treat bit for bit
 * alike (signed zeros, NaN, infinities, int32 extremes that overflow, values that divide by zero),
 * next to ordinary ones. Float inputs avoid subnormals (WebGPU may flush them, as documented).
 */
export const SPECIAL_FLOATS = [Number.NaN, Infinity, -Infinity, 0, -0] as const;
const BIG_FLOATS = [1e20, -1e20, 3e38, -3e38] as const;
export const EDGE_INTS = [0, 1, -1, 2, -2, 7, -7, 46341, 65536, 1e9, -1e9, 2147483647, -2147483648] as const;

/** A float32 input value: mostly exact eighths in [-8, 8], sometimes special or huge. */
export function floatValue(rng: SeededRandom, specials: number): number {
  if (rng.chance(specials)) return rng.pick(SPECIAL_FLOATS);
  if (rng.chance(0.03)) return rng.pick(BIG_FLOATS);
  if (rng.chance(0.1)) return Math.fround(rng.float() * 6 - 3);
  return rng.int(-64, 64) / 8;
}

export function intValue(rng: SeededRandom, edges: number): number {
  return rng.chance(edges) ? rng.pick(EDGE_INTS) : rng.int(-9, 9);
}

/** A scalar for `constant`, `full` or `pad` of `dtype`, in that dtype's range. */
export function scalarFor(rng: SeededRandom, dtype: DType): number {
  if (dtype === 'bool') return rng.int(0, 1);
  if (dtype === 'int32') return intValue(rng, 0.35);
  return floatValue(rng, 0.35);
}

/** Largest finite magnitude a float input may hold (the generator keeps transcendentals in range). */
export function inputMagnitude(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]!);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

export function inputTensor(rng: SeededRandom, dtype: DType, shape: number[], specials: number): HostTensor {
  const data = typedArrayFor(dtype, numel(shape));
  for (let i = 0; i < data.length; i++) {
    data[i] =
      dtype === 'bool' ? rng.int(0, 1) : dtype === 'int32' ? intValue(rng, 0.2) : floatValue(rng, specials);
  }
  return { dtype, shape: [...shape], data };
}
