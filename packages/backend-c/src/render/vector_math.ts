/**
 * float32 exp, log, tanh, sigmoid, sin and cos as branch-free C the compiler vectorises when
 * they are inlined into a `#pragma omp simd` loop (the C library's versions are calls, which
 * stop vectorisation). Cody-Waite range reduction and Cephes minimax polynomials, within a few
 * ulp of the correctly rounded result. sin/cos reduce |x| <= 8192 themselves and leave larger
 * arguments to the C library (a branch, so loops with sin/cos do not vectorise; see README).
 * Special values (NaN, +-Inf, zeros, denormals, overflow) are selected explicitly.
 */
export const VECTOR_MATH = `static inline __attribute__((always_inline)) float px_bits_f(unsigned u) { union { unsigned u; float f; } v; v.u = u; return v.f; }
static inline __attribute__((always_inline)) unsigned px_f_bits(float f) { union { float f; unsigned u; } v; v.f = f; return v.u; }
static inline __attribute__((always_inline)) float px_expf(float x) {
  float xc = x > 88.72283935546875f ? 88.72283935546875f : (x < -103.5f ? -103.5f : x);
  float n = __builtin_floorf(xc * 1.44269504088896341f + 0.5f);
  float r = xc - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  int ni = (int)n;
  int n1 = ni >> 1;
  float s1 = px_bits_f((unsigned)(n1 + 127) << 23);
  float s2 = px_bits_f((unsigned)(ni - n1 + 127) << 23);
  float y = p * s1 * s2;
  y = x > 88.72283935546875f ? px_bits_f(0x7f800000u) : y;
  y = x < -103.97208f ? 0.0f : y;
  return x != x ? x : y;
}
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
  y = y * f - 1.1514610310e-1f;
  y = y * f + 1.1676998740e-1f;
  y = y * f - 1.2420140846e-1f;
  y = y * f + 1.4249322787e-1f;
  y = y * f - 1.6668057665e-1f;
  y = y * f + 2.0000714765e-1f;
  y = y * f - 2.4999993993e-1f;
  y = y * f + 3.3333331174e-1f;
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
  float a = x < 0.0f ? -x : x;
  float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  float small = p * z * x + x;
  float big = 1.0f - 2.0f / (px_expf(a + a) + 1.0f);
  big = x < 0.0f ? -big : big;
  small = x == 0.0f ? x : small;
  return a < 0.625f ? small : (x != x ? x : big);
}
static inline __attribute__((always_inline)) float px_sigmoidf(float x) { return 1.0f / (1.0f + px_expf(-x)); }
/* sin (cos_shift 0) or cos (cos_shift 2) of x: octant j of |x|, then the sine or cosine polynomial. */
static inline __attribute__((always_inline)) float px_sincosf(float x, int cos_shift) {
  float a = x < 0.0f ? -x : x;
  int j = (int)(a * 1.27323954473516f);
  j = (j + 1) & ~1;
  float y = (float)j;
  float r = ((a - y * 0.78515625f) - y * 2.4187564849853515625e-4f) - y * 3.77489497744594108e-8f;
  int q = j + cos_shift;
  float z = r * r;
  float c = ((2.443315711809948e-5f * z - 1.388731625493765e-3f) * z + 4.166664568298827e-2f) * z * z - 0.5f * z + 1.0f;
  float s = ((-1.9515295891e-4f * z + 8.3321608736e-3f) * z - 1.6666654611e-1f) * z * r + r;
  float v = (q & 2) ? c : s;
  int negative = (q & 4) != 0;
  negative = cos_shift == 0 && x < 0.0f ? !negative : negative;
  v = negative ? -v : v;
  return (x != x || a == px_bits_f(0x7f800000u)) ? px_bits_f(0x7fc00000u) : v;
}
/* Past 8192 the three-part reduction loses bits: the C library reduces those (a rare branch). */
static inline __attribute__((always_inline)) float px_sinf(float x) {
  float a = x < 0.0f ? -x : x;
  return __builtin_expect(a > 8192.0f && a != px_bits_f(0x7f800000u), 0) ? sinf(x) : (x == 0.0f ? x : px_sincosf(x, 0));
}
static inline __attribute__((always_inline)) float px_cosf(float x) {
  float a = x < 0.0f ? -x : x;
  return __builtin_expect(a > 8192.0f && a != px_bits_f(0x7f800000u), 0) ? cosf(x) : px_sincosf(x, 2);
}
`;
