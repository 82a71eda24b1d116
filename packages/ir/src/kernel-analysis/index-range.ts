import type { Bound, IndexExpr } from '../kernel.js';
import {
  type IndexRanges,
  type Lin,
  linAdd,
  linFromTerms,
  linKey,
  linScale,
  Simplifier,
  type Term,
} from './index-simplify.js';

type Range = [number, number];

/**
 * Inclusive [min, max] of an index where it is used: over the loop ranges, and under `guards` (a
 * guarded load reads only where every bound holds). undefined: the guards never hold together, so
 * the access never happens. Sound (interval arithmetic over the canonical linear form), exact for
 * affine indices, and precise for what lowering emits under guards:
 * - a guard on a single term (an axis, or a floor div/mod of one) narrows that term, until no
 *   guard narrows further (narrowing may fold another guard down to a single term);
 * - a guard G on several terms bounds the index I through I = a*G + R, with the rest R reduced by
 *   x - a*(x div a) = x mod a (concat of a reshaped tensor: row guard vs flat index).
 */
export function accessRange(
  index: IndexExpr,
  ranges: IndexRanges,
  guards: readonly Bound[] = [],
): Range | undefined {
  const s = new Simplifier(ranges);
  const guardedDivs = new Map<string, Term>();
  const guardedMods = new Map<string, Term>();
  for (let round = 0; round <= guards.length; round++) {
    let narrowed = false;
    for (const g of guards) {
      const lin = s.toLin(g.expr);
      if (lin.terms.length !== 1) continue;
      const { key, coef, atom } = lin.terms[0]!;
      if (atom.k === 'div') guardedDivs.set(key, lin.terms[0]!);
      if (atom.k === 'mod') guardedMods.set(key, lin.terms[0]!);
      const before = s.atomRange(atom, key);
      // lo <= coef * atom + c < hi
      const a = (g.lo - lin.c) / coef;
      const b = (g.hi - 1 - lin.c) / coef;
      s.narrow(key, Math.ceil(Math.min(a, b)), Math.floor(Math.max(a, b)));
      const after = s.atomRange(atom, key);
      if (after[0] !== before[0] || after[1] !== before[1]) narrowed = true;
    }
    if (!narrowed) break;
  }
  const lin = splitMods(s, s.toLin(index), [...guardedMods.values()]);
  let [lo, hi] = s.range(lin);
  for (const d of guardedDivs.values()) {
    const via = s.range(expandDiv(s, lin, d));
    lo = Math.max(lo, via[0]);
    hi = Math.min(hi, via[1]);
  }
  const bounded: GuardRange[] = [];
  for (const g of guards) {
    const glin = s.toLin(g.expr);
    const [rlo, rhi] = s.range(glin);
    const range: Range = [Math.max(rlo, g.lo), Math.min(rhi, g.hi - 1)];
    if (range[0] > range[1]) return undefined;
    bounded.push({ lin: glin, range });
  }
  // The rest after taking out one guard may itself be another guard (row and column of a pad).
  const bound = (l: Lin, depth: number): Range => {
    let [blo, bhi] = s.range(l);
    if (depth > 0)
      for (const g of bounded) {
        const via = throughGuard(s, l, g, (rest) => bound(rest, depth - 1));
        if (via) {
          blo = Math.max(blo, via[0]);
          bhi = Math.min(bhi, via[1]);
        }
      }
    return [blo, bhi];
  };
  const [glo, ghi] = bound(lin, 2);
  lo = Math.max(lo, glo);
  hi = Math.min(hi, ghi);
  return lo > hi ? undefined : [lo, hi];
}

interface GuardRange {
  lin: Lin;
  /** Values the guarded expression takes where the guard holds. */
  range: Range;
}

/** Range of `index` written as a * guard + rest (rest bounded by `restRange`); undefined if no such a. */
function throughGuard(
  s: Simplifier,
  index: Lin,
  guard: GuardRange,
  restRange: (rest: Lin) => Range,
): Range | undefined {
  const shared = guard.lin.terms.find((t) => index.terms.some((u) => u.key === t.key));
  if (!shared) return undefined;
  const a = index.terms.find((u) => u.key === shared.key)!.coef / shared.coef;
  if (!Number.isInteger(a)) return undefined;
  const rest = foldModulo(s, linAdd(index, linScale(guard.lin, -a)));
  const [rlo, rhi] = restRange(rest);
  const g = guard.range;
  const lo = a >= 0 ? a * g[0] : a * g[1];
  const hi = a >= 0 ? a * g[1] : a * g[0];
  return [lo + rlo, hi + rhi];
}

/**
 * Rewrites k*x as k*a*(x div a) + k*(x mod a) when all of x's terms appear in `l` and `d` is the
 * (guard-narrowed) atom x div a: the guard's range of x div a then bounds the index.
 */
function expandDiv(s: Simplifier, l: Lin, d: Term): Lin {
  if (d.atom.k !== 'div') return l;
  const { x, c: a } = d.atom;
  const first = x.terms[0];
  const mine = first && l.terms.find((u) => u.key === first.key);
  if (!first || !mine) return l;
  const k = mine.coef / first.coef;
  if (
    !Number.isInteger(k) ||
    !x.terms.every((t) => l.terms.some((u) => u.key === t.key && u.coef === t.coef * k))
  )
    return l;
  const others = l.terms.filter((u) => !x.terms.some((t) => t.key === u.key));
  const quotient: Lin = { terms: [{ ...d, coef: k * a }], c: 0 };
  return linAdd(linAdd(linFromTerms(others, l.c - k * x.c), quotient), linScale(s.mod(x, a), k));
}

/**
 * Rewrites k*(x mod a*b) as k*a*((x div a) mod b) + k*(x mod a) where (x div a) mod b is a
 * guard-narrowed atom (a pad of a reshaped tensor: the flat offset within a row vs the padded axis).
 */
function splitMods(s: Simplifier, l: Lin, mods: readonly Term[]): Lin {
  for (const t of l.terms) {
    if (t.atom.k !== 'mod') continue;
    const { x, c } = t.atom;
    for (const m of mods) {
      if (m.atom.k !== 'mod' || m.key === t.key || c % m.atom.c !== 0) continue;
      const a = c / m.atom.c;
      if (a <= 1 || linKey(s.div(x, a)) !== linKey(m.atom.x)) continue;
      const others = l.terms.filter((u) => u !== t);
      const high: Lin = { terms: [{ ...m, coef: t.coef * a }], c: 0 };
      return splitMods(
        s,
        linAdd(linAdd(linFromTerms(others, l.c), high), linScale(s.mod(x, a), t.coef)),
        mods,
      );
    }
  }
  return l;
}

/** Rewrites k*x - k*a*(x div a) as k*(x mod a) wherever x's terms all appear (exact for floor division). */
function foldModulo(s: Simplifier, l: Lin): Lin {
  for (let round = 0; round < 16; round++) {
    let changed = false;
    for (const d of l.terms) {
      if (d.atom.k !== 'div') continue;
      const { x, c: a } = d.atom;
      const k = -d.coef / a;
      if (!Number.isInteger(k) || k === 0 || x.terms.length === 0) continue;
      if (!x.terms.every((t) => l.terms.some((u) => u.key === t.key && u.coef === t.coef * k))) continue;
      const others = l.terms.filter((u) => u !== d && !x.terms.some((t) => t.key === u.key));
      const remaining = x.terms.map((t) => ({
        ...t,
        coef: l.terms.find((u) => u.key === t.key)!.coef - t.coef * k,
      }));
      l = linAdd(linFromTerms([...others, ...remaining], l.c - k * x.c), linScale(s.mod(x, a), k));
      changed = true;
      break;
    }
    if (!changed) return l;
  }
  return l;
}
