import { canonicalKey } from '../canonical-key.js';
import type { IndexExpr, ScalarExpr } from '../kernel.js';
import { indexCoefficients } from './index-expr.js';
import { exprIndices } from './phases.js';

/** Coefficients of an affine index: c + sum ax[k] * axis k + sum rx[k] * reduction axis k. */
export interface AffineForm {
  c: number;
  ax: number[];
  rx: number[];
}

/** One distinct index expression of a kernel, with its affine form (null when it has a div/mod). */
export interface IndexForm {
  id: number;
  expr: IndexExpr;
  affine: AffineForm | null;
}

/**
 * The distinct index expressions of a kernel: structurally equal ones share one form (so a renderer
 * keeps one running offset per form), numbered in first-use order. Renderers that walk loops by
 * strides (js, wasm) intern every index they render here.
 */
export class IndexForms {
  /** Every form, keyed by the canonical key of its expression, in id order. */
  readonly all = new Map<string, IndexForm>();
  private readonly ofExpr = new Map<IndexExpr, IndexForm>();

  constructor(
    private readonly rank: number,
    private readonly rrank: number,
  ) {}

  /** The form of `ix`, interned on first use. */
  form(ix: IndexExpr): IndexForm {
    let f = this.ofExpr.get(ix);
    if (f) return f;
    const key = canonicalKey(ix);
    f = this.all.get(key);
    if (!f) {
      const co = indexCoefficients(ix, this.rank, this.rrank);
      f = { id: this.all.size, expr: ix, affine: co && { c: co.constant, ax: co.axes, rx: co.raxes } };
      this.all.set(key, f);
    }
    this.ofExpr.set(ix, f);
    return f;
  }

  /** The forms an expr reads (its own indices, not its operands'), each interned already. */
  of(e: ScalarExpr): IndexForm[] {
    return exprIndices(e).map((ix) => this.ofExpr.get(ix)!);
  }

  /** The interned form of an index expression object already seen. */
  known(ix: IndexExpr): IndexForm {
    return this.ofExpr.get(ix)!;
  }
}
