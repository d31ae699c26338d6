// Deterministic hashing and pseudo-random numbers for the synthetic data.
//
// Every byte `medvqa synth` writes is a pure function of (seed, purpose, indices). The standard
// library's distributions are implementation-defined (libstdc++ and libc++ give different
// numbers for the same engine), so they are not used; these few lines are.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "common/hash.h"

namespace medvqa::synth {

// The hashing is core's (common/hash.h), shared with the derived DICOM UIDs (dicom/uid.h).
using medvqa::hashLabel;
using medvqa::mix64;
using medvqa::streamSeed;

/// A splitmix64 stream with the few distributions the phantoms need.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  Rng(std::uint64_t seed, std::string_view purpose, std::initializer_list<std::uint64_t> indices = {})
      : state_(streamSeed(seed, purpose, indices)) {}

  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer on [lo, hi] (inclusive); the modulo bias is far below what matters here.
  int integer(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
  bool chance(double p) { return uniform() < p; }
  /// Zero mean, unit variance, bell-shaped (sum of four uniforms): cheap enough for per-pixel
  /// noise and free of libm calls whose last bits could differ between builds.
  double noise() {
    const std::uint64_t r = next();
    const double sum = static_cast<double>(r & 0xFFFF) + static_cast<double>((r >> 16) & 0xFFFF) +
                       static_cast<double>((r >> 32) & 0xFFFF) + static_cast<double>(r >> 48);
    // Each uniform on [0, 65535] has variance ~65536^2/12; four of them: sd = 65536/sqrt(3).
    return (sum - 2.0 * 65535.0) / 37837.23;
  }

 private:
  std::uint64_t state_;
};

/// A category for item `index` of a sequence such that every block of sum(weights) consecutive
/// items holds exactly weights[c] items of category c, in an order shuffled by (seed, purpose,
/// block). Labels drawn this way stay balanced in any run, however short, which independent
/// coin flips do not (200 flips at p = 0.5 leave 40-60 % only ~99.5 % of the time).
unsigned balancedDraw(std::uint64_t seed, std::string_view purpose, std::uint64_t index,
                      std::span<const unsigned> weights);

}  // namespace medvqa::synth
