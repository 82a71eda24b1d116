import {
  type Graph,
  GraphBuilder,
  type HostTensor,
  isFloat,
  numel,
  type TensorType,
  typedArrayFor,
  type ValueId,
} from '@paradox/ir';
import { type RandomGraphCase, type RandomGraphOptions, randomGraph } from '@paradox/ir/testing';
import type * as FastCheck from 'fast-check';

/**
 * Random graphs seeded with the redundancy optimization passes exist to remove: duplicated
 * nodes, algebraic identities (x + -0, 1 * x, neg(neg x), transpose and its inverse, reshape
 * round trips, same-dtype casts, whole slices, zero pads), x - x and x * 0 (zero only for
 * int32), identical captured constants with a foldable sum, and unused (impure) random draws.
 * Built on @paradox/ir's randomGraph: every input and node of the base graph is rebuilt and then
 * decorated by one of the rewrites below, so the result stays well-typed and shrinks with the
 * base graph. fast-check is passed in so this module has no runtime dependency on it.
 */
export function redundantGraph(
  fc: typeof FastCheck,
  options: RandomGraphOptions = {},
): FastCheck.Arbitrary<RandomGraphCase> {
  return fc
    .tuple(
      randomGraph(fc, options),
      fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 16 }),
      fc.nat(),
    )
    .map(([base, choices, seed]) => {
      const graph = decorateGraph(base.graph, choices);
      return { graph, inputs: edgeCaseInputs(graph, seed) };
    });
}

/**
 * Inputs drawn from a small pool dense in the values that break unsound rewrites: -0 next to 0,
 * NaN and the infinities for floats; 0, +-1 and the int32 extremes for ints.
 */
const FLOAT_POOL = [
  -0,
  0,
  1,
  -1,
  0.5,
  -2.5,
  3,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];
const INT_POOL = [0, 1, -1, 2, -3, 7, 2147483647, -2147483648];

export function edgeCaseInputs(graph: Graph, seed: number): HostTensor[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 8;
  };
  return graph.inputs.map(({ type }) => {
    const data = typedArrayFor(type.dtype, numel(type.shape));
    const pool = type.dtype === 'bool' ? [0, 1] : type.dtype === 'int32' ? INT_POOL : FLOAT_POOL;
    for (let i = 0; i < data.length; i++) data[i] = pool[next() % pool.length]!;
    return { dtype: type.dtype, shape: [...type.shape], data };
  });
}

type Decoration = (b: GraphBuilder, v: ValueId, t: TensorType) => ValueId | undefined;

const scalar = (b: GraphBuilder, value: number, t: TensorType) =>
  b.op('constant', [], { value, dtype: t.dtype });
const numeric = (t: TensorType) => t.dtype !== 'bool';

const DECORATIONS: Decoration[] = [
  () => undefined,
  // a structural duplicate: later users see the copy
  (b, v) => {
    const n = b.build().nodes.find((m) => m.id === v);
    return n ? b.op(n.op, n.inputs, n.attrs) : undefined;
  },
  (b, v, t) =>
    isFloat(t.dtype)
      ? b.op('add', [v, scalar(b, -0, t)])
      : t.dtype === 'int32'
        ? b.op('add', [scalar(b, 0, t), v])
        : undefined,
  (b, v, t) => (numeric(t) ? b.op('mul', [scalar(b, 1, t), v]) : undefined),
  (b, v, t) => {
    const op = numeric(t) ? 'neg' : 'not';
    return b.op(op, [b.op(op, [v])]);
  },
  (b, v, t) => {
    const rank = t.shape.length;
    if (rank < 2) return undefined;
    const perm = t.shape.map((_, i) => (i + 1) % rank);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return b.op('transpose', [b.op('transpose', [v], { perm })], { perm: inverse });
  },
  (b, v, t) => b.op('reshape', [b.op('reshape', [v], { shape: [numel(t.shape)] })], { shape: [...t.shape] }),
  (b, v, t) => b.op('cast', [v], { dtype: t.dtype }),
  (b, v, t) =>
    b.op('slice', [v], {
      starts: t.shape.map(() => 0),
      stops: t.shape.map(() => null),
      steps: t.shape.map(() => 1),
    }),
  (b, v, t) => b.op('pad', [v], { pads: t.shape.map(() => [0, 0]), value: 0 }),
  // x + (c + c'), with c and c' identical captured constants: cse merges them, fold sums them
  (b, v, t) => {
    if (!numeric(t)) return undefined;
    const data = Array.from({ length: numel(t.shape) }, (_, i) => (i % 5) - 2);
    const c = b.op('add', [b.constant(data, [...t.shape], t.dtype), b.constant(data, [...t.shape], t.dtype)]);
    return b.op('add', [v, c]);
  },
  // x + (x - x) and x + x * 0: zero for int32, but NaN for float Inf/NaN (and -0 subtleties)
  (b, v, t) => (numeric(t) ? b.op('add', [v, b.op('sub', [v, v])]) : undefined),
  (b, v, t) => (numeric(t) ? b.op('add', [v, b.op('mul', [v, scalar(b, 0, t)])]) : undefined),
  // an unused random draw: impure, so dce must keep it and cse must not merge two of them
  (b, v, t) => {
    const attrs = { seed: 7, shape: [...t.shape], dtype: 'float32', distribution: 'uniform' };
    b.op('random', [], attrs);
    b.op('random', [], attrs);
    return v;
  },
];

function decorateGraph(graph: Graph, choices: readonly number[]): Graph {
  const b = new GraphBuilder(graph.name);
  const map = new Map<ValueId, ValueId>();
  let k = 0;
  const decorate = (v: ValueId) => {
    const decoration = DECORATIONS[choices[k++ % choices.length]! % DECORATIONS.length]!;
    return decoration(b, v, b.typeOf(v)) ?? v;
  };
  for (const i of graph.inputs) map.set(i.id, decorate(b.input(i.id, i.type)));
  for (const c of graph.constants) {
    map.set(c.id, b.constant(graph.buffers[c.buffer]!, [...c.type.shape], c.type.dtype));
  }
  for (const n of graph.nodes) {
    const inputs = n.inputs.map((i) => map.get(i)!);
    map.set(n.id, decorate(b.op(n.op, inputs, n.attrs, n.source)));
  }
  b.output(...graph.outputs.map((o) => map.get(o)!));
  return b.build();
}
