import { isFloat, shapesEqual } from '@paradox/ir';
import {
  flattenTree,
  full,
  type Tensor,
  type TreeDef,
  unflattenTree,
  withTraceInterpreter,
} from '@paradox/tracer';
import type { AnyFn, Argnums, Gradients, GradOptions, ScalarFn } from './api-types.js';
import { DifferentiationArgumentError, NonScalarOutputError } from './errors.js';
import { Forward } from './forward.js';
import { zerosLike } from './rule-types.js';
import { atSourceOf, Tape } from './tape.js';

/**
 * Fresh float leaves for a differentiated pytree: an identity reshape at the levels outside, so a
 * tensor that an enclosing grad also differentiates is a different value here (no perturbation
 * confusion in grad of grad).
 */
function freshLeaves(where: string, tree: unknown, index: number): { leaves: Tensor[]; treedef: TreeDef } {
  const { leaves, treedef } = flattenTree(tree);
  return {
    treedef,
    leaves: leaves.map((x, j) => {
      if (!isFloat(x.dtype)) {
        throw new DifferentiationArgumentError(
          where,
          `argument ${index}, leaf ${j} is ${x.dtype}: only float tensors are differentiated (pass it as a non-differentiated argument)`,
        );
      }
      return x.reshape(x.shape);
    }),
  };
}

function checkLike(where: string, what: string, given: Tensor, like: Tensor): void {
  if (given.dtype !== like.dtype || !shapesEqual(given.shape, like.shape)) {
    throw new DifferentiationArgumentError(
      where,
      `${what} is ${given.dtype}[${given.shape}], the value it goes with is ${like.dtype}[${like.shape}]`,
    );
  }
}

/**
 * Reverse mode (JAX's `vjp`): runs `f` on `primals` (pytrees of float tensors) and returns its
 * result and a function from a cotangent (a pytree shaped like the result) to one gradient pytree
 * per primal. Call the function inside the same jit trace as `vjp`, if any.
 */
export function vjp<F extends AnyFn>(
  f: F,
  ...primals: Parameters<F>
): [ReturnType<F>, (cotangent: ReturnType<F>) => Parameters<F>] {
  const tape = new Tape();
  const fresh = primals.map((p, i) => freshLeaves('vjp', p, i));
  for (const { leaves } of fresh) for (const x of leaves) tape.track(x);
  const args = fresh.map(({ leaves, treedef }) => unflattenTree(treedef, leaves));
  const out = withTraceInterpreter(tape, () => f(...args)) as ReturnType<F>;
  const outputs = flattenTree(out);
  const backward = (cotangent: ReturnType<F>): Parameters<F> => {
    const cts = flattenTree(cotangent);
    if (cts.treedef.key !== outputs.treedef.key) {
      throw new DifferentiationArgumentError(
        'vjp',
        `the cotangent's structure ${cts.treedef.key} differs from the result's ${outputs.treedef.key}`,
      );
    }
    cts.leaves.forEach((ct, i) => {
      checkLike('vjp', `cotangent leaf ${i}`, ct, outputs.leaves[i]!);
    });
    const wrt = fresh.flatMap(({ leaves }) => leaves);
    const grads = tape.backward(outputs.leaves, cts.leaves, wrt);
    let k = 0;
    return fresh.map(({ leaves, treedef }) =>
      unflattenTree(
        treedef,
        leaves.map((x) => grads[k++] ?? zerosLike(x)),
      ),
    ) as Parameters<F>;
  };
  return [out, backward];
}

function argnumList(where: string, argnums: Argnums | undefined, count: number): number[] {
  const list = argnums === undefined ? [0] : typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const i of list) {
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new DifferentiationArgumentError(
        where,
        `argnums entry ${i} is not an argument index (called with ${count})`,
      );
    }
  }
  return list;
}

/**
 * `f`'s value and its gradient with respect to the `argnums` arguments; `f` returns one float element.
 * Typed from `f`: `valueAndGrad((p: Params, x: Tensor) => loss)` returns `[Tensor, Params]`, and
 * `{ argnums: [0, 1] }` gives `[Tensor, [Params, Tensor]]`.
 */
export function valueAndGrad<F extends ScalarFn, const A extends Argnums = 0>(
  f: F,
  options: GradOptions<A> = {},
): (...args: Parameters<F>) => [ReturnType<F>, Gradients<Parameters<F>, A>] {
  return (...args) => {
    const nums = argnumList('valueAndGrad', options.argnums, args.length);
    const partial = (...diff: unknown[]) => {
      const all = [...args];
      nums.forEach((i, k) => {
        all[i] = diff[k];
      });
      return f(...all);
    };
    const [out, backward] = vjp(partial, ...nums.map((i) => args[i])) as [unknown, (ct: Tensor) => unknown[]];
    const value = out as unknown;
    const isTensor = typeof value === 'object' && value !== null && 'dtype' in value && 'shape' in value;
    if (!isTensor) throw new NonScalarOutputError('grad', 'it returned something else than a tensor');
    const y = value as Tensor;
    if (y.size !== 1 || !isFloat(y.dtype)) {
      throw new NonScalarOutputError('grad', `it returned ${y.dtype}[${y.shape}]`);
    }
    const grads = backward(atSourceOf(y, () => full(y.shape, 1, y.dtype)));
    const gradients = typeof options.argnums === 'object' ? grads : grads[0];
    return [y as ReturnType<F>, gradients as Gradients<Parameters<F>, A>];
  };
}

/**
 * The gradient of `f` (which returns one float element) with respect to the `argnums` arguments,
 * typed as those arguments: `grad((x: Tensor) => x.mul(x).sum())` returns `(x: Tensor) => Tensor`.
 */
export function grad<F extends ScalarFn, const A extends Argnums = 0>(
  f: F,
  options: GradOptions<A> = {},
): (...args: Parameters<F>) => Gradients<Parameters<F>, A> {
  const both = valueAndGrad(f, options);
  return (...args) => both(...args)[1];
}

/**
 * Forward mode (JAX's `jvp`): `f`'s result at `primals` and its directional derivative along
 * `tangents` (one pytree per primal, shaped like it).
 */
export function jvp<F extends AnyFn>(
  f: F,
  primals: Parameters<F>,
  tangents: Readonly<Parameters<F>>,
): [ReturnType<F>, ReturnType<F>] {
  if (tangents.length !== primals.length) {
    throw new DifferentiationArgumentError(
      'jvp',
      `${primals.length} primals but ${tangents.length} tangents`,
    );
  }
  const forward = new Forward();
  const args = primals.map((p, i) => {
    const { leaves, treedef } = freshLeaves('jvp', p, i);
    const t = flattenTree(tangents[i]);
    if (t.treedef.key !== treedef.key) {
      throw new DifferentiationArgumentError('jvp', `tangent ${i}'s structure differs from its primal's`);
    }
    leaves.forEach((x, j) => {
      checkLike('jvp', `tangent ${i}, leaf ${j}`, t.leaves[j]!, x);
      forward.seed(x, t.leaves[j]!);
    });
    return unflattenTree(treedef, leaves);
  });
  const out = withTraceInterpreter(forward, () => f(...args)) as ReturnType<F>;
  const { leaves, treedef } = flattenTree(out);
  const dout = unflattenTree(
    treedef,
    leaves.map((y) => forward.tangent(y) ?? zerosLike(y)),
  ) as ReturnType<F>;
  return [out, dout];
}
