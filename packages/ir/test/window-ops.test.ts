import { describe, expect, it } from 'vitest';
import {
  AttrError,
  type Attrs,
  canonicalAttrs,
  DTypeError,
  GraphBuilder,
  type HostTensor,
  inferNodeType,
  interpret,
  ShapeError,
} from '../src/index.js';
import { f32, host, i32 } from './helpers.js';

/** Hand-computed values of the windowed ops (most from ONNX's operator documentation examples). */

function run(op: string, operands: HostTensor[], attrs: Attrs): HostTensor {
  const b = new GraphBuilder('t');
  const ids = operands.map((x, i) => b.input(`x${i}`, { dtype: x.dtype, shape: x.shape }));
  b.output(b.op(op, ids, attrs));
  return interpret(b.build(), operands)[0]!;
}
const F = (shape: number[], v: number[]) => host('float32', shape, v);
const iota = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
const values = (t: HostTensor) => Array.from(t.data);
const win = (n: number, extra: Attrs = {}) => ({
  strides: new Array(n).fill(1),
  dilations: new Array(n).fill(1),
  pads: new Array(n).fill(0).map(() => [0, 0]),
  ...extra,
});

describe('conv', () => {
  const x = F([1, 1, 5, 5], iota(25));
  const w = F([1, 1, 3, 3], new Array(9).fill(1));
  it('sums 3x3 windows (ONNX conv without padding)', () => {
    const r = run('conv', [x, w], win(2, { groups: 1 }));
    expect(r.shape).toEqual([1, 1, 3, 3]);
    expect(values(r)).toEqual([54, 63, 72, 99, 108, 117, 144, 153, 162]);
  });
  it('reads zeros in the padding', () => {
    const r = run(
      'conv',
      [x, w],
      win(2, {
        groups: 1,
        pads: [
          [1, 1],
          [1, 1],
        ],
      }),
    );
    expect(values(r)).toEqual([
      12, 21, 27, 33, 24, 33, 54, 63, 72, 51, 63, 99, 108, 117, 81, 93, 144, 153, 162, 111, 72, 111, 117, 123,
      84,
    ]);
  });
  it('strides (ONNX conv_with_strides_padding)', () => {
    const r = run(
      'conv',
      [x, w],
      win(2, {
        groups: 1,
        strides: [2, 2],
        pads: [
          [1, 1],
          [1, 1],
        ],
      }),
    );
    expect(values(r)).toEqual([12, 27, 24, 63, 108, 81, 72, 117, 84]);
  });
  it('1-D with dilation and groups', () => {
    // Two groups of one channel: channel 0 is x0 (*) [1, -1] dilated 2, channel 1 is x1 * 2.
    const r = run('conv', [F([1, 2, 4], [1, 2, 4, 8, 1, 1, 1, 1]), F([2, 1, 2], [1, -1, 2, 0])], {
      ...win(1, { dilations: [2] }),
      groups: 2,
    });
    expect(r.shape).toEqual([1, 2, 2]);
    expect(values(r)).toEqual([1 - 4, 2 - 8, 2, 2]);
  });
  it("'same_upper' and 'same_lower' put the odd pad at the end or the start", () => {
    const t = (pads: string) =>
      canonicalAttrs('conv', [f32(1, 1, 4), f32(1, 1, 2)], { ...win(1), groups: 1, pads } as Attrs).pads;
    expect(t('same_upper')).toEqual([[0, 1]]);
    expect(t('same_lower')).toEqual([[1, 0]]);
    expect(t('valid')).toEqual([[0, 0]]);
    const r = run('conv', [F([1, 1, 4], [1, 2, 3, 4]), F([1, 1, 2], [1, 10])], {
      ...win(1),
      groups: 1,
      pads: 'same_lower',
    });
    expect(values(r)).toEqual([10, 21, 32, 43]);
  });
  it('0 * inf in the padding is NaN, as ONNX pads with zeros before multiplying', () => {
    const r = run('conv', [F([1, 1, 1], [1]), F([1, 1, 2], [Infinity, 1])], {
      ...win(1, { pads: [[1, 1]] }),
      groups: 1,
    });
    expect(values(r)).toEqual([Number.NaN, Infinity]);
  });
  it('rejects bad operands and attrs with typed errors', () => {
    const attrs = { ...win(2), groups: 1 } as Attrs;
    expect(() => inferNodeType('conv', [f32(1, 3, 5, 5), f32(2, 2, 3, 3)], attrs)).toThrow(ShapeError);
    expect(() => inferNodeType('conv', [f32(1, 3, 5, 5), f32(2, 1, 3, 3)], { ...attrs, groups: 2 })).toThrow(
      /3 input channels do not split into 2 groups/,
    );
    expect(() => inferNodeType('conv', [f32(1, 1, 2, 2), f32(1, 1, 3, 3)], attrs)).toThrow(/window spans 3/);
    expect(() => inferNodeType('conv', [f32(1, 1, 5), f32(1, 1, 3)], attrs)).toThrow(
      /'strides' has 2 entries/,
    );
    expect(() => inferNodeType('conv', [f32(1, 1), f32(1, 1)], attrs)).toThrow(/1 to 3 spatial axes/);
    expect(() => inferNodeType('conv', [i32(1, 1, 5, 5), i32(1, 1, 3, 3)], attrs)).toThrow(DTypeError);
    expect(() =>
      inferNodeType('conv', [f32(1, 1, 5, 5), f32(1, 1, 3, 3)], { ...attrs, strides: [0, 1] }),
    ).toThrow(AttrError);
    expect(() =>
      inferNodeType('conv', [f32(1, 1, 5, 5), f32(1, 1, 3, 3)], { ...attrs, pads: 'same' }),
    ).toThrow(/attribute 'pads'/);
  });
});

describe('convTranspose', () => {
  it('scatters every input through the kernel (ONNX convtranspose example)', () => {
    const r = run('convTranspose', [F([1, 1, 3, 3], iota(9)), F([1, 2, 3, 3], new Array(18).fill(1))], {
      ...win(2),
      groups: 1,
      outputPadding: [0, 0],
    });
    const plane = [0, 1, 3, 3, 2, 3, 8, 15, 12, 7, 9, 21, 36, 27, 15, 9, 20, 33, 24, 13, 6, 13, 21, 15, 8];
    expect(r.shape).toEqual([1, 2, 5, 5]);
    expect(values(r)).toEqual([...plane, ...plane]);
  });
  it('strides, pads and output padding (1-D, by hand)', () => {
    // full scatter of [1, 2] with [1, 10, 100] at stride 2: [1, 10, 102, 20, 200], then +1 output padding
    // (a zero), then 1 cut from the start.
    const r = run('convTranspose', [F([1, 1, 2], [1, 2]), F([1, 1, 3], [1, 10, 100])], {
      ...win(1, { strides: [2], pads: [[1, 0]] }),
      groups: 1,
      outputPadding: [1],
    });
    expect(values(r)).toEqual([10, 102, 20, 200, 0]);
  });
  it('a negative end pad (ONNX output_shape past the full scatter) becomes output padding', () => {
    const attrs = { ...win(1, { strides: [2], pads: [[0, -1]] }), groups: 1, outputPadding: [0] } as Attrs;
    const operands = [f32(1, 1, 2), f32(1, 1, 2)];
    expect(inferNodeType('convTranspose', operands, attrs).shape).toEqual([1, 1, 5]);
    expect(canonicalAttrs('convTranspose', operands, attrs)).toMatchObject({
      pads: [[0, 0]],
      outputPadding: [1],
    });
    const r = run('convTranspose', [F([1, 1, 2], [1, 2]), F([1, 1, 2], [1, 10])], attrs);
    expect(values(r)).toEqual([1, 10, 2, 20, 0]);
    expect(() => inferNodeType('convTranspose', operands, { ...attrs, pads: [[-1, 0]] })).toThrow(AttrError);
  });
  it("'same_upper' gives in * stride outputs", () => {
    const t = inferNodeType('convTranspose', [f32(1, 1, 3), f32(1, 1, 3)], {
      ...win(1, { strides: [2], pads: 'same_upper' }),
      groups: 1,
      outputPadding: [0],
    } as Attrs);
    expect(t.shape).toEqual([1, 1, 6]);
  });
});

describe('pools', () => {
  const x = F([1, 1, 5, 5], iota(25, 1));
  const x4 = F([1, 1, 4, 4], iota(16, 1));
  const pool = (extra: Attrs) => ({ ...win(2), ceilMode: false, ...extra });
  it('maxPool ignores padding (ONNX maxpool_2d_pads)', () => {
    const r = run(
      'maxPool',
      [x],
      pool({
        kernel: [5, 5],
        pads: [
          [2, 2],
          [2, 2],
        ],
      }),
    );
    expect(values(r)).toEqual([
      13, 14, 15, 15, 15, 18, 19, 20, 20, 20, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25,
    ]);
  });
  it('maxPool on int32 pads with the lowest int32 (never wins)', () => {
    const r = run('maxPool', [host('int32', [1, 1, 3], [-2147483647, -5, -7])], {
      ...win(1, { pads: [[1, 1]] }),
      kernel: [2],
      ceilMode: false,
    });
    expect(r.dtype).toBe('int32');
    expect(values(r)).toEqual([-2147483647, -5, -5, -7]);
    expect(() =>
      inferNodeType('avgPool', [i32(1, 1, 3)], {
        ...win(1),
        kernel: [2],
        ceilMode: false,
        countIncludePad: false,
      } as Attrs),
    ).toThrow(DTypeError);
  });
  it('maxPool with ceil mode and with dilations', () => {
    expect(values(run('maxPool', [x4], pool({ kernel: [3, 3], strides: [2, 2], ceilMode: true })))).toEqual([
      11, 12, 15, 16,
    ]);
    expect(values(run('maxPool', [x4], pool({ kernel: [2, 2], dilations: [2, 2] })))).toEqual([
      11, 12, 15, 16,
    ]);
  });
  it('avgPool divides by the in-bounds count (ONNX averagepool_2d_pads)', () => {
    const r = run(
      'avgPool',
      [x],
      pool({
        kernel: [5, 5],
        pads: [
          [2, 2],
          [2, 2],
        ],
        countIncludePad: false,
      }),
    );
    expect(values(r)).toEqual([
      7, 7.5, 8, 8.5, 9, 9.5, 10, 10.5, 11, 11.5, 12, 12.5, 13, 13.5, 14, 14.5, 15, 15.5, 16, 16.5, 17, 17.5,
      18, 18.5, 19,
    ]);
  });
  it('avgPool ceil mode (ONNX averagepool_2d_ceil)', () => {
    const r = run(
      'avgPool',
      [x4],
      pool({ kernel: [3, 3], strides: [2, 2], ceilMode: true, countIncludePad: false }),
    );
    expect(values(r)).toEqual([6, 7.5, 12, 13.5]);
  });
  it('countIncludePad counts the explicit padding, never a ceil-mode overhang', () => {
    const one = (extra: Attrs) =>
      values(run('avgPool', [F([1, 1, 3], [1, 2, 3])], { ...win(1), ceilMode: false, ...extra }));
    expect(one({ kernel: [2], pads: [[1, 1]], countIncludePad: true })).toEqual([0.5, 1.5, 2.5, 1.5]);
    expect(one({ kernel: [2], pads: [[1, 1]], countIncludePad: false })).toEqual([1, 1.5, 2.5, 3]);
    // windows [1,2] and [3, overhang]: the overhang is not counted even with countIncludePad
    expect(one({ kernel: [2], strides: [2], ceilMode: true, countIncludePad: true })).toEqual([1.5, 3]);
  });
  it('ceil mode drops a window that would start in the end padding', () => {
    const t = (size: number, kernel: number) =>
      inferNodeType('maxPool', [f32(1, 1, size)], {
        ...win(1, { pads: [[1, 1]], strides: [2] }),
        kernel: [kernel],
        ceilMode: true,
      } as Attrs).shape[2];
    // padded length 6, kernel 3: windows at -1, 1, 3 (ceil keeps the partial last one; floor has 2)
    expect(t(4, 3)).toBe(3);
    // padded length 7, kernel 2: ceil(5 / 2) + 1 = 4, but the 4th window would start at 5, in the end padding
    expect(t(5, 2)).toBe(3);
  });
});

describe('cumsum', () => {
  const x = F([5], [1, 2, 3, 4, 5]);
  const cs = (exclusive: boolean, reverse: boolean) =>
    values(run('cumsum', [x], { axis: 0, exclusive, reverse }));
  it('all four directions (ONNX CumSum examples)', () => {
    expect(cs(false, false)).toEqual([1, 3, 6, 10, 15]);
    expect(cs(true, false)).toEqual([0, 1, 3, 6, 10]);
    expect(cs(false, true)).toEqual([15, 14, 12, 9, 5]);
    expect(cs(true, true)).toEqual([14, 12, 9, 5, 0]);
  });
  it('along an inner axis, int32, negative axis', () => {
    const r = run('cumsum', [host('int32', [2, 3], [1, 2, 3, 4, 5, 6])], {
      axis: -1,
      exclusive: false,
      reverse: false,
    });
    expect(r.dtype).toBe('int32');
    expect(values(r)).toEqual([1, 3, 6, 4, 9, 15]);
    expect(canonicalAttrs('cumsum', [i32(2, 3)], { axis: -1, exclusive: false, reverse: false })).toEqual({
      axis: 1,
      exclusive: false,
      reverse: false,
    });
  });
  it('rejects bool and an out-of-range axis', () => {
    const attrs = { axis: 0, exclusive: false, reverse: false };
    expect(() => inferNodeType('cumsum', [{ dtype: 'bool', shape: [3] }], attrs)).toThrow(DTypeError);
    expect(() => inferNodeType('cumsum', [f32(3)], { ...attrs, axis: 1 })).toThrow(ShapeError);
  });
});
