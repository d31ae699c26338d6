#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace medvqa::config {

// The DICOM TLS profile (PS3.15 Annex B) the TLS listener negotiates; names as DCMTK's tools
// call them (+py, +px, +pz).
enum class TlsProfile { Bcp195NonDowngrading, Bcp195, Bcp195Extended };

// What the TLS listener asks of a client's certificate.
enum class ClientVerification {
  Require,      // a certificate signed by a trusted CA, or no association
  IfPresented,  // a certificate, when sent, must be signed by a trusted CA
  Ignore,       // none asked for: the channel is encrypted, the client is not authenticated
};

// The node's "tls" section: DICOM over TLS on its own port, beside or instead of the plain one.
// Keys: docs/configuration.md; operation: docs/operations.md ("DICOM TLS").
struct DicomTlsConfig {
  std::uint16_t port = 0;  // 0 = no TLS listener
  std::filesystem::path certificate;  // PEM chain, the node's certificate first
  std::filesystem::path privateKey;   // PEM, unencrypted
  std::vector<std::filesystem::path> trustedCas;  // PEM files of the CAs clients are checked against
  TlsProfile profile = TlsProfile::Bcp195NonDowngrading;
  std::optional<ClientVerification> verifyClient;  // unset: see clientVerification()

  bool enabled() const { return port != 0; }
  // Require when trusted CAs are configured (why else name them?), Ignore otherwise.
  ClientVerification clientVerification() const {
    return verifyClient.value_or(trustedCas.empty() ? ClientVerification::Ignore : ClientVerification::Require);
  }
};

// Unknown keys and wrong types fail with the key's name, prefixed by `section` (Error(Config)).
DicomTlsConfig dicomTlsConfigFromJson(const nlohmann::json& json, const std::string& section,
                                      DicomTlsConfig base = {});

// The values --tls-profile and --tls-verify-client take, as in the JSON; Error(Config) naming
// `key` otherwise.
TlsProfile parseTlsProfile(const std::string& text, const std::string& key);
ClientVerification parseClientVerification(const std::string& text, const std::string& key);
std::string toString(TlsProfile profile);
std::string toString(ClientVerification verification);

// Throws Error(Config) for settings no TLS listener can run with: a port without certificate
// and key, client verification without a CA to verify against. Whether the files can be read
// and belong together is checked when the listener is built (net::TlsTransportLayer).
void validate(const DicomTlsConfig& config, const std::string& section);

}  // namespace medvqa::config
