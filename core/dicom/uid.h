#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace medvqa::dicom {

// Normalises a UID as received from the wire: trailing spaces and NULs (padding that real
// devices send) are dropped. Returns nullopt when what remains is not a UID we can store safely:
// empty, longer than 64 characters, holding anything but digits and dots, or an empty component
// (".."). Quirks that real devices send and that are harmless (a leading zero in a component,
// padding) are accepted: refusing them would lose a hospital's images.
std::optional<std::string> normalizeUid(std::string_view raw);

// As normalizeUid, but throws Error(InvalidArgument) naming `what` (e.g. "SOP Instance UID").
std::string requireUid(std::string_view raw, std::string_view what);

// A deterministic UID: "2.25.<decimal of a 128-bit UUID>" (ITU-T X.667 / PS3.5 B.2), at most 44
// characters, no registered root needed. The UUID is a hash of (seed, purpose, indices), marked
// RFC 9562 version 8 (custom), so the same arguments always give the same UID and different ones
// practically never collide. What derives UIDs this way: the synthetic data (the same seed writes
// the same bytes), the SR a job writes (a retried job rewrites its SR) and its tracking UIDs.
// The derivation is frozen: tests, fixtures and stored SRs depend on these exact UIDs.
std::string derivedUid(std::uint64_t seed, std::string_view purpose,
                       std::initializer_list<std::uint64_t> indices = {});

// The seed derivedUid takes for a text identity (a job's key, an SR's SOP Instance UID): its
// 64-bit FNV-1a hash, stable across builds.
std::uint64_t uidSeed(std::string_view identity);

}  // namespace medvqa::dicom
