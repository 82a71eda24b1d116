import type { IndexExpr } from '../kernel.js';

/**
 * Index simplification. An index expression is brought to a canonical linear form
 * `sum(coef * atom) + const`, where an atom is a loop index or a floor div/mod of a linear form.
 * Rules (all exact for floor semantics; ranges come from the loop extents):
 * - constants fold, equal atoms merge, loop indices of extent 1 are 0;
 * - (c*Q + R) div c = Q + R div c and (c*Q + R) mod c = R mod c;
 * - div/mod of a value whose range stays within one block of c fold to a constant / an offset;
 * - common factors cancel, nested divs merge, (x mod a*b) mod b = x mod b;
 * - a*(x div a) + x mod a = x and a*((x div a) mod b) + x mod a = x mod a*b.
 * The last two undo the div/mod a reshape introduces, so the index of a contiguous view of a
 * contiguous buffer comes out as the plain flat index that renderers recognize.
 */

/** Loop extents of the kernel the index lives in. */
export interface IndexRanges {
  domain: readonly number[];
  reduce: readonly number[];
}

export type Atom =
  | { k: 'axis'; axis: number }
  | { k: 'raxis'; axis: number }
  | { k: 'div'; x: Lin; c: number }
  | { k: 'mod'; x: Lin; c: number };

export interface Term {
  atom: Atom;
  key: string;
  coef: number;
}

/** sum(terms) + c, terms sorted by key with unique keys and non-zero coefficients. */
export interface Lin {
  terms: Term[];
  c: number;
}

const linConst = (c: number): Lin => ({ terms: [], c });

function atomKey(a: Atom): string {
  switch (a.k) {
    case 'axis':
      return `a${a.axis}`;
    case 'raxis':
      return `r${a.axis}`;
    case 'div':
      return `(${linKey(a.x)})/${a.c}`;
    case 'mod':
      return `(${linKey(a.x)})%${a.c}`;
  }
}

export const linKey = (l: Lin): string => l.terms.map((t) => `${t.coef}*${t.key}`).join('+') + `+${l.c}`;

const linAtom = (atom: Atom): Lin => ({ terms: [{ atom, key: atomKey(atom), coef: 1 }], c: 0 });

export function linFromTerms(terms: Iterable<Term>, c: number): Lin {
  const byKey = new Map<string, Term>();
  for (const t of terms) {
    const prev = byKey.get(t.key);
    byKey.set(t.key, prev ? { ...prev, coef: prev.coef + t.coef } : t);
  }
  const list = [...byKey.values()]
    .filter((t) => t.coef !== 0)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { terms: list, c };
}

export const linAdd = (a: Lin, b: Lin): Lin => linFromTerms([...a.terms, ...b.terms], a.c + b.c);

export const linScale = (a: Lin, k: number): Lin =>
  k === 0 ? linConst(0) : { terms: a.terms.map((t) => ({ ...t, coef: t.coef * k })), c: a.c * k + 0 };

const floorDiv = (a: number, c: number): number => Math.floor(a / c);
const floorMod = (a: number, c: number): number => a - c * Math.floor(a / c);

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

const linGcd = (l: Lin, c: number): number => l.terms.reduce((g, t) => gcd(g, t.coef), gcd(c, l.c));

const singleAtom = (l: Lin): Atom | undefined =>
  l.terms.length === 1 && l.terms[0]!.coef === 1 && l.c === 0 ? l.terms[0]!.atom : undefined;

export class Simplifier {
  /** Tighter ranges of atoms (by key) known to hold where the index is used (e.g. under a guard). */
  private readonly narrowed = new Map<string, [number, number]>();

  constructor(private readonly ranges: IndexRanges) {}

  /** Records that atom `key` lies in [lo, hi] (intersected with what is known). */
  narrow(key: string, lo: number, hi: number): void {
    const prev = this.narrowed.get(key);
    this.narrowed.set(key, prev ? [Math.max(prev[0], lo), Math.min(prev[1], hi)] : [lo, hi]);
  }

  private extent(k: 'axis' | 'raxis', axis: number): number {
    return (k === 'axis' ? this.ranges.domain : this.ranges.reduce)[axis] ?? 1;
  }

  /** Inclusive [lo, hi] a value can take inside the loops (lo > hi: no value). */
  atomRange(a: Atom, key?: string): [number, number] {
    const [lo, hi] = this.loopAtomRange(a);
    const n = key === undefined ? undefined : this.narrowed.get(key);
    return n ? [Math.max(lo, n[0]), Math.min(hi, n[1])] : [lo, hi];
  }

  private loopAtomRange(a: Atom): [number, number] {
    switch (a.k) {
      case 'axis':
      case 'raxis':
        return [0, Math.max(0, this.extent(a.k, a.axis) - 1)];
      case 'div': {
        const [lo, hi] = this.range(a.x);
        return [floorDiv(lo, a.c), floorDiv(hi, a.c)];
      }
      case 'mod': {
        const [lo, hi] = this.range(a.x);
        return floorDiv(lo, a.c) === floorDiv(hi, a.c)
          ? [floorMod(lo, a.c), floorMod(hi, a.c)]
          : [0, a.c - 1];
      }
    }
  }

  range(l: Lin): [number, number] {
    let lo = l.c;
    let hi = l.c;
    for (const t of l.terms) {
      const [alo, ahi] = this.atomRange(t.atom, t.key);
      if (alo > ahi) return [1, 0];
      if (t.coef > 0) {
        lo += t.coef * alo;
        hi += t.coef * ahi;
      } else {
        lo += t.coef * ahi;
        hi += t.coef * alo;
      }
    }
    return [lo, hi];
  }

  toLin(e: IndexExpr): Lin {
    switch (e.k) {
      case 'const':
        return linConst(e.v);
      case 'axis':
      case 'raxis':
        return this.extent(e.k, e.axis) <= 1 ? linConst(0) : linAtom({ k: e.k, axis: e.axis });
      case 'add':
        return this.recombine(linAdd(this.toLin(e.a), this.toLin(e.b)));
      case 'mul':
        return linScale(this.toLin(e.a), e.c);
      case 'div':
        return this.div(this.toLin(e.a), e.c);
      case 'mod':
        return this.mod(this.toLin(e.a), e.c);
    }
  }

  div(l: Lin, c: number): Lin {
    if (c === 1) return l;
    const quotient: Term[] = [];
    const rest: Term[] = [];
    for (const t of l.terms)
      (t.coef % c === 0 ? quotient : rest).push(t.coef % c === 0 ? { ...t, coef: t.coef / c } : t);
    const q = linFromTerms(quotient, floorDiv(l.c, c));
    return this.recombine(linAdd(q, this.divAtom(linFromTerms(rest, floorMod(l.c, c)), c)));
  }

  private divAtom(r: Lin, c: number): Lin {
    const [lo, hi] = this.range(r);
    if (floorDiv(lo, c) === floorDiv(hi, c)) return linConst(floorDiv(lo, c));
    const g = linGcd(r, c);
    if (g > 1) return this.divAtom(linScale(r, 1 / g), c / g);
    const split = this.splitSmall(r, c);
    if (split) return this.divAtom(split.big, c / split.g);
    const inner = singleAtom(r);
    if (inner?.k === 'div') return this.divAtom(inner.x, inner.c * c);
    return linAtom({ k: 'div', x: r, c });
  }

  mod(l: Lin, c: number): Lin {
    if (c === 1) return linConst(0);
    const r = linFromTerms(
      l.terms.filter((t) => t.coef % c !== 0),
      floorMod(l.c, c),
    );
    const [lo, hi] = this.range(r);
    if (floorDiv(lo, c) === floorDiv(hi, c)) return linAdd(r, linConst(-c * floorDiv(lo, c)));
    const g = linGcd(r, c);
    if (g > 1) return linScale(this.mod(linScale(r, 1 / g), c / g), g);
    const split = this.splitSmall(r, c);
    if (split) return linAdd(linScale(this.mod(split.big, c / split.g), split.g), split.small);
    const inner = singleAtom(r);
    if (inner?.k === 'mod' && inner.c % c === 0) return this.mod(inner.x, c);
    return linAtom({ k: 'mod', x: r, c });
  }

  /**
   * Writes r = g*big + small with g dividing c and 0 <= small < g, so that r div c = big div (c/g)
   * and r mod c = g*(big mod c/g) + small (an index into a row of g contiguous elements).
   */
  private splitSmall(r: Lin, c: number): { g: number; big: Lin; small: Lin } | undefined {
    for (const t of r.terms) {
      const g = gcd(t.coef, c);
      if (g <= 1) continue;
      const big = r.terms.filter((u) => u.coef % g === 0);
      const small = linFromTerms(
        r.terms.filter((u) => u.coef % g !== 0),
        floorMod(r.c, g),
      );
      const [lo, hi] = this.range(small);
      if (lo >= 0 && hi < g && small.terms.length > 0) {
        return { g, big: linScale(linFromTerms(big, r.c - small.c), 1 / g), small };
      }
    }
    return undefined;
  }

  /**
   * Folds k*a*(x div a) + k*(x mod a) into k*x, and k*a*(y mod b) + k*(x mod a) into
   * k*((a*y + x mod a) mod a*b) (exact for any y, since 0 <= x mod a < a) when a*y + x mod a
   * itself absorbs the x mod a term (the usual case: y = x div a, perhaps already distributed into its terms).
   */
  recombine(l: Lin): Lin {
    for (let round = 0; round < 64; round++) {
      const next = this.recombineOnce(l);
      if (!next) return l;
      l = next;
    }
    return l;
  }

  private recombineOnce(l: Lin): Lin | undefined {
    for (const low of l.terms) {
      if (low.atom.k !== 'mod') continue;
      const { x, c: a } = low.atom;
      const xKey = linKey(x);
      for (const high of l.terms) {
        if (high === low || high.coef !== low.coef * a) continue;
        const h = high.atom;
        let merged: Lin | undefined;
        if (h.k === 'div' && h.c === a && linKey(h.x) === xKey) merged = x;
        else if (h.k === 'mod') {
          const joined = this.recombine(linAdd(linScale(h.x, a), linAtom(low.atom)));
          if (!joined.terms.some((t) => t.key === low.key)) merged = this.mod(joined, a * h.c);
        }
        if (!merged) continue;
        const others = l.terms.filter((t) => t !== low && t !== high);
        return linAdd(linFromTerms(others, l.c), linScale(merged, low.coef));
      }
    }
    return undefined;
  }
}

function atomToExpr(a: Atom): IndexExpr {
  switch (a.k) {
    case 'axis':
      return { k: 'axis', axis: a.axis };
    case 'raxis':
      return { k: 'raxis', axis: a.axis };
    case 'div':
      return { k: 'div', a: linToExpr(a.x), c: a.c };
    case 'mod':
      return { k: 'mod', a: linToExpr(a.x), c: a.c };
  }
}

/** Canonical order: larger |coefficient| first (so a flat index reads axis0*s0 + axis1*s1 + ...), then by key. */
function linToExpr(l: Lin): IndexExpr {
  const terms = [...l.terms].sort(
    (p, q) => Math.abs(q.coef) - Math.abs(p.coef) || (p.key < q.key ? -1 : p.key > q.key ? 1 : 0),
  );
  let out: IndexExpr | undefined;
  for (const t of terms) {
    const atom = atomToExpr(t.atom);
    const term: IndexExpr = t.coef === 1 ? atom : { k: 'mul', a: atom, c: t.coef };
    out = out ? { k: 'add', a: out, b: term } : term;
  }
  if (!out) return { k: 'const', v: l.c };
  return l.c === 0 ? out : { k: 'add', a: out, b: { k: 'const', v: l.c } };
}

/** The canonical simplified form of `e` inside loops of the given extents. */
export function simplifyIndex(e: IndexExpr, ranges: IndexRanges): IndexExpr {
  return linToExpr(new Simplifier(ranges).toLin(e));
}

/** Inclusive [min, max] of `e` over the loops (a sound over-approximation). */
export function indexRange(e: IndexExpr, ranges: IndexRanges): [number, number] {
  const s = new Simplifier(ranges);
  return s.range(s.toLin(e));
}

/** A key equal for two indices exactly when their canonical forms are equal. */
export function indexKey(e: IndexExpr, ranges: IndexRanges): string {
  return linKey(new Simplifier(ranges).toLin(e));
}
