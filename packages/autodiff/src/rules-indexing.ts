import type { BuiltinOpAttrs } from '@paradox/ir';
import { apply, type Tensor } from '@paradox/tracer';
import {
  type DerivativeRule,
  elementwise,
  NON_DIFFERENTIABLE,
  type NonDifferentiable,
  zerosLike,
} from './rule-types.js';

type Op = 'gather' | 'scatterAdd' | 'erf' | 'argmin';
type Table = { [P in Op]: DerivativeRule<BuiltinOpAttrs[P]> | NonDifferentiable };

/** 2 / sqrt(pi): erf'(x) = 2 / sqrt(pi) * exp(-x^2). */
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

const gather = (data: Tensor, indices: Tensor, axis: number): Tensor =>
  apply('gather', [data, indices], { axis });
const scatterAdd = (data: Tensor, indices: Tensor, updates: Tensor, axis: number): Tensor =>
  apply('scatterAdd', [data, indices, updates], { axis });

/**
 * gather and scatterAdd are linear in their float operands and each other's transpose: the
 * cotangent of a gather's table is the cotangent scattered (added) back to the rows it read, and
 * an update's cotangent is the result's cotangent gathered at its row. Indices get none.
 */
export const indexingRules: Table = {
  gather: {
    vjp: (ct, [data, indices], _out, { axis }, needs) => [
      needs[0] ? scatterAdd(zerosLike(data!), indices!, ct, axis) : undefined,
      undefined,
    ],
    jvp: ([t], [, indices], out, { axis }) => (t ? gather(t, indices!, axis) : zerosLike(out)),
  },
  scatterAdd: {
    vjp: (ct, [, indices], _out, { axis }, needs) => [
      needs[0] ? ct : undefined,
      undefined,
      needs[2] ? gather(ct, indices!, axis) : undefined,
    ],
    jvp: ([td, , tu], [data, indices, updates], _out, { axis }) =>
      scatterAdd(td ?? zerosLike(data!), indices!, tu ?? zerosLike(updates!), axis),
  },
  erf: elementwise((t, [x]) => t.mul(x!.mul(x!).neg().exp().mul(TWO_OVER_SQRT_PI))),
  argmin: NON_DIFFERENTIABLE,
};
