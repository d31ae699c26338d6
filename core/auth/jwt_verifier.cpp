#include "auth/jwt_verifier.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "auth/jwt_handle.h"
#include "auth/jwt_header.h"
#include "common/error.h"

namespace medvqa::auth {
namespace {

using nlohmann::json;

// Far above any real token (a few hundred bytes), far below what would make parsing costly.
constexpr std::size_t kMaxTokenBytes = 8192;

TokenCheck refused(std::string problem) { return {std::nullopt, std::move(problem)}; }

// The header's algorithm named in the refusal only when it looks like a JWA name ("none",
// "HS384"...): the phrase goes into a response header, and the header is the sender's text.
std::string algorithmRefusal(const std::string& algorithm, const std::string& accepted) {
  const bool plain = !algorithm.empty() && algorithm.size() <= 10 &&
                     std::all_of(algorithm.begin(), algorithm.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  return "algorithm " + (plain ? algorithm + " " : std::string()) + "not accepted (accepted: " + accepted + ")";
}

jwt_alg_t libjwtAlgorithm(JwtAlgorithm algorithm) {
  return algorithm == JwtAlgorithm::HS256 ? JWT_ALG_HS256 : JWT_ALG_RS256;
}

// Signature check by libjwt with the one key of the header's algorithm; the payload's claims as
// JSON, or nullopt when the signature (or the token's form) is wrong.
std::optional<json> verifiedClaims(const std::string& token, const JwtKey& key) {
  jwt_t* raw = nullptr;
  const int rc = jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key.material.data()),
                            static_cast<int>(key.material.size()));
  const JwtPtr jwt(raw);
  // libjwt read the algorithm from the same header as peekJwtAlgorithm; checked again so that a
  // disagreement between the two readers can never pass.
  if (rc != 0 || !jwt || jwt_get_alg(jwt.get()) != libjwtAlgorithm(key.algorithm)) return std::nullopt;
  const JwtString claims(jwt_get_grants_json(jwt.get(), nullptr));
  if (!claims) return std::nullopt;
  json parsed = json::parse(claims.get(), nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return std::nullopt;
  return parsed;
}

// RFC 7519 4.1.4/4.1.5: NumericDate seconds, integer or not. exp is required here: a token that
// never expires cannot be taken back once leaked.
std::string timeProblem(const json& claims, std::chrono::system_clock::time_point now) {
  const double nowSeconds = std::chrono::duration<double>(now.time_since_epoch()).count();
  const double leeway = static_cast<double>(JwtVerifier::kClockLeeway.count());
  if (!claims.contains("exp")) return "token has no exp claim";
  if (!claims["exp"].is_number()) return "exp claim is not a number";
  if (nowSeconds >= claims["exp"].get<double>() + leeway) return "token expired";
  if (claims.contains("nbf")) {
    if (!claims["nbf"].is_number()) return "nbf claim is not a number";
    if (nowSeconds + leeway < claims["nbf"].get<double>()) return "token not valid yet (nbf)";
  }
  return {};
}

std::optional<std::vector<Role>> rolesOf(const json& claims) {
  if (!claims.contains("roles") || !claims["roles"].is_array()) return std::nullopt;
  std::vector<Role> roles;
  for (const auto& name : claims["roles"]) {
    if (!name.is_string()) return std::nullopt;
    if (const auto role = parseRole(name.get<std::string>())) roles.push_back(*role);
  }
  return roles;
}

}  // namespace

JwtVerifier::JwtVerifier(std::vector<JwtKey> keys) : keys_(std::move(keys)) {
  if (keys_.empty()) throw Error(ErrorCode::Config, "bearer-token verification needs a key");
  if (keys_.size() == 2 && keys_[0].algorithm == keys_[1].algorithm) {
    throw Error(ErrorCode::Config, std::string("two ") + toString(keys_[0].algorithm) + " keys given; one per algorithm");
  }
  if (keys_.size() > 2) throw Error(ErrorCode::Config, "at most one HS256 and one RS256 key");
}

TokenCheck JwtVerifier::verify(std::string_view token, std::chrono::system_clock::time_point now) const {
  if (token.empty() || token.size() > kMaxTokenBytes) return refused("malformed token");
  const auto algorithm = peekJwtAlgorithm(token);
  if (!algorithm) return refused("malformed token");
  const JwtKey* key = keyFor(*algorithm);
  if (!key) return refused(algorithmRefusal(*algorithm, algorithms()));
  const auto claims = verifiedClaims(std::string(token), *key);
  if (!claims) return refused("signature does not verify");
  if (auto problem = timeProblem(*claims, now); !problem.empty()) return refused(std::move(problem));
  auto roles = rolesOf(*claims);
  if (!roles) return refused("roles claim must be an array of strings");
  Principal principal{.subject = {}, .roles = std::move(*roles)};
  if (claims->contains("sub") && (*claims)["sub"].is_string()) principal.subject = (*claims)["sub"].get<std::string>();
  return {std::move(principal), {}};
}

std::string JwtVerifier::algorithms() const {
  std::string out;
  for (const auto& key : keys_) out += (out.empty() ? "" : ", ") + std::string(toString(key.algorithm));
  return out;
}

const JwtKey* JwtVerifier::keyFor(std::string_view algorithm) const {
  for (const auto& key : keys_) {
    if (algorithm == toString(key.algorithm)) return &key;
  }
  return nullptr;
}

}  // namespace medvqa::auth
