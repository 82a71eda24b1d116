import type { BinaryOp, BuiltinOpAttrs, UnaryOp } from '@paradox/ir';
import type { Tensor } from '@paradox/tracer';
import {
  type DerivativeRule,
  elementwise,
  NON_DIFFERENTIABLE,
  type NonDifferentiable,
  zerosLike,
} from './rule-types.js';

type Table<K extends keyof BuiltinOpAttrs> = {
  [P in K]: DerivativeRule<BuiltinOpAttrs[P]> | NonDifferentiable;
};

const first = (i: readonly Tensor[]): Tensor => i[0]!;
const second = (i: readonly Tensor[]): Tensor => i[1]!;
/** 1 where `a > b`, 0.5 where they tie, else 0: ties split the gradient equally (as JAX does). */
const winShare = (a: Tensor, b: Tensor): Tensor => a.gt(b).cast(a.dtype).add(a.eq(b).cast(a.dtype).mul(0.5));

export const unaryRules: Table<UnaryOp | 'cast'> = {
  neg: elementwise((t) => t.neg()),
  abs: elementwise((t, i) => t.mul(first(i).sign())),
  exp: elementwise((t, _i, out) => t.mul(out)),
  log: elementwise((t, i) => t.div(first(i))),
  sqrt: elementwise((t, _i, out) => t.div(out.mul(2))),
  rsqrt: elementwise((t, _i, out) => t.mul(out.mul(out).mul(out).mul(-0.5))),
  sin: elementwise((t, i) => t.mul(first(i).cos())),
  cos: elementwise((t, i) => t.mul(first(i).sin().neg())),
  tanh: elementwise((t, _i, out) => t.mul(out.mul(out).neg().add(1))),
  sigmoid: elementwise((t, _i, out) => t.mul(out.mul(out.neg().add(1)))),
  // relu'(0) = 0, as JAX and tfjs.
  relu: elementwise((t, i) => first(i).gt(0).where(t, 0)),
  floor: NON_DIFFERENTIABLE,
  ceil: NON_DIFFERENTIABLE,
  sign: NON_DIFFERENTIABLE,
  not: NON_DIFFERENTIABLE,
  // Float-to-float casts carry the gradient back in the input's dtype; a cast to int32 or bool has a
  // non-float result, which autodiff never differentiates (zero gradient).
  cast: {
    vjp: (ct, inputs) => [ct.cast(first(inputs).dtype)],
    jvp: ([t], _inputs, out) => t!.cast(out.dtype),
  },
};

export const binaryRules: Table<BinaryOp> = {
  add: elementwise(
    (t) => t,
    (t) => t,
  ),
  sub: elementwise(
    (t) => t,
    (t) => t.neg(),
  ),
  mul: elementwise(
    (t, i) => t.mul(second(i)),
    (t, i) => t.mul(first(i)),
  ),
  div: elementwise(
    (t, i) => t.div(second(i)),
    (t, i, out) => t.mul(out).div(second(i)).neg(),
  ),
  pow: elementwise(
    (t, i) => t.mul(second(i).mul(first(i).pow(second(i).sub(1)))),
    // d/db a^b = a^b log a, taken as 0 where a = 0 (as JAX), so 0^b does not give NaN.
    (t, i, out) => t.mul(first(i).eq(0).where(1, first(i)).log().mul(out)),
  ),
  maximum: elementwise(
    (t, i) => t.mul(winShare(first(i), second(i))),
    (t, i) => t.mul(winShare(second(i), first(i))),
  ),
  minimum: elementwise(
    (t, i) => t.mul(winShare(second(i), first(i))),
    (t, i) => t.mul(winShare(first(i), second(i))),
  ),
  // Floor modulo: a mod b = a - floor(a / b) * b.
  mod: elementwise(
    (t) => t,
    (t, i) => t.mul(first(i).div(second(i)).floor().neg()),
  ),
  eq: NON_DIFFERENTIABLE,
  ne: NON_DIFFERENTIABLE,
  lt: NON_DIFFERENTIABLE,
  le: NON_DIFFERENTIABLE,
  gt: NON_DIFFERENTIABLE,
  ge: NON_DIFFERENTIABLE,
  and: NON_DIFFERENTIABLE,
  or: NON_DIFFERENTIABLE,
};

export const whereRule: DerivativeRule<BuiltinOpAttrs['where']> = {
  vjp: (ct, [c], _out, _attrs, needs) => [
    undefined,
    needs[1] ? c!.where(ct, 0) : undefined,
    needs[2] ? c!.where(0, ct) : undefined,
  ],
  jvp: ([, ta, tb], [c, a, b]) => c!.where(ta ?? zerosLike(a!), tb ?? zerosLike(b!)),
};
