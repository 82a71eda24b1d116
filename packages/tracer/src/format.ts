import { type DType, numel, stridesOf, type TypedArray } from '@paradox/ir';

/** numpy's defaults: summarize above 1000 elements, keeping 3 items at each edge of every axis. */
export const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function formatElement(v: number, dtype: DType): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const r = Number(v.toPrecision(6));
  return Number.isInteger(r) && Math.abs(r) < 1e16 ? `${r}.` : String(r);
}

/** '2.5' -> ['2', '.5']; strings without a decimal point (ints, nan, 1e-7) are all integer part. */
function splitDecimal(s: string): [string, string] {
  const dot = s.indexOf('.');
  return dot < 0 || s.includes('e') ? [s, ''] : [s.slice(0, dot), s.slice(dot)];
}

/**
 * numpy-like rendering: nested brackets, right-aligned elements, rows on separate lines, and
 * `...` in place of the middle of each long axis once the tensor is large.
 */
export function formatTensor(data: TypedArray, shape: readonly number[], dtype: DType): string {
  const prefix = 'tensor(';
  const summarize = numel(shape) > SUMMARY_THRESHOLD;
  const strides = stridesOf(shape);
  const shown = (axis: number): (number | null)[] => {
    const n = shape[axis]!;
    if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
    return [
      ...Array.from({ length: EDGE_ITEMS }, (_, i) => i),
      null,
      ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i),
    ];
  };
  // Column widths over the printed elements: floats align on the decimal point (as numpy does).
  let intWidth = 0;
  let fracWidth = 0;
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      const [int, frac] = splitDecimal(formatElement(data[offset]!, dtype));
      intWidth = Math.max(intWidth, int.length);
      fracWidth = Math.max(fracWidth, frac.length);
      return;
    }
    for (const i of shown(axis)) if (i !== null) collect(axis + 1, offset + i * strides[axis]!);
  };
  collect(0, 0);
  const cell = (v: number): string => {
    const [int, frac] = splitDecimal(formatElement(v, dtype));
    return frac ? int.padStart(intWidth) + frac.padEnd(fracWidth) : int.padStart(intWidth + fracWidth);
  };
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return cell(data[offset]!);
    const parts = shown(axis).map((i) =>
      i === null ? '...' : render(axis + 1, offset + i * strides[axis]!, `${indent} `),
    );
    const newlines = shape.length - axis - 1;
    const sep = newlines === 0 ? ', ' : `,${'\n'.repeat(newlines)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? formatElement(data[0]!, dtype) : render(0, 0, ' '.repeat(prefix.length));
  const shapeNote = numel(shape) === 0 ? `, shape=[${shape.join(',')}]` : '';
  return `${prefix}${body}${shapeNote}, dtype=${dtype})`;
}
