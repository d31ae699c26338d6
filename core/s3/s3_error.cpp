#include "s3/s3_error.h"

#include <string_view>

namespace medvqa::s3 {
namespace {

// The five predefined XML entities; S3 messages use no others.
std::string unescapeXml(std::string_view text) {
  static constexpr std::pair<std::string_view, char> entities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (const auto& [entity, c] : entities) {
      if (text.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

// The text of the first <tag>...</tag> inside <Error>. The error document is flat and has no
// attributes or CDATA, so a search is exact; a full XML parser would add a dependency for this.
std::string elementText(const std::string& body, std::size_t from, const std::string& tag) {
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  const auto start = body.find(open, from);
  if (start == std::string::npos) return {};
  const auto end = body.find(close, start + open.size());
  if (end == std::string::npos) return {};
  return unescapeXml(std::string_view(body).substr(start + open.size(), end - start - open.size()));
}

}  // namespace

ServiceError parseServiceError(const std::string& body) {
  const auto error = body.find("<Error>");
  if (error == std::string::npos) return {};
  return {elementText(body, error, "Code"), elementText(body, error, "Message")};
}

std::string describe(int httpStatus, const ServiceError& error) {
  std::string out = "HTTP " + std::to_string(httpStatus);
  if (!error.code.empty()) out += " " + error.code;
  if (!error.message.empty()) out += ": " + error.message;
  return out;
}

}  // namespace medvqa::s3
