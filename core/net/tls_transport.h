#pragma once

#include <dcmtk/dcmtls/tlslayer.h>

#include <functional>
#include <string>

#include "net/tls_config.h"

namespace medvqa::net {

// The node's DICOM TLS acceptor: DCMTK's TLS layer set up from the "tls" config section, whose
// connections keep the quick-ACK socket options (quick_ack_transport.h), are SocketOwners, and
// report a refused handshake: a WARN with the peer's address and OpenSSL's reason, then
// `onRefused` (the node counts it and audits it). A peer that connects and sends nothing (a TCP
// health check, a port scan) is only a debug line.
class TlsTransportLayer : public DcmTLSTransportLayer {
 public:
  // Called on the listener thread with the peer ("ip:port") and the reason; may be empty.
  using HandshakeRefused = std::function<void(const std::string& peer, const std::string& reason)>;

  // Loads certificate, key and trusted CAs and activates the profile's cipher suites. Throws
  // Error(Config) naming the key whose file cannot be read or used, or whose key does not match
  // the certificate.
  TlsTransportLayer(const DicomTlsConfig& config, HandshakeRefused onRefused);

  DcmTransportConnection* createConnection(DcmNativeSocketType openSocket, OFBool useSecureLayer) override;

 private:
  void loadIdentity(const DicomTlsConfig& config);
  void loadTrustedCas(const DicomTlsConfig& config);
  void activateProfile(const DicomTlsConfig& config);

  HandshakeRefused onRefused_;
};

}  // namespace medvqa::net
