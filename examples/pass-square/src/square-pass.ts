import { type Graph, type Node, type ValueId, valueTypes } from '@paradox/ir';
import type { Pass, PassResult } from '@paradox/pass-manager';

/** Views that keep every element's value: a scalar 2 stays a 2 through them. */
const VALUE_PRESERVING_VIEWS = new Set(['broadcast', 'reshape']);

/** True when `id` is the constant 2 (a `constant`/`full` of 2, possibly broadcast or reshaped). */
function isTwo(byId: ReadonlyMap<ValueId, Node>, id: ValueId): boolean {
  let n = byId.get(id);
  while (n && VALUE_PRESERVING_VIEWS.has(n.op)) n = byId.get(n.inputs[0]!);
  return n !== undefined && (n.op === 'constant' || n.op === 'full') && n.attrs.value === 2;
}

/**
 * `pow(x, 2)` -> `x * x` for float32 (one multiply instead of a pow call; the same float32 result,
 * since the square of a float32 is exact in a double before rounding). Other dtypes are left
 * alone: an int32 square wraps where pow saturates. The exponent's nodes become dead; dce removes them.
 */
export const squarePass: Pass = {
  name: 'pow2-to-mul',
  description: 'rewrite pow(x, 2) as x * x for float32 (example third-party pass)',
  run(graph: Graph): PassResult {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const types = valueTypes(graph);
    let rewritten = 0;
    const nodes = graph.nodes.map((n) => {
      const [base, exponent] = n.inputs;
      if (n.op !== 'pow' || n.type.dtype !== 'float32' || base === undefined || exponent === undefined)
        return n;
      const sameShape = types.get(base)!.shape.join() === n.type.shape.join();
      if (!sameShape || !isTwo(byId, exponent)) return n;
      rewritten++;
      return { ...n, op: 'mul', inputs: [base, base], attrs: {} };
    });
    if (rewritten === 0) return { graph, changed: false, stats: { squares: 0 } };
    return { graph: { ...graph, nodes }, changed: true, stats: { squares: rewritten } };
  },
};
