import {
  BINARY_OPS,
  type DType,
  type Graph,
  GraphBuilder,
  inferNodeType,
  type TypedArray,
  UNARY_OPS,
  type ValueId,
} from '@paradox/ir';
import type { Tolerance } from './compare.js';
import { FLOAT_SPECIALS, INT_SPECIALS, makeData } from './data.js';

/** One program of the suite: a graph (hand-grouped where a case tests fusion shapes) and its inputs. */
export interface ConformanceCase {
  /** 'area/what' — stable, used in test names and skip patterns. */
  name: string;
  graph: Graph;
  inputs: TypedArray[];
  /** Check the sign of zero results too. */
  zeroSign?: boolean;
  tolerance?: Partial<Tolerance>;
}

type Build = (
  b: GraphBuilder,
  input: (dtype: DType, shape: number[], data?: TypedArray) => ValueId,
) => ValueId[];

/** Builds a case: `input` declares x0, x1, ... with deterministic data (or the given data). */
function make(name: string, build: Build, extra: Partial<ConformanceCase> = {}): ConformanceCase {
  const b = new GraphBuilder('conformance');
  const inputs: TypedArray[] = [];
  const outputs = build(b, (dtype, shape, data) => {
    const id = b.input(`x${inputs.length}`, { dtype, shape });
    inputs.push(data ?? makeData(dtype, shape, 17 * inputs.length + name.length));
    return id;
  });
  return { name, graph: b.output(...outputs).build(), inputs, ...extra };
}

/** Puts nodes into one fusion group, so lowering emits one kernel for them. */
function fuse(graph: Graph, ids: ValueId[], group: number): Graph {
  for (const n of graph.nodes) if (ids.includes(n.id)) n.group = group;
  return graph;
}

const accepts = (op: string, dtypes: DType[], attrs = {}): boolean => {
  try {
    inferNodeType(
      op,
      dtypes.map((dtype) => ({ dtype, shape: [2] })),
      attrs,
    );
    return true;
  } catch {
    return false;
  }
};

const DTYPES: DType[] = ['float32', 'int32', 'bool'];
const specialsFor = (d: DType) =>
  d === 'float32' ? FLOAT_SPECIALS : d === 'int32' ? INT_SPECIALS : [0, 1, 1, 0];

function elementwiseCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const op of UNARY_OPS) {
    for (const d of DTYPES) {
      if (!accepts(op, [d])) continue;
      const data = makeData(d, [2, 17], 3, { specials: specialsFor(d) });
      out.push(
        make(`unary/${op}/${d}`, (b, x) => [b.op(op, [x(d, [2, 17], data)])], { zeroSign: d === 'float32' }),
      );
    }
  }
  for (const op of BINARY_OPS) {
    for (const d of DTYPES) {
      if (!accepts(op, [d, d])) continue;
      // Specials in both operands, broadcasting a row against a matrix.
      const a = makeData(d, [3, 13], 5, { specials: specialsFor(d) });
      const c = makeData(d, [13], 6, { specials: [...specialsFor(d)].reverse() });
      out.push(make(`binary/${op}/${d}`, (b, x) => [b.op(op, [x(d, [3, 13], a), x(d, [13], c)])]));
      // Every special against every special.
      const s = specialsFor(d);
      const lhs = Array.from(s, (v) => s.map(() => v)).flat();
      const rhs = Array.from(s, () => s).flat();
      const typed = (v: number[]) => makeData(d, [v.length], 0, { specials: v });
      out.push(
        make(`binary/${op}/${d}/specials`, (b, x) => [
          b.op(op, [x(d, [lhs.length], typed(lhs)), x(d, [rhs.length], typed(rhs))]),
        ]),
      );
    }
  }
  out.push(
    make('binary/promotion/int32+float32', (b, x) => [b.op('add', [x('int32', [4, 3]), x('float32', [3])])]),
    make('binary/promotion/bool*int32', (b, x) => [b.op('mul', [x('bool', [5]), x('int32', [5])])]),
  );
  for (const d of DTYPES) {
    out.push(
      make(`where/${d}`, (b, x) => [
        b.op('where', [
          x('bool', [4, 5]),
          x(d, [4, 5], makeData(d, [20], 9, { specials: specialsFor(d) })),
          x(d, [5]),
        ]),
      ]),
    );
    for (const to of DTYPES) {
      const data = makeData(d, [3, 11], 7, {
        specials: d === 'float32' ? [...FLOAT_SPECIALS, 2.5e9, -2.5e9, 2.7, -2.7] : specialsFor(d),
      });
      out.push(make(`cast/${d}->${to}`, (b, x) => [b.op('cast', [x(d, [3, 11], data)], { dtype: to })]));
    }
  }
  // int32 edge cases: wraparound and numpy floor division / modulo with negative operands and zero divisors.
  const ia = Int32Array.from([2147483647, -2147483648, 46341, -7, 7, -7, 7, 0, 5, -5, 1 << 30, -1]);
  const ib = Int32Array.from([1, -1, 46341, 2, -2, -2, 2, 3, 0, 0, 4, -2147483648]);
  for (const op of ['add', 'sub', 'mul', 'div', 'mod', 'pow'] as const) {
    out.push(
      make(`int32/${op}/edges`, (b, x) => [
        b.op(op, [
          x('int32', [12], ia),
          x(
            'int32',
            [12],
            Int32Array.from(ib, (v) => (op === 'pow' ? v % 5 : v)),
          ),
        ]),
      ]),
    );
  }
  out.push(
    make(
      'float32/negative-zero',
      (b, x) => [
        b.op('neg', [x('float32', [4], Float32Array.from([0, -0, 1, -1]))]),
        b.op('mul', [
          x('float32', [2], Float32Array.from([-0, 3])),
          x('float32', [2], Float32Array.from([5, -0])),
        ]),
      ],
      { zeroSign: true },
    ),
  );
  return out;
}

/** Every non-empty axis subset of a rank. */
const axisSubsets = (rank: number): number[][] =>
  Array.from({ length: (1 << rank) - 1 }, (_, m) =>
    [...Array(rank).keys()].filter((a) => ((m + 1) >> a) & 1),
  );

function reductionCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const shapes = [[7], [3, 5], [2, 3, 4]];
  for (const op of ['sum', 'prod', 'max', 'min'] as const) {
    for (const d of ['float32', 'int32'] as const) {
      for (const shape of shapes) {
        // One program per (op, dtype, rank): every axis combination, with and without keepdims, as outputs.
        out.push(
          make(`reduce/${op}/${d}/rank${shape.length}`, (b, x) => {
            const v = x(
              d,
              shape,
              makeData(d, shape, shape.length, { scale: op === 'prod' && d === 'float32' ? 1.5 : undefined }),
            );
            return axisSubsets(shape.length).flatMap((axes) =>
              [true, false].map((keepdims) => b.op(op, [v], { axes, keepdims })),
            );
          }),
        );
      }
    }
  }
  for (const d of ['float32', 'int32'] as const) {
    out.push(
      make(`reduce/argmax/${d}`, (b, x) => {
        const shape = [3, 4, 5];
        const data = makeData(d, shape, 4, {
          scale: 3,
          specials: d === 'float32' ? [1, NaN, 1, NaN, -Infinity] : [],
        });
        const v = x(d, shape, data);
        return [0, 1, 2, -1].flatMap((axis) =>
          [true, false].map((keepdims) => b.op('argmax', [v], { axis, keepdims })),
        );
      }),
    );
  }
  out.push(
    make('reduce/bool-max-min', (b, x) => {
      const v = x('bool', [4, 6]);
      return [
        b.op('max', [v], { axes: [1], keepdims: false }),
        b.op('min', [v], { axes: [0], keepdims: true }),
      ];
    }),
    make('reduce/specials', (b, x) => {
      const v = x(
        'float32',
        [4, 4],
        Float32Array.from([NaN, 1, 2, 3, Infinity, -Infinity, 0, 1, -0, -0, -0, -0, 5, -Infinity, 2, 1]),
      );
      return (['sum', 'max', 'min', 'prod'] as const).map((op) =>
        b.op(op, [v], { axes: [1], keepdims: false }),
      );
    }),
  );
  return out;
}

function matmulCases(): ConformanceCase[] {
  const shapes: [string, number[], number[]][] = [
    ['2d', [3, 5], [5, 4]],
    ['1x1', [1, 1], [1, 1]],
    ['odd', [17, 33], [33, 3]],
    ['tile-edges', [9, 6], [6, 10]],
    ['vec-mat', [5], [5, 3]],
    ['mat-vec', [4, 5], [5]],
    ['vec-vec', [7], [7]],
    ['batch', [2, 3, 4], [2, 4, 5]],
    ['batch-broadcast', [2, 1, 3, 4], [5, 4, 2]],
    ['batch-rhs-2d', [3, 2, 5], [5, 4]],
    ['k0', [3, 0], [0, 4]],
  ];
  const out = shapes.map(([name, a, c]) =>
    make(`matmul/${name}`, (b, x) => [b.op('matmul', [x('float32', a), x('float32', c)])]),
  );
  out.push(make('matmul/int32', (b, x) => [b.op('matmul', [x('int32', [4, 6]), x('int32', [6, 3])])]));
  out.push(
    make('matmul/transposed-operands', (b, x) => {
      const at = b.op('transpose', [x('float32', [6, 5])], { perm: [1, 0] });
      const bt = b.op('transpose', [x('float32', [7, 6])], { perm: [1, 0] });
      return [b.op('matmul', [at, bt])];
    }),
  );
  return out;
}

function viewCases(): ConformanceCase[] {
  return [
    make('view/transpose', (b, x) => [
      b.op('add', [
        b.op('transpose', [x('float32', [2, 3, 4])], { perm: [2, 0, 1] }),
        x('float32', [4, 2, 3]),
      ]),
    ]),
    make('view/broadcast', (b, x) => [
      b.op('mul', [b.op('broadcast', [x('float32', [3, 1])], { shape: [2, 3, 5] }), x('float32', [2, 3, 5])]),
    ]),
    make('view/slice', (b, x) => [
      b.op('neg', [
        b.op('slice', [x('float32', [6, 9])], { starts: [1, -1], stops: [5, null], steps: [2, -3] }),
      ]),
    ]),
    make('view/slice-reverse', (b, x) => [
      b.op('abs', [b.op('slice', [x('int32', [10])], { starts: [-1], stops: [null], steps: [-1] })]),
    ]),
    make('view/pad', (b, x) => [
      b.op('exp', [
        b.op('pad', [x('float32', [3, 4])], {
          pads: [
            [1, 2],
            [0, 3],
          ],
          value: -1.5,
        }),
      ]),
    ]),
    make('view/concat', (b, x) => [
      b.op('relu', [
        b.op('concat', [x('float32', [2, 3]), x('float32', [4, 3]), x('float32', [1, 3])], { axis: 0 }),
      ]),
      b.op('concat', [x('int32', [2, 1]), x('int32', [2, 4])], { axis: 1 }),
    ]),
    make('view/reshape-of-transpose', (b, x) => {
      const t = b.op('transpose', [x('float32', [3, 4, 5])], { perm: [1, 2, 0] });
      return [b.op('sqrt', [b.op('abs', [b.op('reshape', [t], { shape: [20, 3] })])])];
    }),
    make('view/identity-output', (_b, x) => [x('float32', [5])]),
  ];
}

function fusionCases(): ConformanceCase[] {
  const chain = make('fusion/elementwise-chain', (b, x) => {
    const s = b.op('add', [x('float32', [4, 7]), b.op('broadcast', [x('float32', [7])], { shape: [4, 7] })]);
    return [b.op('tanh', [b.op('mul', [s, s])])];
  });
  fuse(
    chain.graph,
    chain.graph.nodes.map((n) => n.id),
    0,
  );

  const prologue = make('fusion/reduction-prologue', (b, x) => [
    b.op('sum', [b.op('exp', [x('float32', [5, 9])])], { axes: [1], keepdims: false }),
  ]);
  fuse(
    prologue.graph,
    prologue.graph.nodes.map((n) => n.id),
    0,
  );

  const epilogue = make('fusion/reduction-epilogue', (b, x) => {
    const v = x('float32', [3, 8]);
    return [b.op('sqrt', [b.op('sum', [b.op('mul', [v, v])], { axes: [1], keepdims: true })])];
  });
  fuse(
    epilogue.graph,
    epilogue.graph.nodes.map((n) => n.id),
    0,
  );

  // softmax over the last axis: max in one kernel, then exp(x - max) / sum in one kernel whose
  // normalized store runs in the 'reduction' phase.
  const softmax = make('fusion/softmax', (b, x) => {
    const v = x('float32', [4, 10]);
    const m = b.op('max', [v], { axes: [1], keepdims: true });
    const e = b.op('exp', [b.op('sub', [v, b.op('broadcast', [m], { shape: [4, 10] })])]);
    const s = b.op('sum', [e], { axes: [1], keepdims: true });
    return [b.op('div', [e, b.op('broadcast', [s], { shape: [4, 10] })])];
  });
  const ids = softmax.graph.nodes.map((n) => n.id);
  fuse(softmax.graph, ids.slice(1), 1);

  const dense = make('fusion/relu-matmul-bias', (b, x) => {
    const y = b.op('matmul', [x('float32', [9, 6]), x('float32', [6, 11])]);
    return [b.op('relu', [b.op('add', [y, b.op('broadcast', [x('float32', [11])], { shape: [9, 11] })])])];
  });
  fuse(
    dense.graph,
    dense.graph.nodes.map((n) => n.id).filter((id) => id !== '1'),
    0,
  );

  const multi = make('fusion/multi-output', (b, x) => {
    const v = x('float32', [6, 5]);
    const e = b.op('exp', [v]);
    return [e, b.op('sum', [e], { axes: [0], keepdims: false })];
  });
  return [chain, prologue, epilogue, softmax, dense, multi];
}

function edgeCases(): ConformanceCase[] {
  return [
    make('edge/empty-elementwise', (b, x) => [b.op('add', [x('float32', [0, 3]), x('float32', [3])])]),
    make('edge/empty-reduce', (b, x) => {
      const v = x('float32', [0, 3]);
      return [
        b.op('sum', [v], { axes: [0], keepdims: false }),
        b.op('prod', [v], { axes: [0], keepdims: true }),
        b.op('max', [v], { axes: [1], keepdims: false }),
      ];
    }),
    make('edge/rank0', (b, x) => [
      b.op('mul', [x('float32', []), x('float32', [])]),
      b.op('sum', [x('int32', [2, 3])], { axes: [0, 1], keepdims: false }),
    ]),
    make('edge/scalar-broadcast', (b, x) => [
      b.op('sub', [x('float32', [3, 4]), b.op('broadcast', [x('float32', [])], { shape: [3, 4] })]),
    ]),
  ];
}

function creationCases(): ConformanceCase[] {
  return [
    make('creation/full-iota', (b, x) => [
      b.op('add', [x('float32', [2, 3]), b.op('full', [], { value: 2.5, shape: [2, 3], dtype: 'float32' })]),
      b.op('iota', [], { shape: [3, 4], axis: 1, dtype: 'int32' }),
      b.op('mul', [
        b.op('iota', [], { shape: [5], axis: 0, dtype: 'float32' }),
        b.op('broadcast', [b.op('constant', [], { value: -0.5, dtype: 'float32' })], { shape: [5] }),
      ]),
    ]),
    make('creation/graph-constant', (b, x) => [
      b.op('add', [x('float32', [2, 2]), b.constant([1, -2, NaN, 4], [2, 2], 'float32')]),
    ]),
    make(
      'creation/random',
      (b) => [
        b.op('random', [], { seed: 7, shape: [3, 7], dtype: 'float32', distribution: 'uniform' }),
        b.op('random', [], { seed: 123456789, shape: [5, 2], dtype: 'float32', distribution: 'normal' }),
      ],
      { tolerance: { rtol: 1e-5, atol: 1e-5 } },
    ),
  ];
}

/** Every case of the suite, by area. */
export function conformanceCases(): Record<string, ConformanceCase[]> {
  return {
    elementwise: elementwiseCases(),
    reductions: reductionCases(),
    matmul: matmulCases(),
    views: viewCases(),
    fusion: fusionCases(),
    edges: edgeCases(),
    creation: creationCases(),
  };
}
