import { userEntry } from './call-site.js';
import { arange, full } from './creation.js';
import { TensorArgumentError } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * JAX-style PRNG keys as ordinary tensors: a key is an int32 scalar, so a jitted step that takes it
 * as an argument runs the same compiled program for every key (no retrace per seed). Numbers come
 * from a counter-based hash built from ordinary int32 ops (wrapping add and multiply, floor division
 * by powers of two as arithmetic shifts), so every backend computes exactly the reference
 * interpreter's bits with no kernel-IR support: randomness fuses like any elementwise chain.
 * (The `random` op's seed is a compile-time attribute; a key must be a run-time value.)
 */

const MUL_1 = 0x7feb352d;
const MUL_2 = 0x846ca68b | 0;
const SPLIT = 0x2545f491;
const FOLD = 0x5851f42d;
const NORMAL_2 = 0x14057b7e;

/** An int32 finalizer (murmur style, `+ (x >> k)` where the u32 version has `^ (x >>> k)`): a bijection. */
function mix(x: Tensor): Tensor {
  let v = x.add(x.div(65536));
  v = v.mul(MUL_1);
  v = v.add(v.div(32768));
  v = v.mul(MUL_2);
  return v.add(v.div(65536));
}

/** Swaps the 16-bit halves (a rotation: floor division and wrapping multiply stand in for shifts). */
const rotate16 = (v: Tensor): Tensor => v.div(65536).mod(65536).add(v.mul(65536));

/**
 * The bits of counter `counter` in the stream of `key`: Widynski's "Squares" rounds on 32-bit words
 * (squaring is the nonlinearity that add, multiply and shift alone lack: streams of nearby keys
 * were correlated without it), then the finalizer.
 */
function hash(counter: Tensor, key: Tensor): Tensor {
  const k = mix(key).mul(2).add(1); // odd
  const y = counter.add(1).mul(k);
  const z = y.add(k);
  let v = rotate16(y.mul(y).add(y));
  v = rotate16(v.mul(v).add(z));
  v = rotate16(v.mul(v).add(y));
  return mix(v.mul(v).add(z));
}

function checkKey(fn: string, key: Tensor): Tensor {
  if (!(key instanceof Tensor) || key.dtype !== 'int32' || key.shape.length !== 0)
    throw new TensorArgumentError(
      fn,
      'key must be an int32 scalar tensor (from prngKey, splitKey or foldIn)',
    );
  return key;
}

const checkShape = (fn: string, shape: readonly number[]): number[] => {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new TensorArgumentError(fn, `shape [${String(shape)}] must be a list of non-negative integers`);
  return [...shape];
};

/**
 * A key from an integer seed (any integer; taken modulo 2^32).
 * @function
 */
export const prngKey = userEntry(function prngKey(seed: number): Tensor {
  if (!Number.isInteger(seed)) throw new TensorArgumentError('prngKey', `seed ${seed} must be an integer`);
  return full([], seed | 0, 'int32');
});

/**
 * `n` new keys, independent of each other and of `key` (JAX's split).
 * @function
 */
export const splitKey = userEntry(function splitKey(key: Tensor, n = 2): Tensor[] {
  checkKey('splitKey', key);
  if (!(Number.isInteger(n) && n >= 1))
    throw new TensorArgumentError('splitKey', `n ${n} must be a positive integer`);
  const keys = hash(arange(n), key.add(SPLIT));
  return Array.from({ length: n }, (_, i) => keys.slice([i], [i + 1]).reshape([]));
});

/**
 * A key derived from `key` and an integer (a number, or an int32 scalar tensor such as a step count).
 * @function
 */
export const foldIn = userEntry(function foldIn(key: Tensor, data: number | Tensor): Tensor {
  checkKey('foldIn', key);
  const d = typeof data === 'number' ? full([], data | 0, 'int32') : data;
  if (!(d instanceof Tensor) || d.dtype !== 'int32' || d.shape.length !== 0)
    throw new TensorArgumentError('foldIn', 'data must be an integer or an int32 scalar tensor');
  return hash(d, key.add(FOLD));
});

/**
 * Uniform float32 samples in [0, 1): the top 24 bits of counter i's hash at flat element i (exact in float32).
 * @function
 */
export const uniform = userEntry(function uniform(key: Tensor, shape: readonly number[]): Tensor {
  checkKey('uniform', key);
  const s = checkShape('uniform', shape);
  const counters = arange(s.reduce((a, b) => a * b, 1)).reshape(s);
  return hash(counters, key)
    .div(256)
    .mod(1 << 24)
    .cast('float32')
    .mul(2 ** -24);
});

/**
 * Standard normal samples (Box-Muller over two uniform streams).
 * @function
 */
export const normal = userEntry(function normal(key: Tensor, shape: readonly number[]): Tensor {
  checkKey('normal', key);
  const s = checkShape('normal', shape);
  const u1 = uniform(key, s).neg().add(1); // (0, 1]: log is finite
  const u2 = uniform(foldIn(key, NORMAL_2), s);
  return u1
    .log()
    .mul(-2)
    .sqrt()
    .mul(u2.mul(2 * Math.PI).cos());
});

/**
 * true with probability `p` per element.
 * @function
 */
export const bernoulli = userEntry(function bernoulli(
  key: Tensor,
  p: number,
  shape: readonly number[],
): Tensor {
  if (!(p >= 0 && p <= 1)) throw new TensorArgumentError('bernoulli', `p ${p} must be in [0, 1]`);
  return uniform(key, shape).lt(p);
});

/**
 * Inverted dropout: each element is zeroed with probability `rate` and the rest scaled by
 * 1 / (1 - rate), so the expectation is unchanged. `key` is a tensor, so under jit a new key per
 * step reuses the compiled program. Differentiable in `x` (the mask is a constant).
 * @function
 */
export const dropout = userEntry(function dropout(x: Tensor, rate: number, key: Tensor): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new TensorArgumentError('dropout', `rate ${rate} must be in [0, 1)`);
  checkKey('dropout', key);
  if (rate === 0) return x;
  const keep = bernoulli(key, 1 - rate, x.shape);
  return x.mul(keep.cast(x.dtype)).mul(1 / (1 - rate));
});
