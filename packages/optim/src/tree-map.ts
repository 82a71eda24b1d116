import { flattenTree, type Tensor, type TreeDef, unflattenTree } from '@paradox/tracer';
import { OptimizerArgumentError } from './errors.js';

/**
 * The leaves of several pytrees of one structure, checked leaf by leaf (dtype and shape), so an
 * update never pairs a gradient with the wrong parameter.
 */
export function zipLeaves(
  where: string,
  named: Record<string, unknown>,
): { treedef: TreeDef; leaves: Record<string, Tensor[]> } {
  const entries = Object.entries(named);
  const [firstName, first] = entries[0]!;
  const reference = flattenTree(first);
  const leaves: Record<string, Tensor[]> = { [firstName]: reference.leaves };
  for (const [name, tree] of entries.slice(1)) {
    const flat = flattenTree(tree);
    if (flat.treedef.key !== reference.treedef.key) {
      throw new OptimizerArgumentError(
        where,
        `${name} does not have the structure of ${firstName} (${flat.treedef.key} vs ${reference.treedef.key})`,
      );
    }
    flat.leaves.forEach((leaf, i) => {
      const want = reference.leaves[i]!;
      if (leaf.dtype !== want.dtype || leaf.shape.join(',') !== want.shape.join(',')) {
        throw new OptimizerArgumentError(
          where,
          `${name} leaf ${i} is ${leaf.dtype}[${leaf.shape}], ${firstName} leaf ${i} is ${want.dtype}[${want.shape}]`,
        );
      }
    });
    leaves[name] = flat.leaves;
  }
  for (const [i, leaf] of reference.leaves.entries()) {
    if (leaf.dtype !== 'float32' && leaf.dtype !== 'float16') {
      throw new OptimizerArgumentError(
        where,
        `${firstName} leaf ${i} is ${leaf.dtype}: only float tensors are optimized`,
      );
    }
  }
  return { treedef: reference.treedef, leaves };
}

export const rebuild = <T>(treedef: TreeDef, leaves: Tensor[]): T => unflattenTree(treedef, leaves) as T;
