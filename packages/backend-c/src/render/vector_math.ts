/**
 * float32 exp, log, tanh, sigmoid, sin and cos as branch-free C the compiler vectorises when
 * they are inlined into a `#pragma omp simd` loop (the C library's versions are calls, which
 * stop vectorisation). Cody-Waite range reduction (Payne-Hanek for sin/cos beyond 8192) and
 * Cephes minimax polynomials (tanh: Eigen's rational minimax, about 5 ulp, for half the latency),
 * within a few ulp of the correctly rounded result. sigmoid has its own exp ends (about 2.4 ulp):
 * chains of tanh/sigmoid are latency-bound, so both keep clamps and corrections off their critical
 * paths (W3's 200-op chain on 16 lanes: 1.34 -> 1.06 us of kernel).
 * Special values (NaN, +-Inf, zeros, denormals, overflow) are selected explicitly.
 */
export const VECTOR_MATH = `/* Polynomial steps fuse explicitly (-ffp-contract=off fuses nothing else): bounded values, no overflow. */
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
#define PX_FMAF(a, b, c) __builtin_fmaf(a, b, c)
#else
#define PX_FMAF(a, b, c) ((a) * (b) + (c))
#endif
static inline __attribute__((always_inline)) float px_bits_f(unsigned u) { union { unsigned u; float f; } v; v.u = u; return v.f; }
static inline __attribute__((always_inline)) unsigned px_f_bits(float f) { union { float f; unsigned u; } v; v.f = f; return v.u; }
/* exp(r) - 1 for r = x - n ln2 (|r| <= ln2 / 2): two-part Cody-Waite reduction (n * 0.693359375 is
   exact: it needs few bits) and Cephes' degree-5 polynomial by Estrin's scheme, half the dependent
   steps of Horner's (short chains of squashing ops are latency-bound). px_expf and px_expf_np. */
static inline __attribute__((always_inline)) float px_expm1_reduced(float x, float n) {
  float r = PX_FMAF(n, -0.693359375f, x);
  r = PX_FMAF(n, 2.12194440e-4f, r);
  float r2 = r * r;
  float p01 = PX_FMAF(1.6666665459e-1f, r, 5.0000001201e-1f);
  float p23 = PX_FMAF(8.3334519073e-3f, r, 4.1665795894e-2f);
  float p45 = PX_FMAF(1.9875691500e-4f, r, 1.3981999507e-3f);
  float p = PX_FMAF(PX_FMAF(p45, r2, p23), r2, p01);
  return PX_FMAF(p, r2, r);
}
static inline __attribute__((always_inline)) float px_expf(float x) {
  /* x is clamped below at -104 (2^n >= 2^-150: p * 2^n rounds to +0 by itself below) as an unsigned
     min on its bits: negative floats below -104 (and negative NaNs) have the larger patterns, positive
     floats the smaller ones. One integer op; GCC renders float clamps as compare-and-blend pairs. */
  unsigned xu = px_f_bits(x);
  float xc = px_bits_f(xu < 0xc2d00000u ? xu : 0xc2d00000u);
  /* n = round(x / ln2) by adding 1.5 * 2^23 + 254: t's low bits are then n + 254 (no conversion).
     The upper clamp (n <= 128: p * 2^128 overflows to +Inf by itself) is an unsigned min on t's bits;
     x = +Inf keeps r = +Inf, so p and the result are +Inf. */
  unsigned tb = px_f_bits(PX_FMAF(xc, 1.44269504088896341f, 12583166.0f));
  tb = tb < 0x4b40017eu ? tb : 0x4b40017eu;
  float n = px_bits_f(tb) - 12583166.0f;
  float q = px_expm1_reduced(xc, n);
  /* (1 + q) * 2^n in two exact-range steps (2^a * 2^b, a + b = n + 254 biased), so a subnormal
     result is rounded once. With t's bits 0x4b400000 + (n + 254), whose top part has zero low 9
     bits, shifting t's bits is shifting n + 254: four integer ops for both scales. 2^a is normal,
     so q * 2^a + 2^a rounds exactly as 1 + q does, then scales: the add folds into the FMA (softmax's
     exp pass: 22 vector ops per 16 lanes, was 29; the same results for all 2^32 inputs). */
  float s1 = px_bits_f((tb >> 1) << 23);
  float s2 = px_bits_f((tb - (tb >> 1)) << 23);
  float y = PX_FMAF(q, s1, s1) * s2;
  return x != x ? x : y;
}
/* px_expf for x <= 0 or NaN (x - max(x)), the same results with 18 vector ops instead of 22: no
   upper clamp, and n in [-150, 0] lets one scale do: t's low bits are n + 191 (magic 1.5 * 2^23 +
   191), so t's bits shifted are 2^(n + 64), always normal; q * 2^(n+64) + 2^(n+64) rounds exactly as
   1 + q does, and the exact power 2^-64 then rounds a subnormal result once, as px_expf's two steps.
   Only with a fused multiply-add: without one, q * 2^(n+64) may round on its own (7 inputs differ). */
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
static inline __attribute__((always_inline)) float px_expf_np(float x) {
  unsigned xu = px_f_bits(x);
  float xc = px_bits_f(xu < 0xc2d00000u ? xu : 0xc2d00000u);
  unsigned tb = px_f_bits(PX_FMAF(xc, 1.44269504088896341f, 12583103.0f));
  float n = px_bits_f(tb) - 12583103.0f;
  float q = px_expm1_reduced(xc, n);
  float s = px_bits_f(tb << 23);
  float y = PX_FMAF(q, s, s) * 5.42101086242752217e-20f;
  return x != x ? x : y;
}
#else
static inline __attribute__((always_inline)) float px_expf_np(float x) { return px_expf(x); }
#endif
static inline __attribute__((always_inline)) float px_logf(float x) {
  int tiny = x < 1.17549435e-38f;
  float xs = tiny ? x * 8388608.0f : x;
  unsigned u = px_f_bits(xs);
  int e = (int)((u >> 23) & 0xffu) - 126 - (tiny ? 23 : 0);
  float m = px_bits_f((u & 0x007fffffu) | 0x3f000000u);
  int small = m < 0.707106781186547524f;
  e = small ? e - 1 : e;
  float f = small ? m + m - 1.0f : m - 1.0f;
  float z = f * f;
  float y = 7.0376836292e-2f;
  y = PX_FMAF(y, f, -1.1514610310e-1f);
  y = PX_FMAF(y, f, 1.1676998740e-1f);
  y = PX_FMAF(y, f, -1.2420140846e-1f);
  y = PX_FMAF(y, f, 1.4249322787e-1f);
  y = PX_FMAF(y, f, -1.6668057665e-1f);
  y = PX_FMAF(y, f, 2.0000714765e-1f);
  y = PX_FMAF(y, f, -2.4999993993e-1f);
  y = PX_FMAF(y, f, 3.3333331174e-1f);
  y = y * f * z;
  float fe = (float)e;
  y = y - 2.12194440e-4f * fe;
  y = y - 0.5f * z;
  float r = f + y + 0.693359375f * fe;
  r = x == px_bits_f(0x7f800000u) ? x : r;
  r = x == 0.0f ? px_bits_f(0xff800000u) : r;
  r = x < 0.0f ? px_bits_f(0x7fc00000u) : r;
  return x != x ? x : r;
}
static inline __attribute__((always_inline)) float px_tanhf(float x) {
  /* A rational minimax x * P(x^2) / Q(x^2) on [-7.9, 7.9] (Eigen's): short Estrin chains, half the
     latency of 1 - 2 / (exp(2|x|) + 1) (chains of squashing ops are latency-bound). 1 / Q runs
     alongside x * P instead of after it, and there is no clamp on the way in: beyond |x| = 7.9053
     (where tanh is 1 within 5 ulp) the result is +-1 by a select, which also drops what large or
     infinite x made of the polynomials. */
  float a = x < 0.0f ? -x : x;
  float z = x * x;
  float z2 = z * z;
  float z4 = z2 * z2;
  float p = PX_FMAF(PX_FMAF(-2.76076847742355e-16f, z2, PX_FMAF(2.00018790482477e-13f, z, -8.60467152213735e-11f)), z4,
                    PX_FMAF(PX_FMAF(5.12229709037114e-08f, z, 1.48572235717979e-05f), z2, PX_FMAF(6.37261928875436e-04f, z, 4.89352455891786e-03f)));
  float q = PX_FMAF(PX_FMAF(1.19825839466702e-06f, z, 1.18534705686654e-04f), z2, PX_FMAF(2.26843463243900e-03f, z, 4.89352518554385e-03f));
  float y = (x * p) * (1.0f / q);
  /* Below 0.625 an odd polynomial is closer (about 1 ulp); it runs alongside (Estrin), off the critical path. */
  float s = PX_FMAF(PX_FMAF(-5.70498872745e-3f, z2, PX_FMAF(2.06390887954e-2f, z, -5.37397155531e-2f)), z2,
                    PX_FMAF(1.33314422036e-1f, z, -3.33332819422e-1f));
  float small = PX_FMAF(s * z, x, x);
  small = x == 0.0f ? x : small; /* keeps -0 */
  y = a < 0.625f ? small : y;
  /* +-1 by bits: with ?: GCC 12 stops vectorising a loop where x is known >= 0 (tanh after relu). */
  float one = px_bits_f((px_f_bits(x) & 0x80000000u) | 0x3f800000u);
  return a > 7.90531110763549805f ? one : y;
}
static inline __attribute__((always_inline)) float px_sigmoidf(float x) {
  /* 1 / (1 + e), e = exp(-x) = 2^n (1 + q), with exp's reduction and polynomial but its own ends
     (sigmoid is latency-bound in chains): no clamp on the way in (x beyond [-88, 87] is selected at
     the end: 0 below, 1 above, where 2^n would leave the normal range); 2^n from t's bits in one
     step (n in [-126, 127]: no subnormal scale); the polynomial one FMA shallower than exp's (r^4
     beside r^2); the denominator as one FMA, q * 2^n + (2^n + 1), whose addend is ready early. NaN
     flows through every step. */
  float xn = -x;
  /* -x * log2e + 1.5 * 2^23 + 127: t's low bits are n + 127 (the biased exponent of 2^n), and t does
     not wait for the negation. */
  float t = PX_FMAF(x, -1.44269504088896341f, 12583039.0f);
  float n = t - 12583039.0f;
  /* px_expm1_reduced's reduction and coefficients, summed to r^4 beside r^2 (one FMA shallower). */
  float r = PX_FMAF(n, -0.693359375f, xn);
  r = PX_FMAF(n, 2.12194440e-4f, r);
  float r2 = r * r;
  float p01 = PX_FMAF(1.6666665459e-1f, r, 5.0000001201e-1f);
  float p23 = PX_FMAF(8.3334519073e-3f, r, 4.1665795894e-2f);
  float p45 = PX_FMAF(1.9875691500e-4f, r, 1.3981999507e-3f);
  float r4 = r2 * r2;
  float q = PX_FMAF(PX_FMAF(p45, r2, p23), r4, PX_FMAF(p01, r2, r)); /* exp(r) - 1, Estrin to r^4 */
  float s = px_bits_f(px_f_bits(t) << 23);
  float y = 1.0f / PX_FMAF(q, s, s + 1.0f);
  y = x > 87.0f ? 1.0f : y;
  return x < -88.0f ? 0.0f : y;
}
/* Quadrant (low 2 bits) and remainder r in [-pi/4, pi/4] of |x| = q * pi/2 + r. Up to 8192:
   three-part Cody-Waite. Beyond: Payne-Hanek on the 24-bit mantissa m, |x| = m * 2^(E-150):
   only a 64-bit window of the bits of 2/pi matters (earlier ones add multiples of 4, later ones
   nothing), so m times that window (mod 2^64) holds the quadrant in its top 2 bits and the
   fraction below. Branch-free; the table reads become gathers. */
static const unsigned px_two_over_pi[9] = {0u, 0u, 0xa2f9836eu, 0x4e441529u, 0xfc2757d1u,
                                          0xf534ddc0u, 0xdb629599u, 0x3c439041u, 0xfe5163abu};
static inline __attribute__((always_inline)) float px_reduce_pio2(float a, int* q) {
  int j = (int)(a * 0.636619772367581343f + 0.5f);
  float y = (float)j;
  float r = ((a - y * 1.5703125f) - y * 4.83751296997070312e-4f) - y * 7.54978995489188216e-8f;
  unsigned u = px_f_bits(a);
  int s = (int)(u >> 23) - 152 + 64;
  s = s < 0 ? 0 : (s > 166 ? 166 : s);
  unsigned long long m = (unsigned long long)((u & 0x007fffffu) | 0x00800000u);
  int i = s >> 5, sh = s & 31;
  unsigned long long hi = ((unsigned long long)px_two_over_pi[i] << 32) | px_two_over_pi[i + 1];
  unsigned long long window = (hi << sh) | (((unsigned long long)px_two_over_pi[i + 2] << sh) >> 32);
  unsigned long long t = m * window + (1ull << 61);
  long long f = (long long)(t & ((1ull << 62) - 1)) - (1ll << 61);
  float rb = (float)((double)f * 3.4061215800865545e-19);
  /* Blend by mask, not ?:, which the compiler would turn into a branch around the costly side. */
  unsigned big = -(unsigned)(a > 8192.0f);
  *q = (int)(((unsigned)(t >> 62) & big) | ((unsigned)j & ~big));
  return px_bits_f((px_f_bits(rb) & big) | (px_f_bits(r) & ~big));
}
/* sin (cos_shift 0) or cos (cos_shift 1) of x: sin(q pi/2 + r) by the quadrant, r's polynomials.
   & and | rather than && and ||: short-circuits are control flow, which stops vectorisation. */
static inline __attribute__((always_inline)) float px_sincosf(float x, int cos_shift) {
  float a = x < 0.0f ? -x : x;
  int q;
  float r = px_reduce_pio2(a, &q);
  q += cos_shift;
  float z = r * r;
  float c = ((2.443315711809948e-5f * z - 1.388731625493765e-3f) * z + 4.166664568298827e-2f) * z * z - 0.5f * z + 1.0f;
  float sn = ((-1.9515295891e-4f * z + 8.3321608736e-3f) * z - 1.6666654611e-1f) * z * r + r;
  float v = (q & 1) ? c : sn;
  int negative = (q & 2) != 0;
  negative ^= (cos_shift == 0) & (x < 0.0f);
  v = negative ? -v : v;
  return ((x != x) | (a == px_bits_f(0x7f800000u))) ? px_bits_f(0x7fc00000u) : v;
}
static inline __attribute__((always_inline)) float px_sinf(float x) {
  float v = px_sincosf(x, 0); /* computed unconditionally: a call inside ?: would be a branch */
  return x == 0.0f ? x : v;
}
static inline __attribute__((always_inline)) float px_cosf(float x) { return px_sincosf(x, 1); }
`;
