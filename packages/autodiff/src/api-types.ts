import type { Tensor } from '@paradox/tracer';

/**
 * The types of grad, valueAndGrad, vjp and jvp, derived from the differentiated function's own
 * parameter and return types: a gradient has its argument's type (the same pytree, gradient tensors
 * at the tensor leaves, static values kept).
 */

export type AnyFn = (...args: any[]) => any;

/** What grad and valueAndGrad differentiate: a function returning one float element (a tensor). */
export type ScalarFn = (...args: any[]) => Tensor;

/** Which arguments to differentiate: one index or a list of indices. */
export type Argnums = number | readonly number[];

export interface GradOptions<A extends Argnums = Argnums> {
  /** Which arguments to differentiate: one index (the gradient is that argument's pytree) or a list. Default 0. */
  argnums?: A;
}

/**
 * The gradient for `argnums` A of a function with parameters P: the argument's type for one index,
 * a tuple of the arguments' types for a list (`[0, 2]` gives `[P[0], P[2]]`).
 */
export type Gradients<P extends readonly unknown[], A extends Argnums> = A extends readonly number[]
  ? { -readonly [K in keyof A]: P[A[K] & number] }
  : P[A & number];
