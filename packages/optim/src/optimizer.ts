import { full, type Tensor } from '@paradox/tracer';
import { OptimizerArgumentError, OptimizerConfigError } from './errors.js';

/** A fixed rate, or a schedule: a tensor function of the step count (float32 scalar, 0 on the first step). */
export type LearningRate = number | ((count: Tensor) => Tensor);

/** Every optimizer's state carries its step count, a float32 scalar tensor, so steps never retrace. */
export interface OptimizerState {
  count: Tensor;
}

/**
 * A gradient transformation as pure tensor functions over parameter pytrees (objects and arrays of
 * tensors): `init` makes the state, `update` returns new parameters and state. Both run eagerly or
 * inside a jit trace, so `jit(step)` compiles forward, backward and update into one program.
 */
export interface Optimizer<S extends OptimizerState = OptimizerState> {
  readonly name: string;
  init<P>(params: P): S;
  update<P>(grads: P, state: S, params: P): [P, S];
}

/** The rate for this step as a tensor or a number. */
export function rateAt(rate: LearningRate, count: Tensor): Tensor | number {
  return typeof rate === 'number' ? rate : rate(count);
}

export function checkRate(optimizer: string, rate: LearningRate): void {
  if (typeof rate === 'function') return;
  if (!(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0))
    throw new OptimizerConfigError(
      optimizer,
      `learningRate must be a finite number >= 0 or a schedule, got ${rate}`,
    );
}

export function checkInUnit(optimizer: string, name: string, value: number, closedAbove = false): void {
  const ok = Number.isFinite(value) && value >= 0 && (closedAbove ? value <= 1 : value < 1);
  if (!ok)
    throw new OptimizerConfigError(
      optimizer,
      `${name} must be in [0, 1${closedAbove ? ']' : ')'}, got ${value}`,
    );
}

export function checkNonNegative(optimizer: string, name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0))
    throw new OptimizerConfigError(optimizer, `${name} must be a finite number >= 0, got ${value}`);
}

/** A fresh step counter (0). */
export const zeroCount = (): Tensor => full([], 0, 'float32');

export function checkCount(where: string, count: unknown): Tensor {
  const c = count as Tensor | undefined;
  if (!c || typeof c !== 'object' || !('dtype' in c) || c.dtype !== 'float32' || c.shape.length !== 0)
    throw new OptimizerArgumentError(where, 'state.count must be a float32 scalar tensor (from init())');
  return c;
}
