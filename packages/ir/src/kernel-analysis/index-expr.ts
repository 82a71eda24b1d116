import type { IndexExpr } from '../kernel.js';

/** Evaluates an index expression at loop indices `axes` (domain) and `raxes` (reduction); div/mod floor. */
export function evalIndex(e: IndexExpr, axes: readonly number[], raxes: readonly number[] = []): number {
  switch (e.k) {
    case 'const':
      return e.v;
    case 'axis':
      return axes[e.axis]!;
    case 'raxis':
      return raxes[e.axis]!;
    case 'add':
      return evalIndex(e.a, axes, raxes) + evalIndex(e.b, axes, raxes);
    case 'mul':
      return evalIndex(e.a, axes, raxes) * e.c;
    case 'div':
      return Math.floor(evalIndex(e.a, axes, raxes) / e.c);
    case 'mod': {
      const v = evalIndex(e.a, axes, raxes);
      return v - Math.floor(v / e.c) * e.c;
    }
  }
}

/** expr = constant + sum axes[i] * i_i + sum raxes[j] * r_j. */
export interface AffineCoefficients {
  constant: number;
  axes: number[];
  raxes: number[];
}

/**
 * The affine coefficients of `e` when it has no div/mod (so a backend can strength-reduce or vectorize),
 * else null. Arrays are at least `domainRank`/`reduceRank` long; absent axes have coefficient 0.
 */
export function indexCoefficients(e: IndexExpr, domainRank = 0, reduceRank = 0): AffineCoefficients | null {
  const out: AffineCoefficients = {
    constant: 0,
    axes: new Array(domainRank).fill(0),
    raxes: new Array(reduceRank).fill(0),
  };
  const walk = (x: IndexExpr, scale: number): boolean => {
    switch (x.k) {
      case 'const':
        out.constant += x.v * scale;
        return true;
      case 'axis':
        while (out.axes.length <= x.axis) out.axes.push(0);
        out.axes[x.axis]! += scale;
        return true;
      case 'raxis':
        while (out.raxes.length <= x.axis) out.raxes.push(0);
        out.raxes[x.axis]! += scale;
        return true;
      case 'add':
        return walk(x.a, scale) && walk(x.b, scale);
      case 'mul':
        return walk(x.a, scale * x.c);
      case 'div':
      case 'mod':
        return false;
    }
  };
  return walk(e, 1) ? out : null;
}

/** Whether the expression reads a reduction loop index. */
export function usesRaxis(e: IndexExpr): boolean {
  let found = false;
  forEachLeaf(e, (leaf) => {
    if (leaf.k === 'raxis') found = true;
  });
  return found;
}

/** Visits every leaf of the expression (for range checks), with an explicit stack. */
export function forEachLeaf(
  e: IndexExpr,
  visit: (leaf: Extract<IndexExpr, { k: 'const' | 'axis' | 'raxis' }>) => void,
): void {
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.k === 'const' || x.k === 'axis' || x.k === 'raxis') visit(x);
    else if (x.k === 'add') stack.push(x.b, x.a);
    else stack.push(x.a);
  }
}

/** Readable spelling: i0/r0 for loop indices, // and % for floor div/mod. */
export function formatIndex(e: IndexExpr): string {
  switch (e.k) {
    case 'const':
      return String(e.v);
    case 'axis':
      return `i${e.axis}`;
    case 'raxis':
      return `r${e.axis}`;
    case 'add':
      return `${formatIndex(e.a)} + ${formatIndex(e.b)}`;
    case 'mul':
      return `${wrap(e.a)}*${e.c}`;
    case 'div':
      return `${wrap(e.a)} // ${e.c}`;
    case 'mod':
      return `${wrap(e.a)} % ${e.c}`;
  }
}

const wrap = (e: IndexExpr): string =>
  e.k === 'add' || e.k === 'div' || e.k === 'mod' ? `(${formatIndex(e)})` : formatIndex(e);
