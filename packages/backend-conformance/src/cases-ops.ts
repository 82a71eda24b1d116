import { BINARY_OPS, UNARY_OPS } from '@paradox/ir';
import { accepts, type ConformanceCase, DTYPES, make, specialsFor } from './case-builder.js';
import { FLOAT_SPECIALS, makeData } from './data.js';

export function elementwiseCases(): ConformanceCase[] {
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

export function reductionCases(): ConformanceCase[] {
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
