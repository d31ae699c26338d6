#include "index/text_match.h"

#include <locale.h>
#include <wctype.h>

#include <cstdint>

namespace medvqa::index_detail {
namespace {

// glibc's C.UTF-8 locale carries the full Unicode case tables. It is opened once and never
// changed; using it through towupper_l leaves the process-wide locale alone.
locale_t utf8Locale() {
  static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  return locale;
}

// Decodes one UTF-8 sequence at `pos`; returns its length, or 0 when the bytes are not valid.
std::size_t decodeUtf8(std::string_view s, std::size_t pos, char32_t& out) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  std::size_t length = 0;
  if (lead < 0x80) {
    out = lead;
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    out = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    out = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    out = lead & 0x07;
  } else {
    return 0;
  }
  if (pos + length > s.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
    out = (out << 6) | (byte(pos + i) & 0x3F);
  }
  return length;
}

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

char32_t upper(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') ? cp - ('a' - 'A') : cp;
  const locale_t locale = utf8Locale();
  if (locale == static_cast<locale_t>(0)) return cp;  // no C.UTF-8: ASCII folding only
  return static_cast<char32_t>(towupper_l(static_cast<wint_t>(cp), locale));
}

}  // namespace

std::string toUpperUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    char32_t cp = 0;
    const std::size_t length = decodeUtf8(text, pos, cp);
    if (length == 0) {
      out += text[pos++];
      continue;
    }
    appendUtf8(out, upper(cp));
    pos += length;
  }
  return out;
}

std::string normalizePersonName(std::string_view name) {
  std::vector<std::string> groups;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = name.find('=', start);
    std::string group(name.substr(start, end == std::string_view::npos ? end : end - start));
    while (!group.empty() && (group.back() == '^' || group.back() == ' ')) group.pop_back();
    groups.push_back(std::move(group));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  // Empty groups at the end carry nothing; an empty group before a non-empty one holds its place
  // (a name given only ideographically is "=山田^太郎" and keeps its leading "=").
  while (!groups.empty() && groups.back().empty()) groups.pop_back();
  std::string out;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (i > 0) out += '=';
    out += groups[i];
  }
  return out;
}

bool hasWildcard(std::string_view value) {
  return value.find_first_of("*?") != std::string_view::npos;
}

std::string wildcardToGlob(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 4);
  for (const char c : value) {
    if (c == '[') {
      out += "[[]";
    } else if (c == ']') {
      out += "[]]";
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::string> splitValues(std::string_view value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = value.find('\\', start);
    out.emplace_back(value.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace medvqa::index_detail
