import type { DType } from '@paradox/ir';
import { leafPaths, type Tensor, type TreeDef } from '@paradox/tracer';

/** The type of one tensor leaf of a call. */
export interface LeafType {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/**
 * Everything a compiled program depends on besides the tensors' values: the call's pytree structure
 * (with static values), each tensor leaf's dtype and shape, and which leaves are the same tensor.
 * `key` is canonical: two calls may share a program exactly when their keys are equal.
 */
export interface CallSignature {
  readonly key: string;
  /** Structure of the call: an array of the top-level arguments (the receiver's fields first for methods). */
  readonly tree: TreeDef;
  readonly leafTypes: readonly LeafType[];
  /** Per leaf: the index of the first leaf holding the same tensor (itself when it is the first). */
  readonly aliases: readonly number[];
  /** Whether element 0 of the call is the receiver's state (`this`), as for `@jit` methods. */
  readonly receiver: boolean;
}

/** Per leaf, the first leaf that is the same tensor object (quadratic for short lists, a Map beyond). */
export function aliasPattern(leaves: readonly Tensor[]): number[] {
  if (leaves.length > 16) {
    const first = new Map<Tensor, number>();
    return leaves.map((t, i) => {
      const seen = first.get(t);
      if (seen !== undefined) return seen;
      first.set(t, i);
      return i;
    });
  }
  return leaves.map((t, i) => {
    for (let j = 0; j < i; j++) if (leaves[j] === t) return j;
    return i;
  });
}

/** A signature from its parts; the key is built here only, so equal parts always give equal keys. */
export function makeSignature(
  tree: TreeDef,
  leafTypes: readonly LeafType[],
  aliases: readonly number[],
  receiver: boolean,
): CallSignature {
  const types = leafTypes.map((t) => `${t.dtype}[${t.shape.join(',')}]`).join(',');
  return {
    key: `${receiver ? 'this:' : ''}${tree.key}|${types}|${aliases.join(',')}`,
    tree,
    leafTypes,
    aliases,
    receiver,
  };
}

export function signatureOf(tree: TreeDef, leaves: readonly Tensor[], receiver: boolean): CallSignature {
  const leafTypes = leaves.map((t) => ({ dtype: t.dtype, shape: t.shape }));
  return makeSignature(tree, leafTypes, aliasPattern(leaves), receiver);
}

/** The label of top-level element `index` of a call: `this` or `arg <i>`. */
export function argumentLabel(index: number, receiver: boolean): string {
  if (!receiver) return `arg ${index}`;
  return index === 0 ? 'this' : `arg ${index - 1}`;
}

/** A readable name for every tensor leaf, e.g. `arg 0`, `arg 1.w`, `arg 2[0]`, `this.w1`. */
export function leafLabels(signature: CallSignature): string[] {
  return leafPaths(signature.tree).map(([top, ...rest]) => {
    const base = argumentLabel(top as number, signature.receiver);
    return base + rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
  });
}
