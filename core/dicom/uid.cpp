#include "dicom/uid.h"

#include <algorithm>

#include "common/error.h"
#include "common/hash.h"

namespace medvqa::dicom {

namespace {
constexpr std::size_t kMaxUidLength = 64;
}

std::optional<std::string> normalizeUid(std::string_view raw) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\0')) raw.remove_suffix(1);
  if (raw.empty() || raw.size() > kMaxUidLength) return std::nullopt;
  for (const char c : raw) {
    if (!(c == '.' || (c >= '0' && c <= '9'))) return std::nullopt;
  }
  // Empty components ("..", ".1", "1.", "1..2") are never sent by real devices, and ".." is
  // exactly what a traversal attempt looks like.
  if (raw.front() == '.' || raw.back() == '.' || raw.find("..") != std::string_view::npos) return std::nullopt;
  return std::string(raw);
}

std::string requireUid(std::string_view raw, std::string_view what) {
  if (auto uid = normalizeUid(raw)) return *uid;
  std::string shown;
  for (const char c : raw.substr(0, 80)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
  throw Error(ErrorCode::InvalidArgument,
              std::string(what) + " is not a valid UID (digits and dots, 1-64 characters): '" + shown + "'");
}

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

std::uint64_t uidSeed(std::string_view identity) { return hashLabel(identity); }

}  // namespace medvqa::dicom
