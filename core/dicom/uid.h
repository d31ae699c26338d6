#pragma once

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

}  // namespace medvqa::dicom
