import type { DType } from '../dtype.js';
import type { HostTensor } from '../interpreter-types.js';
import type { ConvAttrs, ConvTransposeAttrs, PoolAttrs } from '../op-types.js';
import { lowestValue } from '../ops/reduce-facts.js';
import { stridesOf } from '../shape.js';
import { emptyTensor, forEachIndex } from './indexing.js';
import { evalBinary } from './numerics.js';
import type { EvalRule } from './rules.js';

/**
 * Reference semantics of the windowed ops, written as plain loops over each output element's
 * window in row-major order (channel, then kernel offsets), accumulating in the result dtype with
 * rounding after every step: the order the lowered kernels' reduction loops use.
 */

type Pads = [number, number][];

/** The input position of window offset `k` at output position `o` on spatial axis `i`. */
const inputAt = (
  attrs: { strides: number[]; dilations: number[]; pads: Pads },
  i: number,
  o: number,
  k: number,
) => o * attrs.strides[i]! - attrs.pads[i]![0] + k * attrs.dilations[i]!;

/** Flat offset of spatial position `pos` in channel plane (n, c) of x, or -1 outside the input. */
function planeOffset(x: HostTensor, n: number, c: number, pos: readonly number[]): number {
  const strides = stridesOf(x.shape);
  let off = n * strides[0]! + c * strides[1]!;
  for (let i = 0; i < pos.length; i++) {
    const p = pos[i]!;
    if (p < 0 || p >= x.shape[i + 2]!) return -1;
    off += p * strides[i + 2]!;
  }
  return off;
}

const conv: EvalRule<'conv'> = ([x, w], attrs, out) => {
  const a = attrs as ConvAttrs & { pads: Pads };
  const dtype = out.dtype;
  const [, cin, ...kernel] = w!.shape as number[];
  const mPerGroup = out.shape[1]! / a.groups;
  const wStrides = stridesOf(w!.shape);
  const r = emptyTensor(dtype, out.shape);
  forEachIndex(out.shape, (flat, [n, m, ...o]) => {
    const g = Math.floor(m! / mPerGroup);
    let acc = 0;
    for (let c = 0; c < cin!; c++) {
      forEachIndex(kernel, (kflat, k) => {
        const src = planeOffset(
          x!,
          n!,
          g * cin! + c,
          o.map((oi, i) => inputAt(a, i, oi, k[i]!)),
        );
        const v = src < 0 ? 0 : x!.data[src]!;
        const wv = w!.data[m! * wStrides[0]! + c * wStrides[1]! + kflat]!;
        acc = evalBinary('add', acc, evalBinary('mul', v, wv, dtype), dtype);
      });
    }
    r.data[flat] = acc;
  });
  return r;
};

/** Gather form of the scatter: output o takes x at i where o = i * stride - padBefore + k * dilation. */
const convTranspose: EvalRule<'convTranspose'> = ([x, w], attrs, out) => {
  const a = attrs as ConvTransposeAttrs & { pads: Pads };
  const dtype = out.dtype;
  const [cin, mPerGroup, ...kernel] = w!.shape as number[];
  const cPerGroup = cin! / a.groups;
  const wStrides = stridesOf(w!.shape);
  const r = emptyTensor(dtype, out.shape);
  forEachIndex(out.shape, (flat, [n, m, ...o]) => {
    const g = Math.floor(m! / mPerGroup!);
    let acc = 0;
    for (let c = 0; c < cPerGroup; c++) {
      const ci = g * cPerGroup + c;
      forEachIndex(kernel, (kflat, k) => {
        const num = o.map((oi, i) => oi + a.pads[i]![0] - k[i]! * a.dilations[i]!);
        const aligned = num.every((v, i) => v % a.strides[i]! === 0);
        const src = aligned
          ? planeOffset(
              x!,
              n!,
              ci,
              num.map((v, i) => v / a.strides[i]!),
            )
          : -1;
        const wv = w!.data[ci * wStrides[0]! + (m! - g * mPerGroup!) * wStrides[1]! + kflat]!;
        const term = src < 0 ? 0 : evalBinary('mul', x!.data[src]!, wv, dtype);
        acc = evalBinary('add', acc, term, dtype);
      });
    }
    r.data[flat] = acc;
  });
  return r;
};

/** Folds each window of x; `fold` sees the value (undefined in the padding) and the in-pad position. */
function pool(
  x: HostTensor,
  attrs: PoolAttrs,
  outShape: number[],
  dtype: DType,
  fold: (acc: number[], value: number | undefined, pos: readonly number[]) => void,
  init: () => number[],
  finish: (acc: number[]) => number,
): HostTensor {
  const a = attrs as PoolAttrs & { pads: Pads };
  const r = emptyTensor(dtype, outShape);
  forEachIndex(outShape, (flat, [n, c, ...o]) => {
    const acc = init();
    forEachIndex(a.kernel, (_k, k) => {
      const pos = o.map((oi, i) => inputAt(a, i, oi, k[i]!));
      const src = planeOffset(x, n!, c!, pos);
      fold(acc, src < 0 ? undefined : x.data[src]!, pos);
    });
    r.data[flat] = finish(acc);
  });
  return r;
}

const maxPool: EvalRule<'maxPool'> = ([x], attrs, out) =>
  pool(
    x!,
    attrs,
    out.shape,
    out.dtype,
    (acc, v) => {
      acc[0] = evalBinary('maximum', acc[0]!, v ?? lowestValue(out.dtype), out.dtype);
    },
    () => [lowestValue(out.dtype)],
    ([m]) => m!,
  );

/** Sum of the in-bounds values over the count of positions inside the input (or its explicit padding). */
const avgPool: EvalRule<'avgPool'> = ([x], attrs, out) => {
  const pads = attrs.pads as Pads;
  const spatial = x!.shape.slice(2);
  const counted = (pos: readonly number[]) =>
    pos.every((p, i) =>
      attrs.countIncludePad ? p >= -pads[i]![0] && p < spatial[i]! + pads[i]![1] : p >= 0 && p < spatial[i]!,
    );
  return pool(
    x!,
    attrs,
    out.shape,
    out.dtype,
    (acc, v, pos) => {
      acc[0] = evalBinary('add', acc[0]!, v ?? 0, out.dtype);
      if (counted(pos)) acc[1] = evalBinary('add', acc[1]!, 1, out.dtype);
    },
    () => [0, 0],
    ([sum, count]) => evalBinary('div', sum!, count!, out.dtype),
  );
};

/** Every output element sums the whole axis in order, taking only the elements its direction includes. */
const cumsum: EvalRule<'cumsum'> = ([x], { axis, exclusive, reverse }, out) => {
  const n = x!.shape[axis]!;
  const stride = stridesOf(x!.shape)[axis]!;
  const r = emptyTensor(out.dtype, out.shape);
  forEachIndex(out.shape, (flat, idx) => {
    const i = idx[axis]!;
    const base = flat - i * stride;
    let acc = 0;
    for (let j = 0; j < n; j++) {
      const d = reverse ? j - i : i - j;
      const v = d >= (exclusive ? 1 : 0) ? x!.data[base + j * stride]! : 0;
      acc = evalBinary('add', acc, v, out.dtype);
    }
    r.data[flat] = acc;
  });
  return r;
};

export const WINDOW_EVAL_RULES = { conv, convTranspose, maxPool, avgPool, cumsum };
