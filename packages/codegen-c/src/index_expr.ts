import { type IndexExpr, type IndexRanges, indexRange } from '@paradox/ir';
import { type HelperName, indexLiteral } from './c_family.js';

/** Extents of the loop variables: domain axes and reduction axes (each index i satisfies 0 <= i < extent). */
export type IndexSpace = IndexRanges;

/** Names of the loop variables the rendered expression refers to. */
export interface IndexNames {
  axis(axis: number): string;
  raxis(axis: number): string;
}

/**
 * Renders an index expression as C integer arithmetic (int, or long long when `wide`). Floor
 * div/mod become plain `/` and `%` where the operand is provably non-negative, helpers otherwise.
 * Light simplification keeps the output readable (x * 1, x + 0, x / 1, x % 1).
 */
export class IndexRenderer {
  readonly helpers = new Set<HelperName>();

  constructor(
    private readonly space: IndexSpace,
    private readonly wide: boolean,
  ) {}

  /** `e` comes from a verified program (integers, positive divisors, axes in range). */
  render(e: IndexExpr, names: IndexNames): string {
    return this.emit(e, names);
  }

  private emit(e: IndexExpr, names: IndexNames): string {
    switch (e.k) {
      case 'const':
        return indexLiteral(e.v, this.wide);
      case 'axis':
        return names.axis(e.axis);
      case 'raxis':
        return names.raxis(e.axis);
      case 'add': {
        if (e.b.k === 'const' && e.b.v === 0) return this.emit(e.a, names);
        if (e.a.k === 'const' && e.a.v === 0) return this.emit(e.b, names);
        if (e.b.k === 'const' && e.b.v < 0)
          return `(${this.emit(e.a, names)} - ${indexLiteral(-e.b.v, this.wide)})`;
        return `(${this.emit(e.a, names)} + ${this.emit(e.b, names)})`;
      }
      case 'mul':
        if (e.c === 1) return this.emit(e.a, names);
        if (e.c === 0) return indexLiteral(0, this.wide);
        return `${this.emit(e.a, names)} * ${indexLiteral(e.c, this.wide)}`;
      case 'div':
      case 'mod': {
        if (e.c === 1) return e.k === 'div' ? this.emit(e.a, names) : indexLiteral(0, this.wide);
        const a = this.emit(e.a, names);
        const c = indexLiteral(e.c, this.wide);
        if (indexRange(e.a, this.space)[0] >= 0) return `(${a} ${e.k === 'div' ? '/' : '%'} ${c})`;
        const helper: HelperName = `floor${e.k}${this.wide ? '64' : '32'}` as HelperName;
        this.helpers.add(helper);
        return `px_floor${e.k}${this.wide ? '64' : ''}(${a}, ${c})`;
      }
    }
  }
}
