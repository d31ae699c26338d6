#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace medvqa::auth {

// The "alg" of a compact JWS (header.payload.signature) read from its protected header alone,
// before any key is touched: it chooses the key, so that a token is never checked with a key
// configured for another algorithm. nullopt when the token does not have three parts or its
// header is not base64url JSON with a string "alg". Nothing here is trusted yet: libjwt
// verifies the signature over this same header afterwards.
std::optional<std::string> peekJwtAlgorithm(std::string_view token);

}  // namespace medvqa::auth
