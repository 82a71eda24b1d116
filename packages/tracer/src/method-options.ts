import type { TensorLike } from './operands.js';

/** The option types of tensor methods (TensorOps), exported as part of the public API. */

/** Axes for reductions: one axis, a list, or undefined for all axes. Negative axes count from the end. */
export type Axes = number | readonly number[] | undefined;

export interface LayerNormOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /** Scale, broadcast against the last axis. */
  gamma?: TensorLike;
  /** Shift, broadcast against the last axis. */
  beta?: TensorLike;
}
