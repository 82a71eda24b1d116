import type { BuiltinOpAttrs, ReduceAttrs } from '@paradox/ir';
import { apply, type Tensor } from '@paradox/tracer';
import { type DerivativeRule, keptShape, NON_DIFFERENTIABLE, type NonDifferentiable } from './rule-types.js';

type ReduceOp = 'sum' | 'max' | 'min' | 'prod' | 'argmax';
type Table = { [P in ReduceOp]: DerivativeRule<BuiltinOpAttrs[P]> | NonDifferentiable };

/** A reduced value (with or without kept axes) broadcast back over the input's shape. */
const expand = (y: Tensor, x: Tensor, { axes }: ReduceAttrs): Tensor =>
  y.reshape(keptShape(x.shape, axes)).broadcastTo(x.shape);

/**
 * A reduction whose derivative is `weight` (shaped like the input) times the output's: the VJP
 * spreads the cotangent over the reduced axes with it, the JVP sums tangent times weight.
 */
function weighted(
  weight: (x: Tensor, out: Tensor, attrs: ReduceAttrs) => Tensor,
): DerivativeRule<ReduceAttrs> {
  return {
    vjp: (ct, [x], out, attrs) => [expand(ct, x!, attrs).mul(weight(x!, out, attrs))],
    jvp: ([t], [x], out, attrs) => t!.mul(weight(x!, out, attrs)).sum(attrs.axes, attrs.keepdims),
  };
}

/**
 * max/min: the gradient goes to every element equal to the result, divided equally among ties
 * (JAX's rule; tfjs gives each tied element the whole gradient).
 */
const chooser = weighted((x, out, attrs) => {
  const hit = x.eq(expand(out, x, attrs)).cast(x.dtype);
  return hit.div(hit.sum(attrs.axes, true));
});

/**
 * prod: d out / d x_i = product of the other elements, computed without dividing by zero: out / x
 * when the reduced row has no zero, the product of the rest at its only zero, 0 with two or more.
 */
const prodWeight = weighted((x, out, attrs) => {
  const isZero = x.eq(0);
  const zeros = isZero.cast(x.dtype).sum(attrs.axes, true);
  const safe = isZero.where(1, x);
  const restAtZero = safe.prod(attrs.axes, true);
  const noZero = expand(out, x, attrs).div(safe);
  return zeros.eq(0).where(noZero, isZero.and(zeros.eq(1)).where(restAtZero, 0));
});

export const reduceRules: Table = {
  sum: {
    vjp: (ct, [x], _out, attrs) => [expand(ct, x!, attrs)],
    jvp: ([t], _inputs, _out, attrs) => apply('sum', [t!], attrs),
  },
  max: chooser,
  min: chooser,
  prod: prodWeight,
  argmax: NON_DIFFERENTIABLE,
};
