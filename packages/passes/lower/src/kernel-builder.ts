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

  constructor(readonly ranges: IndexRanges) {}

  dtypeOf(id: number): DType {
    return this.exprs[id]!.dtype;
  }

  add(expr: ScalarExpr): number {
    // Keyed by exact numbers: JSON would merge NaN/±Infinity constants (all `null`) and -0 with 0.
    const key = canonicalKey(expr);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    this.exprs.push(expr);
    this.ids.set(key, this.exprs.length - 1);
    return this.exprs.length - 1;
  }

  simplify(e: IndexExpr): IndexExpr {
    return simplifyIndex(e, this.ranges);
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
