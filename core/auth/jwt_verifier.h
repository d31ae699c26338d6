#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt_key.h"
#include "auth/roles.h"

namespace medvqa::auth {

// Who a valid token speaks for.
struct Principal {
  std::string subject;      // the "sub" claim; empty when the token has none
  std::vector<Role> roles;  // the known roles of its "roles" claim (others ignored)
};

// A token's verdict: a principal, or why not (short, fixed phrases: they go to the client in
// the 401's error_description and to the log, never the token itself).
struct TokenCheck {
  std::optional<Principal> principal;
  std::string problem;
};

// Verifies bearer tokens (compact JWS) with libjwt against the keys loaded at start, one per
// algorithm: the header's "alg" picks the key and must be one of theirs, the signature must
// verify, "exp" must be there and not passed, "nbf" (when there) reached, "roles" an array of
// strings. Thread-safe: verify() only reads.
class JwtVerifier {
 public:
  // Tolerated clock difference between the token issuer and this node, both ways.
  static constexpr std::chrono::seconds kClockLeeway{60};

  // At least one key, at most one per algorithm (Error(Config) otherwise).
  explicit JwtVerifier(std::vector<JwtKey> keys);

  TokenCheck verify(std::string_view token, std::chrono::system_clock::time_point now) const;

  std::string algorithms() const;  // "HS256, RS256": the accepted ones, for messages

 private:
  const JwtKey* keyFor(std::string_view algorithm) const;

  std::vector<JwtKey> keys_;
};

}  // namespace medvqa::auth
