import type { HostTensor } from '../interpreter-types.js';
import { type ArithSyntax, erfFormula } from '../ops/erf.js';
import { resolveIndex } from '../ops/indexing.js';
import { numel, stridesOf } from '../shape.js';
import { emptyTensor } from './indexing.js';
import { castValue, evalBinary } from './numerics.js';
import type { EvalRule } from './rules.js';

/** float32 arithmetic (every step rounded), the precision every backend computes erf in. */
const FLOAT32: ArithSyntax<number> = {
  constant: (c) => Math.fround(c),
  add: (a, b) => evalBinary('add', a, b, 'float32'),
  mul: (a, b) => evalBinary('mul', a, b, 'float32'),
  div: (a, b) => evalBinary('div', a, b, 'float32'),
  min: (a, b) => evalBinary('minimum', a, b, 'float32'),
  max: (a, b) => evalBinary('maximum', a, b, 'float32'),
};

/** erf of one value: the registry's float32 formula, rounded to `dtype` (float16 computes in float32). */
export const evalErf = (x: number, dtype: HostTensor['dtype']): number =>
  castValue(erfFormula(Math.fround(x), FLOAT32), dtype);

/**
 * Visits every (row of `data` along `axis`, row of gather's result) pair the indices connect: the
 * flat offsets of both rows (each `inner` elements long), in row-major order of the result.
 */
function forEachGatheredRow(
  shape: readonly number[],
  axis: number,
  indices: HostTensor,
  visit: (dataRow: number, resultRow: number, inner: number) => void,
): void {
  const extent = shape[axis]!;
  const inner = stridesOf(shape)[axis]!;
  const outer = numel(shape.slice(0, axis));
  const count = indices.data.length;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < count; j++)
      visit((o * extent + resolveIndex(indices.data[j]!, extent)) * inner, (o * count + j) * inner, inner);
}

const gather: EvalRule<'gather'> = ([data, indices], { axis }, out) => {
  const r = emptyTensor(out.dtype, out.shape);
  forEachGatheredRow(data!.shape, axis, indices!, (from, to, inner) => {
    for (let i = 0; i < inner; i++) r.data[to + i] = data!.data[from + i]!;
  });
  return r;
};

/**
 * Sums the updates landing on each element (in row-major order of `updates`, from 0), then adds
 * `data`: the order compiled code folds in (a sum reduction, then the base).
 */
const scatterAdd: EvalRule<'scatterAdd'> = ([data, indices, updates], { axis }, out) => {
  const sums = emptyTensor(out.dtype, out.shape);
  forEachGatheredRow(data!.shape, axis, indices!, (to, from, inner) => {
    for (let i = 0; i < inner; i++)
      sums.data[to + i] = evalBinary('add', sums.data[to + i]!, updates!.data[from + i]!, out.dtype);
  });
  for (let i = 0; i < sums.data.length; i++)
    sums.data[i] = evalBinary('add', data!.data[i]!, sums.data[i]!, out.dtype);
  return sums;
};

const erf: EvalRule<'erf'> = ([x], _attrs, out) => {
  const r = emptyTensor(out.dtype, out.shape);
  for (let i = 0; i < r.data.length; i++) r.data[i] = evalErf(x!.data[i]!, out.dtype);
  return r;
};

export const INDEXING_RULES = { gather, scatterAdd, erf };
