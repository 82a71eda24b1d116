import { type ConformanceCase, make } from './case-builder.js';

export function matmulCases(): ConformanceCase[] {
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

export function viewCases(): ConformanceCase[] {
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
