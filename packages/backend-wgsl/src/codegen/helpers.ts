/**
 * WGSL helper functions the op table calls. Each is emitted only when the kernel body (or another
 * emitted helper) calls it. They exist where WGSL's builtins are undefined or differ from the
 * reference numerics of @paradox/ir: NaN/Inf handling (Vulkan lets drivers assume neither exists,
 * so we test bits, not `x != x`), the sign of zero, numpy floor division/modulo, C pow, saturating
 * float->int casts, and the counter-based `random` hash.
 */
const HELPERS: Record<string, string> = {
  f32_bits: `fn f32_bits(b: u32) -> f32 { return bitcast<f32>(b); }`,
  // x, as a value the compiler cannot fold (z >> 31 is 0 for any real workgroup count): see literals.ts.
  f_opaque: `fn f_opaque(x: f32, z: u32) -> f32 { return bitcast<f32>(bitcast<u32>(x) | (z >> 31u)); }`,
  is_nan: `fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }`,
  is_inf: `fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }`,
  f_abs: `fn f_abs(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) & 0x7fffffffu); }`,
  // maximum/minimum propagate NaN and order -0 < +0 (bitwise and/or of equal values picks the sign).
  // Helpers on hot paths are branch-free: SIMD lanes of a CPU adapter pay for every branch taken by any lane.
  // Conditions use `&`/`|`, not `&&`/`||`: WGSL's short-circuit operators are branches too.
  f_max: `fn f_max(a: f32, b: f32) -> f32 {
  let m = select(select(b, a, a > b), bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b)), a == b);
  return select(m, f32_bits(0x7fc00000u), is_nan(a) | is_nan(b));
}`,
  f_min: `fn f_min(a: f32, b: f32) -> f32 {
  let m = select(select(b, a, a < b), bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b)), a == b);
  return select(m, f32_bits(0x7fc00000u), is_nan(a) | is_nan(b));
}`,
  // Signs, zeros and integer parts are read from the bits where a comparison with 0 would see a
  // subnormal as 0 (CPU adapters run with denormals-are-zero).
  f_sign: `fn f_sign(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  return select(x, bitcast<f32>((b & 0x80000000u) | 0x3f800000u), ((b << 1u) != 0u) & !is_nan(x));
}`,
  f_relu: `fn f_relu(x: f32) -> f32 { return select(0.0f, x, (x > 0.0f) | is_nan(x)); }`,
  f_sqrt: `fn f_sqrt(x: f32) -> f32 {
  let r = select(sqrt(x), x, (x == 0.0f) | is_nan(x) | is_inf(x));
  return select(r, f32_bits(0x7fc00000u), x < 0.0f);
}`,
  f_log: `fn f_log(x: f32) -> f32 {
  let r = select(select(log(x), f32_bits(0xff800000u), x == 0.0f), x, is_nan(x) | is_inf(x));
  return select(r, f32_bits(0x7fc00000u), x < 0.0f);
}`,
  f_exp: `fn f_exp(x: f32) -> f32 {
  let r = select(select(exp(x), f32_bits(0x7f800000u), x > 88.8f), 0.0f, x < -104.0f);
  return select(r, x, is_nan(x));
}`,
  // Small |x|: tanh(x) rounds to x (keeps -0); large |x|: exactly +-1 in float32.
  f_tanh: `fn f_tanh(x: f32) -> f32 {
  let e = exp(2.0f * clamp(x, -9.1f, 9.1f));
  let t = select((e - 1.0f) / (e + 1.0f), select(-1.0f, 1.0f, x > 0.0f), f_abs(x) > 9.1f);
  return select(t, x, is_nan(x) | (f_abs(x) < 1e-4f));
}`,
  f_sigmoid: `fn f_sigmoid(x: f32) -> f32 { return 1.0f / (1.0f + f_exp(-x)); }`,
  // Truncation through i32 is exact below 2^23; beyond that every float is an integer already.
  f_floor: `fn f_floor(x: f32) -> f32 {
  if (!(f_abs(x) < 8388608.0f) || (bitcast<u32>(x) << 1u) == 0u) { return x; }
  let t = f32(i32(x));
  return select(t, t - 1.0f, (t > x) | ((t == 0.0f) & (bitcast<i32>(x) < 0i)));
}`,
  f_ceil: `fn f_ceil(x: f32) -> f32 {
  if (!(f_abs(x) < 8388608.0f)) { return x; }
  let t = f32(i32(x));
  let r = select(t, t + 1.0f, (t < x) | ((t == 0.0f) & (bitcast<i32>(x) > 0i)));
  // ceil(-0.5) is -0: a result of zero keeps the operand's sign.
  return select(r, bitcast<f32>(bitcast<u32>(x) & 0x80000000u), r == 0.0f);
}`,
  // Exact fmod on the bits (a port of musl's fmodf), then numpy's sign rule: the result takes the
  // divisor's sign; a zero result is +0 or -0 like the divisor.
  f_fmod: `fn f_fmod(x: f32, y: f32) -> f32 {
  var ux = bitcast<u32>(x);
  var uy = bitcast<u32>(y);
  var ex = i32((ux >> 23u) & 0xffu);
  var ey = i32((uy >> 23u) & 0xffu);
  let sx = ux & 0x80000000u;
  if ((uy << 1u) == 0u || is_nan(y) || ex == 0xff) { return f32_bits(0x7fc00000u); }
  if ((ux << 1u) <= (uy << 1u)) {
    if ((ux << 1u) == (uy << 1u)) { return bitcast<f32>(sx); }
    return x;
  }
  if (ex == 0) {
    var i = ux << 9u;
    loop { if ((i >> 31u) != 0u) { break; } ex -= 1; i = i << 1u; }
    ux = ux << u32(-ex + 1);
  } else {
    ux = (ux & 0x007fffffu) | 0x00800000u;
  }
  if (ey == 0) {
    var i = uy << 9u;
    loop { if ((i >> 31u) != 0u) { break; } ey -= 1; i = i << 1u; }
    uy = uy << u32(-ey + 1);
  } else {
    uy = (uy & 0x007fffffu) | 0x00800000u;
  }
  loop {
    if (ex <= ey) { break; }
    let i = ux - uy;
    if ((i >> 31u) == 0u) {
      if (i == 0u) { return bitcast<f32>(sx); }
      ux = i;
    }
    ux = ux << 1u;
    ex -= 1;
  }
  let i = ux - uy;
  if ((i >> 31u) == 0u) {
    if (i == 0u) { return bitcast<f32>(sx); }
    ux = i;
  }
  loop { if ((ux >> 23u) != 0u) { break; } ux = ux << 1u; ex -= 1; }
  if (ex > 0) {
    ux = (ux - 0x00800000u) | (u32(ex) << 23u);
  } else {
    ux = ux >> u32(-ex + 1);
  }
  return bitcast<f32>(ux | sx);
}`,
  f_mod: `fn f_mod(a: f32, b: f32) -> f32 {
  let r = f_fmod(a, b);
  // The divisor's sign bit, not a literal -0: SwiftShader folds a constant -0 to +0 (no signed zeros).
  if (r == 0.0f) { return bitcast<f32>(bitcast<u32>(b) & 0x80000000u); }
  return select(r, r + b, (r < 0.0f) != (b < 0.0f));
}`,
  // C pow: x^0 = 1 and 1^y = 1 even for NaN; (-1)^+-inf = 1; negative base needs an integer exponent.
  f_pow: `fn f_pow(a: f32, b: f32) -> f32 {
  if (b == 0.0f || a == 1.0f) { return 1.0f; }
  if (is_nan(a) || is_nan(b)) { return f32_bits(0x7fc00000u); }
  let ab = f_abs(a);
  if (is_inf(b)) {
    if (ab == 1.0f) { return 1.0f; }
    return select(0.0f, f32_bits(0x7f800000u), (ab > 1.0f) == (b > 0.0f));
  }
  let b_int = f_floor(b) == b;
  let negative = (bitcast<u32>(a) >> 31u) == 1u;
  if (negative && !b_int && a != 0.0f && !is_inf(a)) { return f32_bits(0x7fc00000u); }
  let b_odd = b_int && f_abs(b) < 16777216.0f && (i32(f_abs(b)) & 1) == 1;
  var m: f32;
  if (ab == 0.0f) {
    m = select(f32_bits(0x7f800000u), 0.0f, b > 0.0f);
  } else if (is_inf(a)) {
    m = select(0.0f, f32_bits(0x7f800000u), b > 0.0f);
  } else if (b_int && f_abs(b) <= 64.0f) {
    // Small integer powers by squaring: exact to rounding, like the reference.
    var e = u32(f_abs(b));
    var base = ab;
    m = 1.0f;
    loop { if (e == 0u) { break; } if ((e & 1u) == 1u) { m = m * base; } base = base * base; e = e >> 1u; }
    if (b < 0.0f) { m = 1.0f / m; }
  } else {
    m = exp2(b * log2(ab));
  }
  return select(m, -m, negative && b_odd);
}`,
  // sin/cos with argument reduction exact for every float32 (Vulkan lets drivers lose all accuracy
  // outside [-pi, pi]; SwiftShader does). Cody-Waite with a 3-part pi/2 below 8192, Payne-Hanek
  // (integer multiply by the bits of 2/pi) above; then Cephes' minimax polynomials on [-pi/4, pi/4].
  trig_poly: `fn trig_poly(r: f32, q: u32) -> f32 {
  let z = r * r;
  let s = r + r * z * (-1.6666654611e-1f + z * (8.3321608736e-3f + z * -1.9515295891e-4f));
  let c = 1.0f - 0.5f * z + z * z * (4.166664568298827e-2f + z * (-1.388731625493765e-3f + z * 2.443315711809948e-5f));
  let v = select(s, c, (q & 1u) == 1u);
  return select(v, -v, (q & 2u) == 2u);
}`,
  two_over_pi: `fn two_over_pi(start: u32) -> u32 {
  var t = array<u32, 9>(0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u, 0x3c439041u, 0xfe5163abu, 0xdebbc561u, 0u);
  let w = (start - 1u) / 32u;
  let o = (start - 1u) % 32u;
  return select((t[w] << o) | (t[w + 1u] >> (32u - o)), t[w], o == 0u);
}`,
  // Returns (r, quadrant) with |x| = (quadrant + r / (pi/2)) * pi/2 (mod 2 pi), |r| <= pi/4.
  trig_reduce: `fn trig_reduce(ax: f32) -> vec2<f32> {
  if (ax < 8192.0f) {
    let n = f_floor(ax * 0.63661975f + 0.5f);
    let r = ((ax - n * 1.5703125f) - n * 0.0004837512969970703f) - n * 7.549790126404332e-8f;
    return vec2<f32>(r, f32(u32(n) & 3u));
  }
  let bits = bitcast<u32>(ax);
  let e = i32(bits >> 23u) - 150;
  let m = (bits & 0x7fffffu) | 0x800000u;
  let p0 = u32(max(1, e - 1));
  let w2 = two_over_pi(p0);
  let w1 = two_over_pi(p0 + 32u);
  let w0 = two_over_pi(p0 + 64u);
  var w = array<u32, 6>(w0 & 0xffffu, w0 >> 16u, w1 & 0xffffu, w1 >> 16u, w2 & 0xffffu, w2 >> 16u);
  let m0 = m & 0xffffu;
  let m1 = m >> 16u;
  var p = array<u32, 12>(0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u);
  var carry = 0u;
  for (var k = 0u; k < 8u; k++) {
    var s = carry;
    if (k < 6u) { s += (m0 * w[k]) & 0xffffu; }
    if (k >= 1u && k <= 6u) { s += ((m0 * w[k - 1u]) >> 16u) + ((m1 * w[k - 1u]) & 0xffffu); }
    if (k >= 2u && k <= 7u) { s += (m1 * w[k - 2u]) >> 16u; }
    p[k] = s & 0xffffu;
    carry = s >> 16u;
  }
  // The binary point of the product sits at bit sh: quadrant above it, fraction below.
  let sh = u32(95 + i32(p0) - e);
  var words = array<u32, 3>(0u, 0u, 0u);
  for (var i = 0u; i < 3u; i++) {
    let pos = sh - 64u + 32u * i;
    let j = pos / 16u;
    let r = pos % 16u;
    let lo = p[j] | (p[j + 1u] << 16u);
    let hi = p[j + 2u] | (p[j + 3u] << 16u);
    words[i] = (lo >> r) | select(hi << (32u - r), 0u, r == 0u);
  }
  var q = words[2] & 3u;
  var fh = words[1];
  var fl = words[0];
  var sign = 1.0f;
  if ((fh >> 31u) == 1u) {
    // Fraction >= 1/2: use fraction - 1 (two's complement keeps the low bits exact), next quadrant.
    fl = ~fl + 1u;
    fh = ~fh + select(0u, 1u, fl == 0u);
    q = q + 1u;
    sign = -1.0f;
  }
  let f = f32(fh) * 2.3283064365386963e-10f + f32(fl) * 5.421010862427522e-20f;
  return vec2<f32>(sign * f * 1.5707963267948966f, f32(q & 3u));
}`,
  f_sin: `fn f_sin(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f32_bits(0x7fc00000u); }
  let ax = f_abs(x);
  if (x == 0.0f) { return x; }
  if (ax <= 0.7853981f) { return trig_poly(x, 0u); }
  let rq = trig_reduce(ax);
  let v = trig_poly(rq.x, u32(rq.y));
  return select(v, -v, x < 0.0f);
}`,
  f_cos: `fn f_cos(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f32_bits(0x7fc00000u); }
  let ax = f_abs(x);
  if (ax <= 0.7853981f) { return trig_poly(ax, 1u); }
  let rq = trig_reduce(ax);
  return trig_poly(rq.x, u32(rq.y) + 1u);
}`,
  // Saturating float->int32: NaN is 0, out of range clamps, the rest truncates toward zero.
  f_to_i32: `fn f_to_i32(x: f32) -> i32 {
  let t = select(select(i32(clamp(x, -2147483520.0f, 2147483520.0f)), 2147483647i, x >= 2147483648.0f), i32(-2147483647 - 1), x <= -2147483648.0f);
  return select(t, 0i, is_nan(x));
}`,
  // numpy floor division / modulo; a zero divisor gives 0.
  i_div: `fn i_div(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  if (b == -1i) { return -a; }
  let q = a / b;
  return select(q, q - 1i, (q * b != a) & ((a < 0i) != (b < 0i)));
}`,
  i_mod: `fn i_mod(a: i32, b: i32) -> i32 {
  if (b == 0i || b == -1i) { return 0i; }
  let r = a % b;
  return select(r, r + b, (r != 0i) & ((r < 0i) != (b < 0i)));
}`,
  // Integer power with wraparound; negative exponents give 0 except for bases 1 and -1.
  i_pow: `fn i_pow(a: i32, b: i32) -> i32 {
  if (b < 0i) {
    if (a == 1i) { return 1i; }
    if (a == -1i) { return select(-1i, 1i, (b & 1i) == 0i); }
    return 0i;
  }
  var r = 1i;
  var base = a;
  var e = b;
  loop { if (e == 0i) { break; } if ((e & 1i) == 1i) { r = r * base; } base = base * base; e = e >> 1u; }
  return r;
}`,
  i_sign: `fn i_sign(x: i32) -> i32 { return select(select(0i, 1i, x > 0i), -1i, x < 0i); }`,
  // Floor division/modulo of index arithmetic by a positive constant, for possibly negative operands.
  ix_div: `fn ix_div(a: i32, c: i32) -> i32 { let q = a / c; return select(q, q - 1i, (q * c != a) & (a < 0i)); }`,
  ix_mod: `fn ix_mod(a: i32, c: i32) -> i32 { let r = a % c; return select(r, r + c, r < 0i); }`,
  // The counter-based generator of @paradox/ir's random.ts, bit for bit (u32 multiplies wrap).
  mix32: `fn mix32(x0: u32) -> u32 {
  var x = (x0 ^ (x0 >> 16u)) * 0x7feb352du;
  x = (x ^ (x >> 15u)) * 0x846ca68bu;
  return x ^ (x >> 16u);
}`,
  rand_uniform: `fn rand_uniform(key: u32, index: u32) -> f32 { return f32(mix32(index + key) >> 8u) * 5.9604644775390625e-8f; }`,
  rand_normal: `fn rand_normal(key: u32, index: u32) -> f32 {
  let u1 = (f32(mix32(2u * index + key) >> 8u) + 1.0f) * 5.9604644775390625e-8f;
  let u2 = f32(mix32(2u * index + 1u + key) >> 8u) * 5.9604644775390625e-8f;
  return sqrt(-2.0f * f_log(u1)) * f_cos(6.2831853071795864f * u2);
}`,
};

const NAMES = Object.keys(HELPERS);

/** Helper definitions `body` needs (transitively), in a stable order. */
export function helpersFor(body: string): string {
  const needed = new Set<string>();
  const scan = (text: string) => {
    for (const name of NAMES) {
      if (!needed.has(name) && new RegExp(`\\b${name}\\(`).test(text)) {
        needed.add(name);
        scan(HELPERS[name]!);
      }
    }
  };
  scan(body);
  return NAMES.filter((n) => needed.has(n))
    .map((n) => HELPERS[n])
    .join('\n');
}
