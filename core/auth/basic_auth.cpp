#include "auth/basic_auth.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace medvqa::auth {

std::optional<std::string> basicAuthUser(std::string_view authorization) {
  constexpr std::string_view kScheme = "basic ";
  if (authorization.size() <= kScheme.size() || authorization.size() > 4096) return std::nullopt;
  const bool isBasic = std::equal(kScheme.begin(), kScheme.end(), authorization.begin(),
                                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
  if (!isBasic) return std::nullopt;
  std::string_view encoded = authorization.substr(kScheme.size());
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  if (encoded.empty() || encoded.size() % 4 != 0) return std::nullopt;
  std::vector<unsigned char> decoded(encoded.size() / 4 * 3);
  const int n = EVP_DecodeBlock(decoded.data(), reinterpret_cast<const unsigned char*>(encoded.data()),
                                static_cast<int>(encoded.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding's zero bytes as data.
  std::size_t length = static_cast<std::size_t>(n);
  for (std::size_t i = encoded.size(); i > 0 && encoded[i - 1] == '=' && length > 0; --i) --length;
  const std::string credential(decoded.begin(), decoded.begin() + static_cast<std::ptrdiff_t>(length));
  const auto colon = credential.find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  return credential.substr(0, colon);
}

}  // namespace medvqa::auth
