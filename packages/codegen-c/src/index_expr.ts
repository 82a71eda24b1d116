import { MalformedProgramError } from '@paradox/backend';
import type { IndexExpr } from '@paradox/ir';
import { type HelperName, indexLiteral } from './c_family.js';

/** Inclusive value range of an index expression. */
export interface Range {
  min: number;
  max: number;
}

/** Extents of the loop variables: domain axes and reduction axes (each index i satisfies 0 <= i < extent). */
export interface IndexSpace {
  domain: readonly number[];
  reduce: readonly number[];
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** Range of `e` over the index space (interval arithmetic; floor div/mod by positive constants). */
export function indexRange(e: IndexExpr, space: IndexSpace): Range {
  switch (e.k) {
    case 'const':
      return { min: e.v, max: e.v };
    case 'axis':
      return { min: 0, max: Math.max(0, extentOf(space.domain, e.axis, 'axis') - 1) };
    case 'raxis':
      return { min: 0, max: Math.max(0, extentOf(space.reduce, e.axis, 'raxis') - 1) };
    case 'add': {
      const a = indexRange(e.a, space);
      const b = indexRange(e.b, space);
      return { min: a.min + b.min, max: a.max + b.max };
    }
    case 'mul': {
      const a = indexRange(e.a, space);
      const p = a.min * e.c;
      const q = a.max * e.c;
      return { min: Math.min(p, q), max: Math.max(p, q) };
    }
    case 'div': {
      const a = indexRange(e.a, space);
      return { min: Math.floor(a.min / e.c), max: Math.floor(a.max / e.c) };
    }
    case 'mod': {
      const a = indexRange(e.a, space);
      return a.min >= 0 && a.max < e.c ? a : { min: 0, max: e.c - 1 };
    }
  }
}

/** true when every intermediate of `e` fits in int32 (otherwise the kernel uses 64-bit index math). */
export function fitsInt32(e: IndexExpr, space: IndexSpace): boolean {
  const r = indexRange(e, space);
  if (r.min < INT32_MIN || r.max > INT32_MAX) return false;
  switch (e.k) {
    case 'add':
      return fitsInt32(e.a, space) && fitsInt32(e.b, space);
    case 'mul':
    case 'div':
    case 'mod':
      return fitsInt32(e.a, space);
    default:
      return true;
  }
}

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

  render(e: IndexExpr, names: IndexNames): string {
    validateIndexExpr(e);
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
        if (indexRange(e.a, this.space).min >= 0) return `(${a} ${e.k === 'div' ? '/' : '%'} ${c})`;
        const helper: HelperName = `floor${e.k}${this.wide ? '64' : '32'}` as HelperName;
        this.helpers.add(helper);
        return `px_floor${e.k}${this.wide ? '64' : ''}(${a}, ${c})`;
      }
    }
  }
}

/** Every number of an index expression must be a safe integer, and divisors positive. */
export function validateIndexExpr(e: IndexExpr): void {
  const int = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);
  switch (e?.k) {
    case 'const':
      if (!int(e.v)) throw new MalformedProgramError(`index constant ${String(e.v)} is not an integer`);
      return;
    case 'axis':
    case 'raxis':
      if (!int(e.axis) || e.axis < 0) throw new MalformedProgramError(`bad ${e.k} number ${String(e.axis)}`);
      return;
    case 'add':
      validateIndexExpr(e.a);
      validateIndexExpr(e.b);
      return;
    case 'mul':
      if (!int(e.c)) throw new MalformedProgramError(`index multiplier ${String(e.c)} is not an integer`);
      validateIndexExpr(e.a);
      return;
    case 'div':
    case 'mod':
      if (!int(e.c) || e.c <= 0)
        throw new MalformedProgramError(`index ${e.k} by ${String(e.c)} (must be a positive integer)`);
      validateIndexExpr(e.a);
      return;
    default:
      throw new MalformedProgramError(`unknown index expression kind '${String((e as { k?: unknown })?.k)}'`);
  }
}

function extentOf(extents: readonly number[], axis: number, kind: string): number {
  const d = extents[axis];
  if (d === undefined)
    throw new MalformedProgramError(`index expression uses ${kind} ${axis}, which the kernel lacks`);
  return d;
}
