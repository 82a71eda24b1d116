import type { Attrs, BuiltinOpAttrs, BuiltinOpName } from '@paradox/ir';
import { full, type Tensor } from '@paradox/tracer';

/**
 * Reverse mode: the cotangent of each input (undefined where `needs[i]` is false or the input gets
 * none) from the output's cotangent. Rules are written with tensor ops, so they are themselves
 * differentiable (grad of grad) and trace under jit like any other code.
 */
export type VjpRule<A> = (
  ct: Tensor,
  inputs: readonly Tensor[],
  out: Tensor,
  attrs: A,
  needs: readonly boolean[],
) => (Tensor | undefined)[];

/** Forward mode: the output's tangent from the inputs' tangents (undefined = zero tangent). */
export type JvpRule<A> = (
  tangents: readonly (Tensor | undefined)[],
  inputs: readonly Tensor[],
  out: Tensor,
  attrs: A,
) => Tensor;

export interface DerivativeRule<A = Attrs> {
  vjp: VjpRule<A>;
  jvp: JvpRule<A>;
}

/** Marks an op whose output carries no gradient (comparisons, rounding, indices, creation). */
export const NON_DIFFERENTIABLE = 'non-differentiable' as const;
export type NonDifferentiable = typeof NON_DIFFERENTIABLE;

/** One entry per built-in op: a missing op is a compile error. */
export type BuiltinRuleTable = {
  [P in BuiltinOpName]: DerivativeRule<BuiltinOpAttrs[P]> | NonDifferentiable;
};

export const zerosLike = (x: Tensor): Tensor => full(x.shape, 0, x.dtype);

/**
 * An elementwise op's rule from one function per input: `d[i](t, inputs, out)` is `t * d out/d x_i`.
 * That linear map is its own transpose (diagonal), so it gives both the VJP and the JVP.
 */
export function elementwise<A>(
  ...d: ((t: Tensor, inputs: readonly Tensor[], out: Tensor) => Tensor)[]
): DerivativeRule<A> {
  return {
    vjp: (ct, inputs, out, _attrs, needs) => d.map((di, i) => (needs[i] ? di(ct, inputs, out) : undefined)),
    jvp: (tangents, inputs, out) => {
      let sum: Tensor | undefined;
      d.forEach((di, i) => {
        const t = tangents[i];
        if (t === undefined) return;
        const term = di(t, inputs, out);
        sum = sum === undefined ? term : sum.add(term);
      });
      return sum ?? zerosLike(out);
    },
  };
}

/** Sums `g` over the axes a broadcast from `shape` added or stretched, back to `shape`. */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return axes.length === 0 ? g : g.sum(axes).reshape(shape);
}

/** `shape` with the reduced axes kept as size 1. */
export const keptShape = (shape: readonly number[], axes: readonly number[]): number[] =>
  shape.map((d, i) => (axes.includes(i) ? 1 : d));
