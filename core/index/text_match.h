#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace medvqa::index_detail {

// Text helpers shared by what the index stores and how a C-FIND key is matched against it, so
// both sides are normalised by the same code.

// Simple (one code point to one code point) Unicode upper-casing of UTF-8 text. PN matching is
// case-insensitive (PS3.4 C.2.2.2.1), so names are stored and queried upper-cased; sqlite's own
// upper() only knows ASCII and would miss "Müller" vs "MÜLLER". Invalid UTF-8 bytes pass
// through unchanged.
std::string toUpperUtf8(std::string_view text);

// Drops empty trailing components and component groups ("DOE^JOHN^^^" -> "DOE^JOHN",
// "DOE^JOHN==" -> "DOE^JOHN"), which devices send interchangeably with the short form.
std::string normalizePersonName(std::string_view name);

// True when a key value asks for Wild Card Matching (PS3.4 C.2.2.2.4).
bool hasWildcard(std::string_view value);

// Translates a DICOM wildcard value into an sqlite GLOB pattern: '*' and '?' keep their meaning,
// and GLOB's own metacharacters '[' and ']' are bracketed so they match literally.
std::string wildcardToGlob(std::string_view value);

// Splits a multi-valued key ("CT\MR") at its backslashes. An empty input gives one empty value.
std::vector<std::string> splitValues(std::string_view value);

}  // namespace medvqa::index_detail
