import type { Kernel } from '../kernel.js';
import { indexCoefficients } from './index-expr.js';
import type { AffineForm } from './index-forms.js';

/** A load a tiled renderer can address by strides alone: where it reads and its affine index. */
export interface AffineLoad {
  buffer: number;
  /** The index as constant + strides per domain axis (`ax`) and per reduction axis (`rx`). */
  form: AffineForm;
}

/**
 * Expr `expr` as an AffineLoad when it is a load with no guard, no dynamic term and an index
 * without div/mod (its element at any loop point is `buffer[form.c + ax . i + rx . r]`), else
 * undefined. Contraction templates read such an operand in place instead of packing it.
 */
export function affineLoad(
  kernel: Pick<Kernel, 'exprs' | 'domain' | 'reduce'>,
  expr: number,
): AffineLoad | undefined {
  const e = kernel.exprs[expr];
  if (e?.op !== 'load' || e.guard?.length || e.dynamic) return undefined;
  const co = indexCoefficients(e.index, kernel.domain.length, kernel.reduce?.shape.length ?? 0);
  return co ? { buffer: e.buffer, form: { c: co.constant, ax: co.axes, rx: co.raxes } } : undefined;
}
