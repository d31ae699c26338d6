#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "net/tls_config.h"

namespace medvqa::config {

// The "tls" section's type, net::DicomTlsConfig, belongs to the TLS listener (net/tls_config.h);
// here it is read and checked.

// Unknown keys and wrong types fail with the key's name, prefixed by `section` (Error(Config)).
net::DicomTlsConfig dicomTlsConfigFromJson(const nlohmann::json& json, const std::string& section,
                                           net::DicomTlsConfig base = {});

// The values --tls-profile and --tls-verify-client take, as in the JSON; Error(Config) naming
// `key` otherwise.
net::TlsProfile parseTlsProfile(const std::string& text, const std::string& key);
net::ClientVerification parseClientVerification(const std::string& text, const std::string& key);

// Throws Error(Config) for settings no TLS listener can run with: a port without certificate
// and key, client verification without a CA to verify against. Whether the files can be read
// and belong together is checked when the listener is built (net::TlsTransportLayer).
void validate(const net::DicomTlsConfig& config, const std::string& section);

}  // namespace medvqa::config
