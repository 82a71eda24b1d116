import type { IndexExpr } from '@paradox/ir';
import { stridesOf } from '@paradox/ir';

/** Small constructors for index expressions; they fold the trivial cases so built trees stay small. */

export const iconst = (v: number): IndexExpr => ({ k: 'const', v });
export const iaxis = (axis: number): IndexExpr => ({ k: 'axis', axis });
export const iraxis = (axis: number): IndexExpr => ({ k: 'raxis', axis });

export function iadd(a: IndexExpr, b: IndexExpr): IndexExpr {
  if (a.k === 'const' && a.v === 0) return b;
  if (b.k === 'const' && b.v === 0) return a;
  if (a.k === 'const' && b.k === 'const') return iconst(a.v + b.v);
  return { k: 'add', a, b };
}

export function imul(a: IndexExpr, c: number): IndexExpr {
  if (c === 0) return iconst(0);
  if (c === 1) return a;
  if (a.k === 'const') return iconst(a.v * c);
  return { k: 'mul', a, c };
}

export function idiv(a: IndexExpr, c: number): IndexExpr {
  return c === 1 ? a : { k: 'div', a, c };
}

export function imod(a: IndexExpr, c: number): IndexExpr {
  return c === 1 ? iconst(0) : { k: 'mod', a, c };
}

/** Row-major flat position of the multi-index `index` in `shape`. */
export function flatIndex(index: readonly IndexExpr[], shape: readonly number[]): IndexExpr {
  const strides = stridesOf(shape);
  return index.reduce<IndexExpr>((acc, e, d) => iadd(acc, imul(e, strides[d]!)), iconst(0));
}

/** The multi-index in `shape` of row-major flat position `flat` (the inverse of flatIndex). */
export function unflattenIndex(flat: IndexExpr, shape: readonly number[]): IndexExpr[] {
  // An empty shape has no elements to address (and zero strides): any index will do.
  if (shape.includes(0)) return shape.map(() => iconst(0));
  const strides = stridesOf(shape);
  return shape.map((d, i) => imod(idiv(flat, strides[i]!), d));
}

/** The kernel's own loop position: one `axis` per domain axis. */
export const domainIndex = (domain: readonly number[]): IndexExpr[] => domain.map((_, i) => iaxis(i));

/** The flat position of the current domain point (what a contiguous store uses). */
export const domainFlatIndex = (domain: readonly number[]): IndexExpr =>
  flatIndex(domainIndex(domain), domain);

/**
 * numpy broadcasting of an operand of shape `from` read at `index` of the (larger) shape `to`:
 * dims are right-aligned and a size-1 dim always reads element 0.
 */
export function broadcastIndex(
  index: readonly IndexExpr[],
  to: readonly number[],
  from: readonly number[],
): IndexExpr[] {
  // The same array when nothing broadcasts: lowering finds the place of a chain's index by identity.
  if (to.length === from.length && from.every((d, i) => d === to[i] && d !== 1)) return index as IndexExpr[];
  const off = to.length - from.length;
  return from.map((d, i) => (d === 1 ? iconst(0) : index[i + off]!));
}
