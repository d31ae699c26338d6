#include "uid.h"

#include <algorithm>

#include "rng.h"

namespace medvqa::gen {

std::string derivedUid(std::uint64_t seed, std::string_view label,
                       std::initializer_list<std::uint64_t> idx) {
  std::uint64_t hi = hashOf(seed, label, idx);
  std::uint64_t lo = mix64(hi ^ hashOf(seed ^ 0xA5A5A5A5A5A5A5A5ULL, label, idx));
  hi = (hi & ~0xF000ULL) | 0x8000ULL;                             // version 8 (octet 6, high nibble)
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;      // variant 0b10 (octet 8)
  unsigned __int128 v = (static_cast<unsigned __int128>(hi) << 64) | lo;
  std::string digits;
  while (v != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  std::reverse(digits.begin(), digits.end());  // never empty: the variant bit makes v > 0
  return "2.25." + digits;
}

bool isValidUid(std::string_view uid) {
  if (uid.empty() || uid.size() > 64) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = uid.find('.', start);
    const std::string_view comp = uid.substr(start, dot == std::string_view::npos ? uid.npos : dot - start);
    if (comp.empty()) return false;
    if (comp.size() > 1 && comp[0] == '0') return false;
    for (char c : comp)
      if (c < '0' || c > '9') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace medvqa::gen
