// Deterministic hashing and pseudo-random numbers for medvqa-gen.
//
// Everything the generator writes is a pure function of (seed, indices): the standard library's
// distributions are implementation-defined, so they are not used; these few lines are.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace medvqa::gen {

/// splitmix64 finaliser: a good 64-bit mixing function.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// Hash of a label (FNV-1a) so that different purposes draw independent streams.
constexpr std::uint64_t hashLabel(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

/// Deterministic hash of a seed, a purpose label and any number of indices.
inline std::uint64_t hashOf(std::uint64_t seed, std::string_view label,
                            std::initializer_list<std::uint64_t> idx = {}) {
  std::uint64_t h = mix64(seed ^ hashLabel(label));
  for (std::uint64_t v : idx) h = mix64(h ^ mix64(v + 0x632BE59BD9B4E019ULL));
  return h;
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
