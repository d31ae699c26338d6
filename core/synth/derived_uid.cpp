#include "synth/derived_uid.h"

#include <algorithm>

#include "synth/random.h"

namespace medvqa::synth {

std::string derivedUid(std::uint64_t seed, std::string_view purpose, std::initializer_list<std::uint64_t> indices) {
  std::uint64_t hi = streamSeed(seed, purpose, indices);
  std::uint64_t lo = mix64(hi ^ streamSeed(~seed, purpose, indices));
  hi = (hi & ~0xF000ULL) | 0x8000ULL;                         // version 8: high nibble of octet 6
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 0b10: octet 8
  unsigned __int128 value = (static_cast<unsigned __int128>(hi) << 64) | lo;
  std::string digits;
  while (value != 0) {  // never zero: the variant bit is set
    digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return "2.25." + digits;
}

}  // namespace medvqa::synth
