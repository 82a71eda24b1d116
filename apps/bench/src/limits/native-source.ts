/**
 * One C++ program, two probes: `triad N REPS THREADS` (STREAM triad on doubles, best GB/s) and
 * `fma ITERS THREADS` (independent vector FMA chains, GFLOP/s). Compiled with g++ -O3 -march=native.
 */
export const NATIVE_PROBE_SOURCE = String.raw`
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

static double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

#if defined(__AVX512F__)
typedef float vf __attribute__((vector_size(64)));
static const int LANES = 16;
static const char* ISA = "avx512";
#elif defined(__AVX__)
typedef float vf __attribute__((vector_size(32)));
static const int LANES = 8;
static const char* ISA = "avx2";
#else
typedef float vf __attribute__((vector_size(16)));
static const int LANES = 4;
static const char* ISA = "sse/neon";
#endif

#define ACC 16

__attribute__((noinline)) static float fma_chain(long iters, float a, float b) {
  vf acc[ACC];
  vf va, vb;
  for (int l = 0; l < LANES; l++) { va[l] = a; vb[l] = b; }
  for (int k = 0; k < ACC; k++) for (int l = 0; l < LANES; l++) acc[k][l] = 0.001f * (k + l);
  for (long i = 0; i < iters; i++) {
#pragma GCC unroll 16
    for (int k = 0; k < ACC; k++) acc[k] = acc[k] * va + vb;
  }
  float s = 0;
  for (int k = 0; k < ACC; k++) for (int l = 0; l < LANES; l++) s += acc[k][l];
  return s;
}

__attribute__((noinline)) static void triad(double* a, const double* b, const double* c, double s, size_t lo, size_t hi) {
  for (size_t i = lo; i < hi; i++) a[i] = b[i] + s * c[i];
}

int main(int argc, char** argv) {
  if (argc < 2) { std::fprintf(stderr, "usage: probe triad N REPS THREADS | fma ITERS THREADS\n"); return 2; }
  if (!std::strcmp(argv[1], "triad") && argc == 5) {
    size_t n = std::strtoull(argv[2], 0, 10);
    int reps = std::atoi(argv[3]), threads = std::atoi(argv[4]);
    double* a = (double*)std::aligned_alloc(64, n * 8);
    double* b = (double*)std::aligned_alloc(64, n * 8);
    double* c = (double*)std::aligned_alloc(64, n * 8);
    auto chunk = [&](int t, size_t& lo, size_t& hi) { lo = n * t / threads; hi = n * (t + 1) / threads; };
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; t++) pool.emplace_back([&, t] {  // first touch by the thread that uses it
      size_t lo, hi; chunk(t, lo, hi);
      for (size_t i = lo; i < hi; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
    });
    for (auto& th : pool) th.join();
    double best = 1e30;
    for (int r = 0; r < reps + 1; r++) {
      pool.clear();
      double t0 = now();
      for (int t = 0; t < threads; t++) pool.emplace_back([&, t] { size_t lo, hi; chunk(t, lo, hi); triad(a, b, c, 3.0, lo, hi); });
      for (auto& th : pool) th.join();
      double dt = now() - t0;
      if (r > 0) best = std::min(best, dt);
    }
    if (a[n - 1] != 7.0) { std::fprintf(stderr, "triad check failed\n"); return 1; }
    std::printf("{\"gbs\": %.4f, \"bestS\": %.6f, \"bytes\": %.0f}\n", 24.0 * n / best / 1e9, best, 24.0 * n);
    return 0;
  }
  if (!std::strcmp(argv[1], "fma") && argc == 4) {
    long iters = std::atol(argv[2]);
    int threads = std::atoi(argv[3]);
    float a = 0.999f + 1e-7f * argc, b = 0.001f;
    double best = 1e30;
    std::vector<float> sink(threads);
    for (int r = 0; r < 4; r++) {
      std::vector<std::thread> pool;
      double t0 = now();
      for (int t = 0; t < threads; t++) pool.emplace_back([&, t] { sink[t] = fma_chain(iters, a, b); });
      for (auto& th : pool) th.join();
      double dt = now() - t0;
      if (r > 0) best = std::min(best, dt);
    }
    double flops = 2.0 * ACC * LANES * (double)iters * threads;
    std::printf("{\"gflops\": %.4f, \"bestS\": %.6f, \"isa\": \"%s\", \"lanes\": %d, \"sink\": %g}\n", flops / best / 1e9, best, ISA, LANES, (double)sink[0]);
    return 0;
  }
  std::fprintf(stderr, "bad arguments\n");
  return 2;
}
`;
