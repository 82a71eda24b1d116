import { flattenTree, type Tensor, unflattenTree } from '@paradox/tracer';

let stopping = 0;

/** True while stopGradient applies its identity: every autodiff level lets that op through untracked. */
export const gradientStopped = (): boolean => stopping > 0;

/**
 * The same values with no derivative at any level (JAX's `stop_gradient`): each leaf of the pytree
 * goes through an identity reshape that no autodiff level records.
 */
export function stopGradient<T>(tree: T): T {
  const { leaves, treedef } = flattenTree(tree);
  stopping++;
  try {
    return unflattenTree(
      treedef,
      leaves.map((x: Tensor) => x.reshape(x.shape)),
    ) as T;
  } finally {
    stopping--;
  }
}
