import type { Bound, DType, DynamicIndex, IndexExpr, ScalarExpr } from '@paradox/ir';
import { canonicalKey, castValue } from '@paradox/ir';
import { type IndexRanges, indexRange, simplifyIndex } from './simplify-index.js';

/**
 * Accumulates one kernel's scalar expression DAG. Identical exprs are shared (hash-consed), so a
 * value needed twice at the same index is computed once; every index is stored simplified.
 */
export class KernelBuilder {
  readonly exprs: ScalarExpr[] = [];
  private readonly ids = new Map<string, number>();
  /**
   * Simplified indices by the index object asked for, and one shared object per canonical form (with
   * its key): rules pass the same index objects down whole chains of ops, so each is simplified once.
   */
  private readonly simplified = new Map<IndexExpr, IndexExpr>();
  private readonly canonical = new Map<string, IndexExpr>();
  private readonly keys = new Map<IndexExpr, string>();

  constructor(readonly ranges: IndexRanges) {}

  dtypeOf(id: number): DType {
    return this.exprs[id]!.dtype;
  }

  add(expr: ScalarExpr): number {
    const key = exprKey(expr);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    this.exprs.push(expr);
    this.ids.set(key, this.exprs.length - 1);
    return this.exprs.length - 1;
  }

  simplify(e: IndexExpr): IndexExpr {
    const known = this.simplified.get(e);
    if (known !== undefined) return known;
    const s = simplifyIndex(e, this.ranges);
    const key = canonicalKey(s);
    let shared = this.canonical.get(key);
    if (shared === undefined) {
      shared = s;
      this.canonical.set(key, s);
      this.keys.set(s, key);
      // A canonical form is its own simplification.
      this.simplified.set(s, s);
    }
    this.simplified.set(e, shared);
    return shared;
  }

  /** `canonicalKey` of an index this builder simplified (cached). */
  indexKey(simplified: IndexExpr): string {
    return this.keys.get(simplified) ?? canonicalKey(simplified);
  }

  /** Simplifies bounds and drops those that always hold inside the loops. */
  simplifyGuards(guards: readonly Bound[]): Bound[] {
    const out: Bound[] = [];
    const seen = new Set<string>();
    for (const g of guards) {
      const expr = this.simplify(g.expr);
      const [lo, hi] = indexRange(expr, this.ranges);
      if (lo >= g.lo && hi < g.hi) continue;
      const bound = { expr, lo: g.lo, hi: g.hi };
      const key = canonicalKey(bound);
      if (!seen.has(key)) out.push(bound);
      seen.add(key);
    }
    return out;
  }

  /** `value` converted to `dtype` with cast's rules, as a constant. */
  const(value: number, dtype: DType): number {
    return this.add({ op: 'const', dtype, value: castValue(value, dtype) });
  }

  /** Converts `id` to `dtype`; constants fold and same-dtype casts vanish (backends see equal operand dtypes). */
  cast(id: number, dtype: DType): number {
    const e = this.exprs[id]!;
    if (e.dtype === dtype) return id;
    if (e.op === 'const') return this.const(e.value, dtype);
    return this.add({ op: 'cast', dtype, a: id });
  }

  load(
    buffer: number,
    dtype: DType,
    index: IndexExpr,
    guards: readonly Bound[],
    dynamic?: DynamicIndex,
  ): number {
    const guard = this.simplifyGuards(guards);
    const load: ScalarExpr = {
      op: 'load',
      dtype,
      buffer,
      index: this.simplify(index),
      ...(dynamic ? { dynamic } : {}),
    };
    return this.add(guard.length > 0 ? { ...load, guard, other: 0 } : load);
  }
}

/**
 * The hash-consing key of an expr: its canonicalKey (exact numbers: JSON would merge NaN/±Infinity
 * constants, all `null`, and -0 with 0), spelled directly for the fixed-field exprs a chain of
 * elementwise ops is made of. The prefixes never start a canonicalKey (`{`), so keys stay injective.
 */
function exprKey(e: ScalarExpr): string {
  switch (e.op) {
    case 'unary':
      return `u ${e.fn} ${e.dtype} ${e.a}`;
    case 'binary':
      return `b ${e.fn} ${e.dtype} ${e.a} ${e.b}`;
    case 'cast':
      return `c ${e.dtype} ${e.a}`;
    case 'const':
      return `k ${e.dtype} ${canonicalKey(e.value)}`;
    default:
      return canonicalKey(e);
  }
}
