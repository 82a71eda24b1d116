import type { IndexNames } from './index_expr.js';
import type { Lines } from './source_writer.js';

/**
 * Loop index variables: domain axes are `a<k>`, reduction axes `r<k>`. Records which ones the
 * rendered code used, so a template declares exactly those (nvcc warns on unused variables).
 */
export class LoopVars implements IndexNames {
  readonly axes = new Set<number>();
  readonly reduceAxes = new Set<number>();

  constructor(private readonly outer?: IndexNames) {}

  axis(k: number): string {
    if (this.outer) return this.outer.axis(k);
    this.axes.add(k);
    return `a${k}`;
  }

  raxis(k: number): string {
    this.reduceAxes.add(k);
    return `r${k}`;
  }
}

/**
 * Declares `prefix<k>` for each used axis k of a row-major `extents` shape, from the flat index
 * variable `flat` (axis k = flat / stride_k % extent_k, dropping the div/mod that cannot matter).
 */
export function declareAxes(
  out: Lines,
  extents: readonly number[],
  used: ReadonlySet<number>,
  flat: string,
  prefix: string,
  indexType: string,
  literal: (v: number) => string,
): void {
  let stride = 1;
  const strides = new Array<number>(extents.length);
  for (let k = extents.length - 1; k >= 0; k--) {
    strides[k] = stride;
    stride *= extents[k]!;
  }
  for (const k of [...used].sort((a, b) => a - b)) {
    const extent = extents[k]!;
    let text: string;
    if (extent <= 1) text = literal(0);
    else {
      text = strides[k] === 1 ? flat : `${flat} / ${literal(strides[k]!)}`;
      if (k > 0) text = strides[k] === 1 ? `${text} % ${literal(extent)}` : `(${text}) % ${literal(extent)}`;
    }
    out.push(`const ${indexType} ${prefix}${k} = ${text};`);
  }
}
