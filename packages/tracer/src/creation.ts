import type { DType, OpAttrs } from '@paradox/ir';
import { userEntry } from './call-site.js';
import { executorFor } from './dispatch.js';
import { getEagerExecutor } from './eager/eager-executor.js';
import { TensorArgumentError } from './errors.js';
import { type TensorData, toHostData } from './host-data.js';
import { Tensor } from './tensor.js';
import { activeTrace } from './trace-stack.js';

/**
 * Creating tensors. tensor() places host data with the eager executor (inside a trace it stays on the
 * host, to be captured as a constant); the others are creation ops, so inside a trace they become
 * graph nodes (`full`, `iota`, `random`) rather than captured arrays.
 */

/** A tensor from nested arrays, a typed array or a scalar. JS numbers default to float32, booleans to bool. */
export function tensor(data: TensorData, shape?: readonly number[], dtype?: DType): Tensor {
  const host = toHostData(data, shape, dtype, true);
  const type = { dtype: host.dtype, shape: host.shape };
  // The tensor never aliases the caller's array. A typed array of the right type is copied once:
  // by the executor's upload where it has one (no host copy first), else here.
  const own = () => (host.borrowed ? host.data.slice() : host.data);
  if (activeTrace()) return new Tensor(type, { kind: 'host', data: own() });
  const executor = getEagerExecutor();
  const storage =
    host.borrowed && executor.fromCallerData
      ? executor.fromCallerData(host.data, type)
      : executor.fromHost(own(), type);
  return new Tensor(type, storage);
}

function checkShape(fn: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TensorArgumentError(fn, `shape [${String(shape)}] must be a list of non-negative integers`);
  }
  return [...shape];
}

function creationOp<P extends 'full' | 'iota' | 'random'>(op: P, attrs: OpAttrs[P]): Tensor {
  return executorFor([]).execute(op, [], attrs);
}

/**
 * A tensor of `shape` filled with `value`: bool for a boolean value, float32 otherwise (or `dtype`).
 * @function
 */
export const full = userEntry(function full(
  shape: readonly number[],
  value: number | boolean,
  dtype?: DType,
): Tensor {
  return creationOp('full', {
    shape: checkShape('full', shape),
    value: Number(value),
    dtype: dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'),
  });
});

/**
 * A tensor of `shape` filled with 0 (float32 unless `dtype`).
 * @function
 */
export const zeros = userEntry(
  (shape: readonly number[], dtype: DType = 'float32'): Tensor => full(shape, 0, dtype),
);
/**
 * A tensor of `shape` filled with 1 (float32 unless `dtype`).
 * @function
 */
export const ones = userEntry(
  (shape: readonly number[], dtype: DType = 'float32'): Tensor => full(shape, 1, dtype),
);

/**
 * numpy arange: `arange(stop)` or `arange(start, stop, step)`. int32 when every argument is an
 * integer, float32 otherwise (or `dtype`). Built as iota * step + start.
 * @function
 */
export const arange = userEntry(function arange(
  start: number,
  stop?: number,
  step = 1,
  dtype?: DType,
): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || ![start, stop, step].every(Number.isFinite)) {
    throw new TensorArgumentError(
      'arange',
      `start ${start}, stop ${stop}, step ${step} must be finite with a non-zero step`,
    );
  }
  const type = dtype ?? ([start, stop, step].every(Number.isInteger) ? 'int32' : 'float32');
  const length = Math.max(0, Math.ceil((stop - start) / step));
  let r = creationOp('iota', { shape: [length], axis: 0, dtype: type });
  if (step !== 1) r = r.mul(step);
  if (start !== 0) r = r.add(start);
  return r.dtype === type ? r : r.cast(type);
});

function checkSeed(fn: string, seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new TensorArgumentError(fn, `seed ${seed} must be an integer in [0, 2^32)`);
  }
  return seed;
}

/**
 * Uniform samples in [0, 1), reproducible from `seed` on every backend.
 * @function
 */
export const rand = userEntry(function rand(
  shape: readonly number[],
  seed: number,
  dtype: DType = 'float32',
): Tensor {
  return creationOp('random', {
    shape: checkShape('rand', shape),
    seed: checkSeed('rand', seed),
    dtype,
    distribution: 'uniform',
  });
});

/**
 * Standard normal samples, reproducible from `seed` (within float32 rounding) on every backend.
 * @function
 */
export const randn = userEntry(function randn(
  shape: readonly number[],
  seed: number,
  dtype: DType = 'float32',
): Tensor {
  return creationOp('random', {
    shape: checkShape('randn', shape),
    seed: checkSeed('randn', seed),
    dtype,
    distribution: 'normal',
  });
});
