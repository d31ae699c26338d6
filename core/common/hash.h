// Stable 64-bit hashing: the same input gives the same value in every build, on every machine
// (std::hash promises neither). Behind the derived DICOM UIDs (dicom/uid.h) and every stream
// of synthetic data (synth/random.h): changing a constant here changes UIDs that tests, fixtures
// and stored SRs depend on.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace medvqa {

/// splitmix64 finaliser: a good 64-bit mixing function.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// FNV-1a (64-bit) of a text: a purpose label, a job key, a UID.
constexpr std::uint64_t hashLabel(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

/// The seed of one independent stream: (run seed, purpose, indices). Different purposes or
/// indices give independent values.
constexpr std::uint64_t streamSeed(std::uint64_t seed, std::string_view purpose,
                                   std::initializer_list<std::uint64_t> indices = {}) {
  std::uint64_t h = mix64(seed ^ hashLabel(purpose));
  for (std::uint64_t v : indices) h = mix64(h ^ mix64(v + 0x632BE59BD9B4E019ULL));
  return h;
}

}  // namespace medvqa
