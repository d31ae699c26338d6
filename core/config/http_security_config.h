#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace medvqa::config {

// The node's "http" section: who may call the HTTP API and over what. Keys: docs/configuration.md,
// the model behind them: docs/security.md.
struct HttpSecurityConfig {
  // Bearer tokens are required unless this is set by an explicit "auth": "off" / --http-auth off.
  // With auth on and no key configured the node does not guess: every protected route answers 503.
  bool authOff = false;
  std::filesystem::path jwtHs256SecretFile;  // either key (or both) turns bearer auth on
  std::filesystem::path jwtRs256PublicKey;
  std::filesystem::path httpsCert;  // PEM chain (server certificate first); with httpsKey: HTTPS
  std::filesystem::path httpsKey;   // PEM private key, unencrypted

  bool hasBearerKey() const { return !jwtHs256SecretFile.empty() || !jwtRs256PublicKey.empty(); }
  bool https() const { return !httpsCert.empty(); }
};

// Unknown keys and wrong types fail with the key's name, prefixed by `section` (Error(Config)).
HttpSecurityConfig httpSecurityConfigFromJson(const nlohmann::json& json, const std::string& section,
                                              HttpSecurityConfig base = {});

// Throws Error(Config) for contradictions: a certificate without its key (or the reverse), or
// auth "off" next to a token key (which of the two did the operator mean?).
void validate(const HttpSecurityConfig& config, const std::string& section);

}  // namespace medvqa::config
