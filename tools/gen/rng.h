// Deterministic hashing and pseudo-random numbers for medvqa-gen.
//
// Everything the generator writes is a pure function of (seed, indices): the standard library's
// distributions are implementation-defined, so they are not used; these few lines are.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "synth/random.h"

namespace medvqa::gen {

// mix64, hashLabel and the stream seed are medvqa synth's (core/synth/random.h, header-only):
// one copy of the hashing behind every generated UID, name and pixel.
using synth::hashLabel;
using synth::mix64;

/// Deterministic hash of a seed, a purpose label and any number of indices.
inline std::uint64_t hashOf(std::uint64_t seed, std::string_view label,
                            std::initializer_list<std::uint64_t> idx = {}) {
  return synth::streamSeed(seed, label, idx);
}

/// xorshift64*: fast stream for pixel noise.
class FastRng {
 public:
  explicit FastRng(std::uint64_t seed) : s_(mix64(seed) | 1) {}
  std::uint64_t next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1DULL;
  }
  /// Approximately normal noise with standard deviation ~1 (sum of four 16-bit uniforms).
  double gaussianish() {
    const std::uint64_t r = next();
    const double sum = double(r & 0xFFFF) + double((r >> 16) & 0xFFFF) + double((r >> 32) & 0xFFFF) +
                       double(r >> 48);
    // Each uniform on [0, 65535] has variance 65536^2/12; four of them: sd = 65536/sqrt(3).
    return (sum - 2.0 * 65535.0) / 37837.23;
  }

 private:
  std::uint64_t s_;
};

}  // namespace medvqa::gen
