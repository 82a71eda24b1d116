import { MalformedProgramError } from '@paradox/backend';
import { type AffineCoefficients, type IndexExpr, indexCoefficients } from '@paradox/ir';
import { i32Literal } from './literals.js';

/** How loop indices are spelled where an index expression is rendered (all i32). */
export interface IndexCtx {
  axis(k: number): string;
  raxis(k: number): string;
  /** The flat row-major domain index, when the template has it: contiguous indices use it directly. */
  linear?: string;
}

/**
 * Renders integer index expressions as i32 WGSL. Affine forms become one sum of products; floor
 * division and modulo use plain `/` and `%` when interval analysis proves the operand
 * non-negative, else the ix_div/ix_mod helpers. Every number is checked on the way in.
 */
export class IndexRenderer {
  private readonly affineCache = new Map<IndexExpr, AffineCoefficients | null>();
  readonly strides: number[];

  constructor(
    readonly domain: number[],
    readonly rshape: number[],
    readonly where: string,
  ) {
    this.strides = rowMajorStrides(domain);
  }

  check(ix: IndexExpr, where: string): void {
    switch (ix?.k) {
      case 'const':
        i32Literal(ix.v, where);
        return;
      case 'axis':
      case 'raxis': {
        const n = ix.k === 'axis' ? this.domain.length : this.rshape.length;
        if (!Number.isInteger(ix.axis) || ix.axis < 0 || ix.axis >= n) {
          throw new MalformedProgramError(`${ix.k} ${String(ix.axis)} is out of range (rank ${n})`, where);
        }
        return;
      }
      case 'add':
        this.check(ix.a, where);
        this.check(ix.b, where);
        return;
      case 'mul':
      case 'div':
      case 'mod':
        i32Literal(ix.c, where);
        if (ix.k !== 'mul' && !(ix.c > 0))
          throw new MalformedProgramError(`${ix.k} by non-positive ${ix.c}`, where);
        this.check(ix.a, where);
        return;
      default:
        throw new MalformedProgramError('unknown index expression kind', where);
    }
  }

  affine(ix: IndexExpr): AffineCoefficients | null {
    let a = this.affineCache.get(ix);
    if (a === undefined) {
      a = indexCoefficients(ix, this.domain.length, this.rshape.length);
      this.affineCache.set(ix, a);
    }
    return a;
  }

  /** True when `ix` is the flat domain index plus a constant (extent-1 axes ignored). */
  isLinear(ix: IndexExpr): boolean {
    const a = this.affine(ix);
    if (!a || a.raxes.some((c, k) => c !== 0 && this.rshape[k] !== 1)) return false;
    return this.domain.every((d, k) => d <= 1 || a.axes[k] === this.strides[k]);
  }

  render(ix: IndexExpr, ctx: IndexCtx): string {
    const a = this.affine(ix);
    if (a) {
      if (ctx.linear !== undefined && this.isLinear(ix)) return sum([ctx.linear], a.constant, this.where);
      const terms: string[] = [];
      a.axes.forEach((c, k) => {
        if (c !== 0 && this.domain[k] !== 1) terms.push(term(ctx.axis(k), c, this.where));
      });
      a.raxes.forEach((c, k) => {
        if (c !== 0 && this.rshape[k] !== 1) terms.push(term(ctx.raxis(k), c, this.where));
      });
      return sum(terms, a.constant, this.where);
    }
    return this.spell(ix, ctx);
  }

  private spell(ix: IndexExpr, ctx: IndexCtx): string {
    switch (ix.k) {
      case 'const':
        return i32Literal(ix.v, this.where);
      case 'axis':
        return this.domain[ix.axis] === 1 ? '0i' : ctx.axis(ix.axis);
      case 'raxis':
        return this.rshape[ix.axis] === 1 ? '0i' : ctx.raxis(ix.axis);
      case 'add':
        return `(${this.render(ix.a, ctx)} + ${this.render(ix.b, ctx)})`;
      case 'mul':
        return `(${this.render(ix.a, ctx)} * ${i32Literal(ix.c, this.where)})`;
      case 'div':
      case 'mod': {
        const c = i32Literal(ix.c, this.where);
        const inner = this.render(ix.a, ctx);
        if (this.range(ix.a)[0] >= 0) return `(${inner} ${ix.k === 'div' ? '/' : '%'} ${c})`;
        return `ix_${ix.k}(${inner}, ${c})`;
      }
    }
  }

  /** Inclusive value range of `ix` over the loop domains. */
  range(ix: IndexExpr): [number, number] {
    switch (ix.k) {
      case 'const':
        return [ix.v, ix.v];
      case 'axis':
        return [0, Math.max(0, this.domain[ix.axis]! - 1)];
      case 'raxis':
        return [0, Math.max(0, this.rshape[ix.axis]! - 1)];
      case 'add': {
        const [a, b] = this.range(ix.a);
        const [c, d] = this.range(ix.b);
        return [a + c, b + d];
      }
      case 'mul': {
        const [a, b] = this.range(ix.a);
        return ix.c >= 0 ? [a * ix.c, b * ix.c] : [b * ix.c, a * ix.c];
      }
      case 'div': {
        const [a, b] = this.range(ix.a);
        return [Math.floor(a / ix.c), Math.floor(b / ix.c)];
      }
      case 'mod': {
        const [a, b] = this.range(ix.a);
        return a >= 0 && b < ix.c ? [a, b] : [0, ix.c - 1];
      }
    }
  }
}

export function rowMajorStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= shape[k]!;
  }
  return s;
}

function term(v: string, c: number, where: string): string {
  return c === 1 ? v : `${v} * ${i32Literal(c, where)}`;
}

function sum(terms: string[], constant: number, where: string): string {
  if (terms.length === 0) return i32Literal(constant, where);
  const body = terms.join(' + ');
  if (constant === 0) return terms.length === 1 ? body : `(${body})`;
  return constant > 0
    ? `(${body} + ${i32Literal(constant, where)})`
    : `(${body} - ${i32Literal(-constant, where)})`;
}
