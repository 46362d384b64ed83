// What every fuzz target shares (docs/fuzzing.md): libFuzzer's entry point, and the
// check of an invariant that stays on in a release build (assert would vanish under NDEBUG).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace cks::fuzz {

// Aborts, naming the invariant, when `holds` is false: libFuzzer keeps the input as a crash.
inline void require(bool holds, const char* invariant) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", invariant);
  std::abort();
}

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace cks::fuzz
