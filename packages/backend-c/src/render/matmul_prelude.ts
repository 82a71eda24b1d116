/** The lanes of vector `v` summed as a tree of halves (lane i plus lane i + w / 2, and so on); no address taken, so accumulators stay in registers. */
function laneTree(w: number): string {
  let terms = Array.from({ length: w }, (_, i) => `v[${i}]`);
  while (terms.length > 1) {
    const half = terms.length / 2;
    terms = terms.slice(0, half).map((t, i) => `(${t} + ${terms[i + half]})`);
  }
  return terms[0]!;
}

/**
 * The C definitions the micro-kernel needs: the native float vector (PX_VW lanes), NR = 2 vectors,
 * MR rows (8 with AVX-512's 32 registers: 16 accumulators; 6 with 16 registers; PX_MR1 rows when
 * a row is one vector), PX_FMA(scalar,
 * vector, acc), an explicit fused multiply-add (the program is compiled with -ffp-contract=off, so
 * nothing else is fused), and PX_BOUND(bits), the float a max of `|x|` bit patterns stands for
 * (NaN's patterns lie above Inf's, so a NaN reads as Inf), and PX_THREAD and PX_THREADS, the OpenMP thread number and team size
 * (a batch-parallel kernel's pack buffers are per thread; an in-place matmul splits its tiles),
 * px_vmaxu, the lane-wise unsigned max of px_u vectors (a panel's max |b| as bit patterns), and for
 * the dot-product tile of narrow outputs PX_FMAV(vector, vector, acc) and px_hsum (a vector's lanes
 * summed as a tree of halves).
 */
export const MATMUL_PRELUDE = `#if defined(__AVX512F__)
#include <immintrin.h>
#define PX_VW 16
#define PX_FMA(s, v, c) ((px_v)_mm512_fmadd_ps(_mm512_set1_ps(s), (__m512)(v), (__m512)(c)))
#define PX_FMAV(a, v, c) ((px_v)_mm512_fmadd_ps((__m512)(a), (__m512)(v), (__m512)(c)))
#elif defined(__AVX__)
#define PX_VW 8
#if defined(__FMA__)
#include <immintrin.h>
#define PX_FMA(s, v, c) ((px_v)_mm256_fmadd_ps(_mm256_set1_ps(s), (__m256)(v), (__m256)(c)))
#define PX_FMAV(a, v, c) ((px_v)_mm256_fmadd_ps((__m256)(a), (__m256)(v), (__m256)(c)))
#endif
#else
#define PX_VW 4
#endif
#if !defined(PX_FMA) && defined(__ARM_FEATURE_FMA) && PX_VW == 4
#include <arm_neon.h>
#define PX_FMA(s, v, c) ((px_v)vfmaq_n_f32((float32x4_t)(c), (float32x4_t)(v), (s)))
#define PX_FMAV(a, v, c) ((px_v)vfmaq_f32((float32x4_t)(c), (float32x4_t)(a), (float32x4_t)(v)))
#endif
#ifndef PX_FMA
#define PX_FMA(s, v, c) ((c) + (s) * (v))
#define PX_FMAV(a, v, c) ((c) + (a) * (v))
#endif
#define PX_NR (2 * PX_VW)
#if PX_VW == 16
#define PX_MR 8
#define PX_MR1 16
#else
#define PX_MR 6
#define PX_MR1 12
#endif
#ifdef _OPENMP
#include <omp.h>
#define PX_THREAD omp_get_thread_num()
#define PX_THREADS omp_get_num_threads()
#else
#define PX_THREAD 0
#define PX_THREADS 1
#endif
#define PX_BOUND(bits) px_bits_f((bits) < 0x7f800000u ? (bits) : 0x7f800000u)
typedef float px_v __attribute__((vector_size(PX_VW * 4)));
typedef unsigned px_u __attribute__((vector_size(PX_VW * 4)));
static inline __attribute__((always_inline)) px_u px_vmaxu(px_u a, px_u b) {
#if PX_VW == 16
  return (px_u)_mm512_max_epu32((__m512i)a, (__m512i)b);
#elif PX_VW == 8 && defined(__AVX2__)
  return (px_u)_mm256_max_epu32((__m256i)a, (__m256i)b);
#else
  const px_u gt = (px_u)(b > a);
  return (a & ~gt) | (b & gt);
#endif
}
static inline __attribute__((always_inline)) float px_hsum(px_v v) {
#if PX_VW == 16
  return _mm512_reduce_add_ps((__m512)v);
#elif PX_VW == 8
  return ${laneTree(8)};
#else
  return ${laneTree(4)};
#endif
}`;

/** Most rows PX_MR or PX_MR1 may be (pack buffers are sized for it). */
export const MAX_MR = 16;
/** Most columns PX_NR may be (32 with AVX-512). */
export const MAX_NR = 32;
