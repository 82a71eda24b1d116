import { flattenTree, type Tensor, unflattenTree, zeros } from '@paradox/tracer';

/** A pytree of zeros with the structure, shapes and dtypes of `tree`. */
export const zerosLikeTree = <T>(tree: T): T => {
  const { treedef, leaves } = flattenTree(tree);
  return unflattenTree(
    treedef,
    leaves.map((x: Tensor) => zeros(x.shape, x.dtype)),
  ) as T;
};
