// cuda_emu.h: runs CUDA C kernels on the CPU so generated code can be checked without a GPU.
//
// Compile a .cu source as C++ (g++ -std=c++17 -x c++) after including this header. Every CUDA
// thread of a block is a fiber (its own small stack) on one OS thread; blocks run one after
// another. __syncthreads() and warp operations (shuffles, votes, __syncwarp) park the calling
// fiber until every live participant has arrived, so barrier and lockstep semantics hold exactly,
// and a barrier that can never complete is reported as a deadlock instead of hanging.
//
// Supported: threadIdx/blockIdx/blockDim/gridDim/warpSize, __global__/__device__/__host__/
// __forceinline__/__launch_bounds__, static __shared__ arrays (per block), __syncthreads,
// __syncwarp, __shfl_sync/_up/_down/_xor (width <= 32), __ballot_sync/__any_sync/__all_sync,
// __activemask, atomics on int/unsigned/float, CUDA-only math helpers (rsqrtf, __expf,
// __int_as_float, ...), and CUDA's launch limits. Not supported: dynamic (extern) shared memory,
// cooperative groups, streams, texture memory.
//
// Kernels are launched with cuda_emu::launch(grid, block, [&] { kernel(args...); }).
// Pass cuda_emu::Mode::Simple for kernels that never synchronize: threads then run as plain calls
// (much faster), and any synchronization primitive aborts with a clear message.
#ifndef PARADOX_CUDA_EMU_H
#define PARADOX_CUDA_EMU_H

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
#include <type_traits>
#include <vector>
// The x86-64 context switch below is the default there; CUDA_EMU_USE_UCONTEXT forces the
// portable (slower: two syscalls per switch) ucontext path used on other architectures.
#if defined(__x86_64__) && !defined(CUDA_EMU_USE_UCONTEXT)
#define CUDA_EMU_FAST_SWITCH 1
#else
#include <ucontext.h>
#endif

// ---------------------------------------------------------------------------------------------
// Keywords.

#define __global__
#define __device__
#define __host__
#define __noinline__ __attribute__((noinline))
#define __forceinline__ inline __attribute__((always_inline))
#define __launch_bounds__(...)
// A static local is shared by every fiber of the block; thread_local keeps blocks apart should
// blocks ever run on several OS threads. Blocks run one after another, so reuse is safe.
#define __shared__ static thread_local

struct uint3 {
  unsigned int x, y, z;
};
struct dim3 {
  unsigned int x, y, z;
  constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
};

namespace cuda_emu {

[[noreturn]] inline void fatal(const char* what) {
  std::fprintf(stderr, "cuda_emu: %s\n", what);
  std::fflush(stderr);
  std::exit(70);
}

constexpr unsigned kWarpSize = 32;
constexpr std::size_t kStackBytes = 256 * 1024;

// ---------------------------------------------------------------------------------------------
// Context switching: a tiny register swap on x86-64, ucontext elsewhere.

#if defined(CUDA_EMU_FAST_SWITCH)
// cuda_emu_switch(&from_sp, to_sp): saves the callee-saved registers on the current stack, stores
// the stack pointer in *from_sp and resumes the context whose stack pointer is to_sp.
extern "C" void cuda_emu_switch(void** from_sp, void* to_sp);
asm(R"(
  .text
  .weak cuda_emu_switch
  .hidden cuda_emu_switch
  .type cuda_emu_switch, @function
cuda_emu_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size cuda_emu_switch, .-cuda_emu_switch
)");

struct Context {
  void* sp = nullptr;
};

inline void prepare_context(Context& ctx, char* stack, std::size_t bytes, void (*entry)()) {
  auto top = reinterpret_cast<std::uintptr_t>(stack + bytes) & ~std::uintptr_t(15);
  auto* slot = reinterpret_cast<void**>(top);
  *--slot = nullptr;                              // fake return address of entry (never used)
  *--slot = reinterpret_cast<void*>(entry);       // popped by `ret`
  for (int i = 0; i < 6; ++i) *--slot = nullptr;  // rbp rbx r12 r13 r14 r15
  ctx.sp = slot;
}
inline void switch_context(Context& from, Context& to) { cuda_emu_switch(&from.sp, to.sp); }
#else
struct Context {
  ucontext_t uc;
};
inline void prepare_context(Context& ctx, char* stack, std::size_t bytes, void (*entry)()) {
  getcontext(&ctx.uc);
  ctx.uc.uc_stack.ss_sp = stack;
  ctx.uc.uc_stack.ss_size = bytes;
  ctx.uc.uc_link = nullptr;
  makecontext(&ctx.uc, entry, 0);
}
inline void switch_context(Context& from, Context& to) { swapcontext(&from.uc, &to.uc); }
#endif

// ---------------------------------------------------------------------------------------------
// Per-thread (fiber) state and the block scheduler.

enum class Mode { Cooperative, Simple };
enum class FiberState { Ready, AtBlockBarrier, AtWarpBarrier, Done };

struct Fiber {
  Context ctx;
  uint3 tid;
  unsigned lane, warp;
  FiberState state;
  unsigned wait_mask;      // at a warp barrier: the mask passed; once released: the lanes that took part
  unsigned exchange_gen;   // how many warp exchanges this lane has done (selects the buffer half)
};

struct Block {
  std::vector<Fiber> fibers;
  std::vector<std::uint64_t> exchange;  // per warp: 2 halves x 32 lanes
  Context scheduler;
  void (*invoke)(void*) = nullptr;
  void* body = nullptr;
};

inline thread_local uint3 t_thread_idx{0, 0, 0};
inline thread_local uint3 t_block_idx{0, 0, 0};
inline thread_local dim3 t_block_dim{1, 1, 1};
inline thread_local dim3 t_grid_dim{1, 1, 1};
inline thread_local Block* t_block = nullptr;
inline thread_local Fiber* t_fiber = nullptr;

inline Fiber& current_fiber(const char* primitive) {
  if (t_fiber == nullptr) {
    std::fprintf(stderr, "cuda_emu: %s called in a kernel launched with Mode::Simple (launch it cooperatively)\n",
                 primitive);
    std::exit(70);
  }
  return *t_fiber;
}

[[noreturn]] inline void fiber_entry() {
  Block& b = *t_block;
  b.invoke(b.body);
  t_fiber->state = FiberState::Done;
  switch_context(t_fiber->ctx, b.scheduler);
  fatal("a finished thread was resumed");
}

/**
 * Parks the current fiber in `state` and returns to the scheduler until released. For a warp
 * barrier, returns the lanes that took part (live lanes of `mask` at the moment of release).
 */
inline unsigned park(FiberState state, unsigned mask) {
  Fiber& f = *t_fiber;
  f.state = state;
  f.wait_mask = mask;
  switch_context(f.ctx, t_block->scheduler);
  return f.wait_mask;
}

inline unsigned live_lanes(const Block& b, unsigned warp) {
  unsigned mask = 0;
  const std::size_t first = std::size_t(warp) * kWarpSize;
  for (std::size_t i = first; i < b.fibers.size() && i < first + kWarpSize; ++i)
    if (b.fibers[i].state != FiberState::Done) mask |= 1u << (i - first);
  return mask;
}

/** Releases every barrier whose live participants have all arrived. Returns whether any was. */
inline bool release_barriers(Block& b) {
  bool released = false;
  std::size_t live = 0, at_block = 0;
  for (const Fiber& f : b.fibers) {
    live += f.state != FiberState::Done;
    at_block += f.state == FiberState::AtBlockBarrier;
  }
  if (at_block > 0 && at_block == live) {
    for (Fiber& f : b.fibers)
      if (f.state == FiberState::AtBlockBarrier) f.state = FiberState::Ready;
    return true;
  }
  const unsigned warps = unsigned((b.fibers.size() + kWarpSize - 1) / kWarpSize);
  for (unsigned w = 0; w < warps; ++w) {
    const unsigned alive = live_lanes(b, w);
    const std::size_t first = std::size_t(w) * kWarpSize;
    const std::size_t end = first + kWarpSize < b.fibers.size() ? first + kWarpSize : b.fibers.size();
    for (std::size_t i = first; i < end; ++i) {
      const Fiber& f = b.fibers[i];
      if (f.state != FiberState::AtWarpBarrier) continue;
      const unsigned expected = f.wait_mask & alive;
      unsigned arrived = 0;
      for (std::size_t j = first; j < end; ++j) {
        const Fiber& g = b.fibers[j];
        if (g.state == FiberState::AtWarpBarrier && g.wait_mask == f.wait_mask) arrived |= 1u << (j - first);
      }
      if ((arrived & expected) != expected) continue;
      for (std::size_t j = first; j < end; ++j) {
        if (!(arrived & (1u << (j - first)))) continue;
        b.fibers[j].state = FiberState::Ready;
        b.fibers[j].wait_mask = arrived;
      }
      released = true;
    }
  }
  return released;
}

inline std::vector<char*>& stack_pool() {
  static thread_local std::vector<char*> pool;
  return pool;
}

inline char* fiber_stack(std::size_t i) {
  auto& pool = stack_pool();
  while (pool.size() <= i) {
    void* p = mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) fatal("cannot allocate a fiber stack");
    mprotect(p, 4096, PROT_NONE);  // guard page: a stack overflow faults instead of corrupting
    pool.push_back(static_cast<char*>(p));
  }
  return pool[i];
}

inline void run_block_cooperative(Block& b) {
  const dim3 bd = t_block_dim;
  const std::size_t n = std::size_t(bd.x) * bd.y * bd.z;
  b.fibers.resize(n);
  b.exchange.assign(((n + kWarpSize - 1) / kWarpSize) * 2 * kWarpSize, 0);
  for (std::size_t i = 0; i < n; ++i) {
    Fiber& f = b.fibers[i];
    f.tid = uint3{unsigned(i % bd.x), unsigned(i / bd.x % bd.y), unsigned(i / (std::size_t(bd.x) * bd.y))};
    f.lane = unsigned(i % kWarpSize);
    f.warp = unsigned(i / kWarpSize);
    f.state = FiberState::Ready;
    f.wait_mask = 0;
    f.exchange_gen = 0;
    prepare_context(f.ctx, fiber_stack(i), kStackBytes, fiber_entry);
  }
  for (;;) {
    bool any_live = false;
    for (Fiber& f : b.fibers) {
      if (f.state != FiberState::Ready) {
        any_live |= f.state != FiberState::Done;
        continue;
      }
      t_fiber = &f;
      t_thread_idx = f.tid;
      switch_context(b.scheduler, f.ctx);
      any_live |= f.state != FiberState::Done;
    }
    t_fiber = nullptr;
    if (!any_live) return;
    if (!release_barriers(b))
      fatal("deadlock: some threads wait at a barrier (__syncthreads or a warp operation) that the other live "
            "threads of the block never reach");
  }
}

template <class Body>
void invoke_body(void* body) {
  (*static_cast<Body*>(body))();
}

inline void check_launch(dim3 grid, dim3 block) {
  const unsigned long long threads = 1ull * block.x * block.y * block.z;
  if (block.x == 0 || block.y == 0 || block.z == 0 || grid.x == 0 || grid.y == 0 || grid.z == 0)
    fatal("invalid launch: a grid or block dimension is 0");
  if (block.x > 1024 || block.y > 1024 || block.z > 64 || threads > 1024)
    fatal("invalid launch: block exceeds 1024 threads (x, y <= 1024, z <= 64)");
  if (grid.x > 2147483647u || grid.y > 65535 || grid.z > 65535)
    fatal("invalid launch: grid exceeds (2^31-1, 65535, 65535) blocks");
}

/** Runs `body` (a callable that invokes the kernel) once per thread of the grid. */
template <class Body>
void launch(dim3 grid, dim3 block, Body&& body, Mode mode = Mode::Cooperative) {
  using B = std::remove_reference_t<Body>;
  check_launch(grid, block);
  t_grid_dim = grid;
  t_block_dim = block;
  Block b;
  b.invoke = &invoke_body<B>;
  b.body = const_cast<void*>(static_cast<const void*>(&body));
  t_block = &b;
  for (unsigned bz = 0; bz < grid.z; ++bz)
    for (unsigned by = 0; by < grid.y; ++by)
      for (unsigned bx = 0; bx < grid.x; ++bx) {
        t_block_idx = uint3{bx, by, bz};
        if (mode == Mode::Cooperative) {
          run_block_cooperative(b);
          continue;
        }
        for (unsigned tz = 0; tz < block.z; ++tz)
          for (unsigned ty = 0; ty < block.y; ++ty)
            for (unsigned tx = 0; tx < block.x; ++tx) {
              t_thread_idx = uint3{tx, ty, tz};
              body();
            }
      }
  t_block = nullptr;
}

// ---------------------------------------------------------------------------------------------
// Warp data exchange: each lane publishes a value, waits for the participants, reads a peer's.
// Two buffer halves alternate, so a lane that runs ahead to the next exchange cannot overwrite a
// value a slower lane has yet to read (it would block at that exchange's barrier first).

template <class T>
T exchange(unsigned mask, T value, unsigned src_lane, const char* primitive) {
  static_assert(sizeof(T) <= sizeof(std::uint64_t), "warp exchange of values wider than 64 bits");
  Fiber& f = current_fiber(primitive);
  Block& b = *t_block;
  std::uint64_t* half = &b.exchange[(std::size_t(f.warp) * 2 + (f.exchange_gen & 1)) * kWarpSize];
  ++f.exchange_gen;
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(T));
  half[f.lane] = bits;
  const unsigned participants = park(FiberState::AtWarpBarrier, mask);
  if (src_lane >= kWarpSize || !(participants >> src_lane & 1u)) return value;  // inactive source: undefined on a GPU
  T out;
  std::memcpy(&out, &half[src_lane], sizeof(T));
  return out;
}

/** The predicate bits of the participating lanes; `participants` receives those lanes. */
inline unsigned ballot(unsigned mask, bool predicate, const char* primitive, unsigned* participants_out = nullptr) {
  Fiber& f = current_fiber(primitive);
  Block& b = *t_block;
  std::uint64_t* half = &b.exchange[(std::size_t(f.warp) * 2 + (f.exchange_gen & 1)) * kWarpSize];
  ++f.exchange_gen;
  half[f.lane] = predicate ? 1 : 0;
  const unsigned participants = park(FiberState::AtWarpBarrier, mask);
  if (participants_out != nullptr) *participants_out = participants;
  unsigned result = 0;
  for (unsigned l = 0; l < kWarpSize; ++l)
    if ((participants >> l & 1u) && half[l] != 0) result |= 1u << l;
  return result;
}

inline unsigned lane_of_current() { return t_fiber != nullptr ? t_fiber->lane : 0; }

}  // namespace cuda_emu

// ---------------------------------------------------------------------------------------------
// Built-in variables.

#define threadIdx (static_cast<const uint3&>(::cuda_emu::t_thread_idx))
#define blockIdx (static_cast<const uint3&>(::cuda_emu::t_block_idx))
#define blockDim (static_cast<const dim3&>(::cuda_emu::t_block_dim))
#define gridDim (static_cast<const dim3&>(::cuda_emu::t_grid_dim))
#define warpSize (int(::cuda_emu::kWarpSize))

// ---------------------------------------------------------------------------------------------
// Synchronization and warp primitives.

inline void __syncthreads() {
  ::cuda_emu::current_fiber("__syncthreads");
  ::cuda_emu::park(::cuda_emu::FiberState::AtBlockBarrier, 0);
}
inline void __syncwarp(unsigned mask = 0xffffffffu) {
  ::cuda_emu::current_fiber("__syncwarp");
  ::cuda_emu::park(::cuda_emu::FiberState::AtWarpBarrier, mask);
}
inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

inline unsigned __activemask() {
  ::cuda_emu::Fiber& f = ::cuda_emu::current_fiber("__activemask");
  return ::cuda_emu::live_lanes(*::cuda_emu::t_block, f.warp);
}

template <class T>
T __shfl_sync(unsigned mask, T var, int src_lane, int width = 32) {
  const unsigned lane = ::cuda_emu::lane_of_current();
  const unsigned base = lane & ~unsigned(width - 1);
  return ::cuda_emu::exchange(mask, var, base + (unsigned(src_lane) & unsigned(width - 1)), "__shfl_sync");
}
template <class T>
T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = 32) {
  const unsigned lane = ::cuda_emu::lane_of_current();
  const unsigned in_segment = lane & unsigned(width - 1);
  const unsigned src = in_segment >= delta ? lane - delta : lane;
  return ::cuda_emu::exchange(mask, var, src, "__shfl_up_sync");
}
template <class T>
T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = 32) {
  const unsigned lane = ::cuda_emu::lane_of_current();
  const unsigned in_segment = lane & unsigned(width - 1);
  const unsigned src = in_segment + delta < unsigned(width) ? lane + delta : lane;
  return ::cuda_emu::exchange(mask, var, src, "__shfl_down_sync");
}
template <class T>
T __shfl_xor_sync(unsigned mask, T var, int lane_mask, int width = 32) {
  const unsigned lane = ::cuda_emu::lane_of_current();
  const unsigned base = lane & ~unsigned(width - 1);
  const unsigned src = lane ^ unsigned(lane_mask);
  return ::cuda_emu::exchange(mask, var, (src & ~unsigned(width - 1)) == base ? src : lane, "__shfl_xor_sync");
}
inline unsigned __ballot_sync(unsigned mask, int predicate) {
  return ::cuda_emu::ballot(mask, predicate != 0, "__ballot_sync");
}
inline int __any_sync(unsigned mask, int predicate) {
  return ::cuda_emu::ballot(mask, predicate != 0, "__any_sync") != 0;
}
inline int __all_sync(unsigned mask, int predicate) {
  unsigned participants = 0;
  return ::cuda_emu::ballot(mask, predicate != 0, "__all_sync", &participants) == participants;
}

// ---------------------------------------------------------------------------------------------
// Math: CUDA device functions that are not in <cmath>. Standard float functions (expf, logf,
// sqrtf, fminf, ...) come from <cmath> in the global namespace.

inline float __int_as_float(int x) { float f; std::memcpy(&f, &x, 4); return f; }
inline int __float_as_int(float x) { int i; std::memcpy(&i, &x, 4); return i; }
inline float __uint_as_float(unsigned x) { float f; std::memcpy(&f, &x, 4); return f; }
inline unsigned __float_as_uint(float x) { unsigned u; std::memcpy(&u, &x, 4); return u; }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __sinf(float x) { return std::sin(x); }
inline float __cosf(float x) { return std::cos(x); }
inline float __powf(float x, float y) { return std::pow(x, y); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __frcp_rn(float x) { return 1.0f / x; }
inline float __fsqrt_rn(float x) { return std::sqrt(x); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }
inline float __saturatef(float x) { return x != x ? 0.0f : x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x; }
inline int __float2int_rz(float x) {
  if (x != x) return 0;
  if (x >= 2147483648.0f) return 2147483647;
  if (x <= -2147483648.0f) return -2147483647 - 1;
  return int(x);
}
inline int __mul24(int a, int b) { return int((long long)(a << 8 >> 8) * (b << 8 >> 8)); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(unsigned(x)); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline unsigned __umulhi(unsigned a, unsigned b) { return unsigned((1ull * a * b) >> 32); }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline float min(float a, float b) { return std::fmin(a, b); }
inline float max(float a, float b) { return std::fmax(a, b); }
template <class T>
inline T __ldg(const T* p) { return *p; }

// ---------------------------------------------------------------------------------------------
// Atomics (sequentially consistent; return the old value like CUDA's).

inline int atomicAdd(int* p, int v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
inline unsigned atomicAdd(unsigned* p, unsigned v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
  return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}
inline int atomicSub(int* p, int v) { return __atomic_fetch_sub(p, v, __ATOMIC_SEQ_CST); }
inline int atomicExch(int* p, int v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
inline int atomicCAS(int* p, int expected, int desired) {
  __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return expected;
}
inline unsigned atomicCAS(unsigned* p, unsigned expected, unsigned desired) {
  __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return expected;
}
inline int atomicMax(int* p, int v) {
  int old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
  while (old < v && !__atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {}
  return old;
}
inline int atomicMin(int* p, int v) {
  int old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
  while (old > v && !__atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {}
  return old;
}
inline float atomicAdd(float* p, float v) {
  unsigned* bits = reinterpret_cast<unsigned*>(p);
  unsigned old = __atomic_load_n(bits, __ATOMIC_SEQ_CST);
  for (;;) {
    const unsigned next = __float_as_uint(__uint_as_float(old) + v);
    if (__atomic_compare_exchange_n(bits, &old, next, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      return __uint_as_float(old);
  }
}
inline float atomicExch(float* p, float v) {
  return __uint_as_float(__atomic_exchange_n(reinterpret_cast<unsigned*>(p), __float_as_uint(v), __ATOMIC_SEQ_CST));
}

#endif  // PARADOX_CUDA_EMU_H
