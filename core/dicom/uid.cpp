#include "dicom/uid.h"

#include "common/error.h"

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

}  // namespace medvqa::dicom
