// Deterministic DICOM UIDs under the 2.25 root (ITU-T X.667: a UUID as one decimal integer).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace medvqa::gen {

/// "2.25.<decimal of a 128-bit UUID>": at most 44 characters, no leading zeros, only digits and
/// dots.  The UUID is derived from (seed, label, indices) and marked RFC 9562 version 8 (custom),
/// so the same arguments always give the same UID and different ones practically never collide.
std::string derivedUid(std::uint64_t seed, std::string_view label,
                       std::initializer_list<std::uint64_t> idx = {});

/// True when `uid` is a valid DICOM UID: 1..64 characters, components of digits separated by
/// single dots, no component with a leading zero (except "0" itself).
bool isValidUid(std::string_view uid);

}  // namespace medvqa::gen
