// harness.h: the host side of an emulated program binary. A binary holds several programs; the
// first argument picks one. Its input buffers (then its constants) arrive on stdin as raw bytes
// in a fixed order, its outputs leave on stdout the same way. Exit codes: 64 usage, 65 short
// input, 70 emulation failure (see cuda_emu.h).
#ifndef PARADOX_EMU_HARNESS_H
#define PARADOX_EMU_HARNESS_H

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace paradox_emu {

using Bytes = std::vector<unsigned char>;

/** Reads exactly buffer.size() bytes from stdin; false on a short read. */
inline bool read_exact(Bytes& buffer) {
  std::size_t done = 0;
  while (done < buffer.size()) {
    const std::size_t got = std::fread(buffer.data() + done, 1, buffer.size() - done, stdin);
    if (got == 0) return false;
    done += got;
  }
  return true;
}

inline void write_all(const Bytes& buffer) {
  if (!buffer.empty() && std::fwrite(buffer.data(), 1, buffer.size(), stdout) != buffer.size()) {
    std::fprintf(stderr, "paradox_emu: writing an output failed\n");
    std::exit(74);
  }
}

/** Memory a kernel writes before reading: filled with 0xff (NaN / -1) so reading it unwritten shows. */
inline Bytes uninitialized(std::size_t bytes) { return Bytes(bytes, 0xff); }
inline Bytes zeroed(std::size_t bytes) { return Bytes(bytes, 0); }

[[noreturn]] inline void short_input(const char* what) {
  std::fprintf(stderr, "paradox_emu: stdin ended before all %s were read\n", what);
  std::exit(65);
}

using ProgramFn = void (*)();

inline int dispatch(int argc, char** argv, const ProgramFn* programs, int count) {
  const int index = argc == 2 ? std::atoi(argv[1]) : -1;
  if (index < 0 || index >= count) {
    std::fprintf(stderr, "usage: %s <program index 0..%d>\n", argv[0], count - 1);
    return 64;
  }
  programs[index]();
  std::fflush(stdout);
  return 0;
}

}  // namespace paradox_emu

#endif  // PARADOX_EMU_HARNESS_H
