import type { CDialect, HelperName } from './c_family.js';

/**
 * Helper functions a kernel source defines before its kernels, only those it uses. Written in
 * the C subset CUDA C and C99 share; `q` is the dialect's qualifier (e.g. `__device__ __forceinline__`).
 * Each matches @paradox/ir's reference numerics exactly, including the cases where C itself is
 * undefined (INT_MIN / -1, division by zero, out-of-range float->int).
 */
const HELPERS: Record<HelperName, { needs?: HelperName[]; define(q: string): string }> = {
  idiv: {
    define: (q) => `${q} int px_idiv(int a, int b) {
  if (b == 0) return 0;
  long long q = (long long)a / b, r = (long long)a % b;
  if (r != 0 && ((r < 0) != (b < 0))) q -= 1;
  return (int)(unsigned)q;
}`,
  },
  imod: {
    define: (q) => `${q} int px_imod(int a, int b) {
  if (b == 0) return 0;
  long long r = (long long)a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return (int)r;
}`,
  },
  fmod: {
    define: (q) => `${q} float px_fmod(float a, float b) {
  float r = fmodf(a, b);
  if (r != 0.0f) {
    if ((r < 0.0f) != (b < 0.0f)) r += b;
  } else {
    r = b < 0.0f ? -0.0f : 0.0f;
  }
  return r;
}`,
  },
  ipow: {
    define: (q) => `${q} int px_ipow(int a, int b) {
  if (b < 0) return a == 1 ? 1 : (a == -1 ? ((b & 1) ? -1 : 1) : 0);
  unsigned result = 1u, base = (unsigned)a;
  while (b > 0) {
    if (b & 1) result *= base;
    base *= base;
    b >>= 1;
  }
  return (int)result;
}`,
  },
  // (int) of x in (-1, 0] is 0 either way; converting +0 instead keeps a compiler that rewrites
  // (float)(int)x as truncf(x) (gcc with -fno-trapping-math) from returning -0 where the reference
  // gives +0 (fuzz program 2138214216: -0.5 cast to int32 and back).
  f2i: {
    define: (q) => `${q} int px_f2i(float x) {
  if (x != x) return 0;
  if (x >= 2147483648.0f) return 2147483647;
  if (x <= -2147483648.0f) return -2147483647 - 1;
  return (int)(x > -1.0f && x <= 0.0f ? 0.0f : x);
}`,
  },
  mix32: {
    define: (q) => `${q} unsigned px_mix32(unsigned x) {
  x = (x ^ (x >> 16)) * 0x7feb352du;
  x = (x ^ (x >> 15)) * 0x846ca68bu;
  return x ^ (x >> 16);
}`,
  },
  random_uniform: {
    needs: ['mix32'],
    define: (q) => `${q} float px_random_uniform(unsigned seed_mix, unsigned index) {
  return (float)(px_mix32(index + seed_mix * 0x9e3779b9u) >> 8) * 5.9604644775390625e-8f;
}`,
  },
  random_normal: {
    needs: ['mix32'],
    define: (q) => `${q} float px_random_normal(unsigned seed_mix, unsigned index) {
  float u1 = (float)((px_mix32(2u * index + seed_mix * 0x9e3779b9u) >> 8) + 1u) * 5.9604644775390625e-8f;
  float u2 = (float)(px_mix32(2u * index + 1u + seed_mix * 0x9e3779b9u) >> 8) * 5.9604644775390625e-8f;
  return sqrtf(-2.0f * logf(u1)) * cosf(6.28318530717958647692f * u2);
}`,
  },
  floordiv32: {
    define: (q) => `${q} int px_floordiv(int a, int c) {
  int d = a / c;
  return (a % c != 0 && a < 0) ? d - 1 : d;
}`,
  },
  floormod32: {
    define: (q) => `${q} int px_floormod(int a, int c) {
  int r = a % c;
  return r < 0 ? r + c : r;
}`,
  },
  floordiv64: {
    define: (q) => `${q} long long px_floordiv64(long long a, long long c) {
  long long d = a / c;
  return (a % c != 0 && a < 0) ? d - 1 : d;
}`,
  },
  floormod64: {
    define: (q) => `${q} long long px_floormod64(long long a, long long c) {
  long long r = a % c;
  return r < 0 ? r + c : r;
}`,
  },
  // Whether x * (1 / b) may stand for x / b: 1 / b is a normal float (|b| in [2^-126, 2^126]) or
  // b is 0, Inf or NaN, where the product is what the quotient is.
  recip_ok: {
    define: (q) => `${q} int px_recip_ok(float b) {
  float a = b < 0.0f ? -b : b;
  return !(a > 0.0f && a < 0x1p-126f) && !(a > 0x1p126f && a <= 0x1.fffffep127f);
}`,
  },
};

const ORDER = Object.keys(HELPERS) as HelperName[];

/** Definitions of `used` helpers (and what they need), in a fixed order. */
export function renderHelpers(used: ReadonlySet<HelperName>, dialect: CDialect): string {
  const all = new Set<HelperName>();
  const visit = (h: HelperName): void => {
    if (all.has(h)) return;
    all.add(h);
    for (const n of HELPERS[h].needs ?? []) visit(n);
  };
  used.forEach(visit);
  return ORDER.filter((h) => all.has(h))
    .map((h) => HELPERS[h].define(dialect.helperQualifier))
    .join('\n');
}
