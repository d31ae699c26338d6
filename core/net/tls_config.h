#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace medvqa::net {

// The DICOM TLS profile (PS3.15 Annex B) the TLS listener negotiates; names as DCMTK's tools
// call them (+py, +px, +pz).
enum class TlsProfile { Bcp195NonDowngrading, Bcp195, Bcp195Extended };

// What the TLS listener asks of a client's certificate.
enum class ClientVerification {
  Require,      // a certificate signed by a trusted CA, or no association
  IfPresented,  // a certificate, when sent, must be signed by a trusted CA
  Ignore,       // none asked for: the channel is encrypted, the client is not authenticated
};

// What the DICOM TLS listener (TlsTransportLayer) is built from: the node's "tls" section, DICOM
// over TLS on its own port, beside or instead of the plain one. Read by config::
// dicomTlsConfigFromJson; keys: docs/configuration.md; operation: docs/operations.md ("DICOM TLS").
struct DicomTlsConfig {
  std::optional<std::uint16_t> port;  // unset ("off", the default): no TLS listener; 0: one the OS picks
  std::filesystem::path certificate;  // PEM chain, the node's certificate first
  std::filesystem::path privateKey;   // PEM, unencrypted
  std::vector<std::filesystem::path> trustedCas;  // PEM files of the CAs clients are checked against
  TlsProfile profile = TlsProfile::Bcp195NonDowngrading;
  std::optional<ClientVerification> verifyClient;  // unset: see clientVerification()

  bool enabled() const { return port.has_value(); }
  // Require when trusted CAs are configured (why else name them?), Ignore otherwise.
  ClientVerification clientVerification() const {
    return verifyClient.value_or(trustedCas.empty() ? ClientVerification::Ignore : ClientVerification::Require);
  }
};

// The names the configuration uses (bcp195-nd, require...): config::parseTlsProfile and
// config::parseClientVerification read them.
std::string toString(TlsProfile profile);
std::string toString(ClientVerification verification);

}  // namespace medvqa::net
