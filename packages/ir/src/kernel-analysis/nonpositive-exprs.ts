import { canonicalKey } from '../canonical-key.js';
import type { BufferDecl, IndexExpr, Kernel, KernelProgram, ScalarExpr } from '../kernel.js';
import { indexCoefficients } from './index-expr.js';

/** Most exprs compared per candidate (a longer cone is not worth the compile time). */
const CONE_BUDGET = 256;

/**
 * Float32 exprs of kernel `k` that are <= 0 or NaN at every point: `a - m`, where `m` loads the
 * element an earlier kernel stored as the max of the same `a` over the same reduction (softmax's
 * x - max(x)). Then a <= m, so a - m rounds to a value <= 0 (or NaN when m is inf or NaN), and an
 * `exp` of it needs no clamp against overflow. Proven only for this shape:
 * - kernel p < k is the last one to store `m`'s buffer (or a temp sharing its slot) before k, with
 *   one domain-phase store of a `max` reduce, through an index that is one to one on p's domain
 *   (mixed-radix strides), structurally the index `m` loads at;
 * - p and k have the same domain and the same non-empty reduction shape, and `a` in k is the
 *   reduced operand of p, expr for expr (loads without data-dependent indices, same index, guard
 *   and fill value; no random draws);
 * - no kernel from p to k - 1 stores a buffer that `a` loads (same id, a temp sharing its slot, or
 *   an output, which may hold a donated input's memory), nor does k itself (same id or slot; an
 *   output k stores may take a donated input's memory only where k reads that input at the same
 *   point first, so `a` still reads the values p reduced), and `a` does not load `m`'s buffer.
 */
export function nonPositiveExprs(program: KernelProgram, k: number): Set<number> {
  const found = new Set<number>();
  const kernel = program.kernels[k];
  if (!kernel) return found;
  kernel.exprs.forEach((e, i) => {
    if (e.op !== 'binary' || e.fn !== 'sub' || e.dtype !== 'float32') return;
    const m = kernel.exprs[e.b];
    if (m?.op === 'load' && !m.guard && !m.dynamic && subtractsOwnMax(program, k, e.a, m)) found.add(i);
  });
  return found;
}

function subtractsOwnMax(
  program: KernelProgram,
  k: number,
  a: number,
  m: Extract<ScalarExpr, { op: 'load' }>,
): boolean {
  const decls = new Map(program.buffers.map((b) => [b.id, b]));
  const kernel = program.kernels[k]!;
  let p = k - 1;
  while (p >= 0 && !program.kernels[p]!.stores.some((s) => sameMemory(decls, s.buffer, m.buffer))) p--;
  if (p < 0) return false;
  const source = program.kernels[p]!;
  const stores = source.stores.filter((s) => sameMemory(decls, s.buffer, m.buffer));
  const store = stores[0]!;
  const reduced = source.exprs[store.value];
  if (
    stores.length !== 1 ||
    store.buffer !== m.buffer ||
    store.phase === 'reduction' ||
    reduced?.op !== 'reduce' ||
    reduced.fn !== 'max' ||
    reduced.dtype !== 'float32' ||
    !sameShape(source, kernel) ||
    canonicalKey(store.index) !== canonicalKey(m.index) ||
    !oneToOne(store.index, source.domain)
  )
    return false;
  const loaded = new Set<number>();
  if (!sameValue(source, reduced.a, kernel, a, loaded, new Set(), { left: CONE_BUDGET })) return false;
  if (loaded.has(m.buffer)) return false;
  for (let q = p; q <= k; q++) {
    for (const s of program.kernels[q]!.stores) {
      for (const b of loaded) {
        if (sameMemory(decls, s.buffer, b)) return false;
        if (q < k && decls.get(s.buffer)?.kind === 'output' && decls.get(b)?.kind === 'input') return false;
      }
    }
  }
  return true;
}

/** Same buffer, or temps sharing a memory-plan slot. */
function sameMemory(decls: Map<number, BufferDecl>, x: number, y: number): boolean {
  if (x === y) return true;
  const a = decls.get(x);
  const b = decls.get(y);
  return a?.kind === 'temp' && b?.kind === 'temp' && a.slot !== undefined && a.slot === b.slot;
}

function sameShape(p: Kernel, k: Kernel): boolean {
  const r = p.reduce?.shape;
  const s = k.reduce?.shape;
  return (
    p.domain.length === k.domain.length &&
    p.domain.every((d, i) => d === k.domain[i]) &&
    r !== undefined &&
    s !== undefined &&
    r.length === s.length &&
    r.every((d, i) => d === s[i]) &&
    r.every((d) => d > 0)
  );
}

/**
 * Whether an index of domain axes only is one to one on `domain`: affine, each axis with more than
 * one point a non-zero stride larger than the span of the smaller strides (mixed radix).
 */
function oneToOne(ix: IndexExpr, domain: readonly number[]): boolean {
  const c = indexCoefficients(ix, domain.length, 0);
  if (!c || c.raxes.some((x) => x !== 0) || c.axes.length > domain.length) return false;
  const strides = domain
    .map((d, i) => ({ d, s: Math.abs(c.axes[i]!) }))
    .filter(({ d }) => d > 1)
    .sort((x, y) => x.s - y.s);
  let span = 0;
  for (const { d, s } of strides) {
    if (s <= span) return false;
    span += s * (d - 1);
  }
  return true;
}

/** Whether expr `i` of `p` and expr `j` of `k` compute the same function of the point. */
function sameValue(
  p: Kernel,
  i: number,
  k: Kernel,
  j: number,
  loaded: Set<number>,
  seen: Set<string>,
  budget: { left: number },
): boolean {
  const key = `${i},${j}`;
  if (seen.has(key)) return true;
  if (--budget.left < 0) return false;
  seen.add(key);
  const x = p.exprs[i];
  const y = k.exprs[j];
  if (!x || !y || x.op !== y.op || x.dtype !== y.dtype) return false;
  const same = (a: number, b: number) => sameValue(p, a, k, b, loaded, seen, budget);
  switch (x.op) {
    case 'load': {
      const z = y as typeof x;
      if (x.dynamic || z.dynamic) return false;
      loaded.add(x.buffer);
      return canonicalKey(x) === canonicalKey(z);
    }
    case 'const':
      return Object.is(x.value, (y as typeof x).value);
    case 'index':
    case 'inbounds':
      return canonicalKey(x) === canonicalKey(y);
    case 'unary':
    case 'cast': {
      const z = y as Extract<ScalarExpr, { op: 'unary' | 'cast' }>;
      return (x.op === 'cast' || x.fn === (z as typeof x).fn) && same(x.a, z.a);
    }
    case 'binary': {
      const z = y as typeof x;
      return x.fn === z.fn && same(x.a, z.a) && same(x.b, z.b);
    }
    case 'where': {
      const z = y as typeof x;
      return same(x.c, z.c) && same(x.a, z.a) && same(x.b, z.b);
    }
    default:
      return false;
  }
}
