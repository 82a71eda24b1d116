import type { Attrs } from '@paradox/ir';
import { type ConformanceCase, fuse, make } from './case-builder.js';
import { FLOAT_SPECIALS, makeData } from './data.js';

/**
 * The windowed ops (conv, convTranspose, pools, cumsum): reductions over index-math windows with
 * guarded loads for padding, 1-D to 3-D, strided, dilated, grouped, and conv fused with its
 * bias + relu epilogue in one kernel.
 */
const window = (n: number, extra: Attrs = {}): Attrs => ({
  strides: new Array(n).fill(1),
  dilations: new Array(n).fill(1),
  pads: new Array(n).fill(0).map(() => [0, 0]),
  ...extra,
});

export function windowCases(): ConformanceCase[] {
  const conv = (name: string, x: number[], w: number[], attrs: Attrs) =>
    make(`conv/${name}`, (b, input) => [b.op('conv', [input('float32', x), input('float32', w)], attrs)]);
  const out = [
    conv('2d-padded-strided', [2, 3, 9, 8], [4, 3, 3, 3], {
      ...window(2, {
        strides: [2, 1],
        pads: [
          [1, 1],
          [1, 2],
        ],
      }),
      groups: 1,
    }),
    conv('1d-dilated-grouped', [1, 6, 17], [4, 3, 3], {
      ...window(1, { dilations: [3], pads: 'same_upper' }),
      groups: 2,
    }),
    conv('3d-same-lower', [1, 2, 5, 4, 6], [3, 2, 2, 3, 2], {
      ...window(3, { pads: 'same_lower' }),
      groups: 1,
    }),
    conv('depthwise', [1, 4, 7, 7], [4, 1, 3, 3], {
      ...window(2, {
        strides: [2, 2],
        pads: [
          [1, 1],
          [1, 1],
        ],
      }),
      groups: 4,
    }),
    make('conv/specials', (b, input) => {
      const x = input(
        'float32',
        [1, 2, 4, 4],
        makeData('float32', [1, 2, 4, 4], 3, { specials: FLOAT_SPECIALS }),
      );
      return [
        b.op('conv', [x, input('float32', [2, 2, 2, 2])], {
          ...window(2, {
            pads: [
              [1, 0],
              [0, 1],
            ],
          }),
          groups: 1,
        }),
      ];
    }),
    make('conv/bias-relu-fused', (b, input) => {
      const y = b.op('conv', [input('float32', [2, 3, 6, 6]), input('float32', [5, 3, 3, 3])], {
        ...window(2, { pads: 'same_upper' }),
        groups: 1,
      });
      const bias = b.op('broadcast', [b.op('reshape', [input('float32', [5])], { shape: [5, 1, 1] })], {
        shape: [2, 5, 6, 6],
      });
      const sum = b.op('add', [y, bias]);
      const r = b.op('relu', [sum]);
      return [r];
    }),
    make('convTranspose/2d-strided-padded', (b, input) => [
      b.op('convTranspose', [input('float32', [1, 4, 3, 4]), input('float32', [4, 3, 3, 2])], {
        ...window(2, {
          strides: [2, 3],
          dilations: [1, 2],
          pads: [
            [1, 0],
            [0, 2],
          ],
        }),
        outputPadding: [1, 2],
        groups: 2,
      }),
    ]),
    make('convTranspose/1d-same-upper', (b, input) => [
      b.op('convTranspose', [input('float32', [2, 2, 5]), input('float32', [2, 3, 4])], {
        ...window(1, { strides: [2], pads: 'same_upper' }),
        outputPadding: [0],
        groups: 1,
      }),
    ]),
  ];
  const pool = (op: string, name: string, x: number[], attrs: Attrs) =>
    make(`${op}/${name}`, (b, input) => [b.op(op, [input('float32', x)], attrs)]);
  for (const op of ['maxPool', 'avgPool']) {
    const avg = (include: boolean): Attrs => (op === 'avgPool' ? { countIncludePad: include } : {});
    out.push(
      pool(op, '2d-ceil-padded', [2, 3, 7, 6], {
        ...window(2, {
          strides: [2, 2],
          pads: [
            [1, 1],
            [0, 1],
          ],
        }),
        kernel: [3, 2],
        ceilMode: true,
        ...avg(true),
      }),
      pool(op, '1d-dilated', [1, 2, 11], {
        ...window(1, { dilations: [2], pads: [[2, 1]] }),
        kernel: [3],
        ceilMode: false,
        ...avg(false),
      }),
      pool(op, '3d-same-upper', [1, 1, 4, 5, 3], {
        ...window(3, { strides: [2, 2, 2], pads: 'same_upper' }),
        kernel: [2, 3, 2],
        ceilMode: false,
        ...avg(false),
      }),
    );
  }
  out.push(
    make('maxPool/int32-padded', (b, input) => [
      b.op('maxPool', [input('int32', [1, 2, 5, 4])], {
        ...window(2, {
          strides: [2, 1],
          pads: [
            [1, 1],
            [1, 0],
          ],
        }),
        kernel: [3, 2],
        ceilMode: true,
      }),
    ]),
  );
  for (const [dtype, exclusive, reverse] of [
    ['float32', false, false],
    ['float32', true, true],
    ['int32', true, false],
    ['int32', false, true],
  ] as const) {
    out.push(
      make(`cumsum/${dtype}${exclusive ? '-exclusive' : ''}${reverse ? '-reverse' : ''}`, (b, input) => [
        b.op('cumsum', [input(dtype, [3, 9, 2])], { axis: 1, exclusive, reverse }),
      ]),
    );
  }
  const fused = out.find((c) => c.name === 'conv/bias-relu-fused')!;
  fuse(
    fused.graph,
    fused.graph.nodes.filter((n) => n.op !== 'reshape' && n.op !== 'broadcast').map((n) => n.id),
    0,
  );
  return out;
}
