import { type Graph, type HostTensor, numel, typedArrayFor } from '@paradox/ir';

/** Deterministic inputs for a graph: small integers and halves, mixed signs (a tiny LCG, seeded). */
export function sampleInputs(graph: Graph, seed = 1): HostTensor[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return graph.inputs.map(({ type }) => {
    const data = typedArrayFor(type.dtype, numel(type.shape));
    for (let i = 0; i < data.length; i++) {
      const u = next();
      data[i] =
        type.dtype === 'bool'
          ? u < 0.5
            ? 0
            : 1
          : type.dtype === 'int32'
            ? Math.floor(u * 9) - 4
            : Math.round(u * 16 - 8) / 2;
    }
    return { dtype: type.dtype, shape: [...type.shape], data };
  });
}

/** Element-wise identity with Object.is: -0 differs from 0, NaN equals NaN (payloads aside). */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
