import { type ConformanceCase, fuse, make } from './case-builder.js';

export function fusionCases(): ConformanceCase[] {
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

export function edgeCases(): ConformanceCase[] {
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

export function creationCases(): ConformanceCase[] {
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
