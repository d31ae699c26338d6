#include "auth/jwt_header.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace medvqa::auth {
namespace {

// RFC 4648 section 5 (URL and filename safe alphabet), unpadded as JWS writes it.
std::optional<std::string> base64UrlDecode(std::string_view text) {
  static const std::array<int, 256> values = [] {
    std::array<int, 256> v{};
    v.fill(-1);
    const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t i = 0; i < alphabet.size(); ++i) v[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
    return v;
  }();
  if (text.size() % 4 == 1) return std::nullopt;  // no whole byte in the last group
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = values[static_cast<unsigned char>(c)];
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> peekJwtAlgorithm(std::string_view token) {
  if (std::count(token.begin(), token.end(), '.') != 2) return std::nullopt;
  const auto header = base64UrlDecode(token.substr(0, token.find('.')));
  if (!header) return std::nullopt;
  const auto json = nlohmann::json::parse(*header, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("alg") || !json["alg"].is_string()) return std::nullopt;
  return json["alg"].get<std::string>();
}

}  // namespace medvqa::auth
