// Deterministic DICOM UIDs: the same seed gives the same UIDs, so two runs give the same bytes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace medvqa::synth {

/// "2.25.<decimal of a 128-bit UUID>" (ITU-T X.667 / PS3.5 B.2): at most 44 characters. The UUID
/// is a hash of (seed, purpose, indices), marked RFC 9562 version 8 (custom), so no registered
/// root is needed and different arguments practically never collide.
std::string derivedUid(std::uint64_t seed, std::string_view purpose,
                       std::initializer_list<std::uint64_t> indices = {});

}  // namespace medvqa::synth
