#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace medvqa::test {

// What a token issuer does, for the bearer-auth tests: keys made with OpenSSL, tokens signed
// with libjwt (the library the node verifies with, used here from the issuer's side).
struct RsaKeyPair {
  std::string privatePem;  // PKCS#8 "-----BEGIN PRIVATE KEY-----"
  std::string publicPem;   // SubjectPublicKeyInfo "-----BEGIN PUBLIC KEY-----"
};
RsaKeyPair makeRsaKeyPair(int bits = 2048);

// A compact JWS over `claims` signed with `algorithm` ("HS256", "RS256", ... or "none", which
// ignores `key`): the HMAC secret, or the RSA private key's PEM.
std::string mintJwt(const std::string& algorithm, const std::string& key, const nlohmann::json& claims);

// {"sub": subject, "roles": roles, "exp": now + lifetime}: a typical token's claims.
nlohmann::json tokenClaims(const std::vector<std::string>& roles, std::chrono::seconds lifetime = std::chrono::hours(1),
                           const std::string& subject = "test-user");

std::int64_t unixNow();

}  // namespace medvqa::test
