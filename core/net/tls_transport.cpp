#include "net/tls_transport.h"

#include <dcmtk/dcmtls/tlstrans.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fstream>

#include "common/error.h"
#include "common/log.h"
#include "net/tcp_socket.h"

namespace medvqa::net {
namespace {

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw Error(ErrorCode::Config, "config key '" + key + "': " + why);
}

void requireReadable(const std::filesystem::path& file, const std::string& key) {
  if (!std::ifstream(file)) fail(key, "cannot read " + file.string());
}

DcmTLSSecurityProfile dcmtkProfile(TlsProfile profile) {
  switch (profile) {
    case TlsProfile::Bcp195NonDowngrading: return TSP_Profile_BCP195_ND;
    case TlsProfile::Bcp195: return TSP_Profile_BCP195;
    case TlsProfile::Bcp195Extended: return TSP_Profile_BCP195_Extended;
  }
  return TSP_Profile_BCP195_ND;
}

DcmCertificateVerification dcmtkVerification(ClientVerification verification) {
  switch (verification) {
    case ClientVerification::Require: return DCV_requireCertificate;
    case ClientVerification::IfPresented: return DCV_checkCertificate;
    case ClientVerification::Ignore: return DCV_ignoreCertificate;
  }
  return DCV_requireCertificate;
}

class QuickAckTlsConnection : public DcmTLSConnection, public SocketOwner {
 public:
  QuickAckTlsConnection(DcmNativeSocketType socket, SSL* ssl, const TlsTransportLayer::HandshakeRefused& onRefused)
      : DcmTLSConnection(socket, ssl), ssl_(ssl), onRefused_(onRefused), peer_(peerAddress(socket)) {
    setNoDelay(socket);
  }

  OFCondition serverSideHandshake() override {
    // OpenSSL's error queue is per thread and DCMTK takes only the first entry: whatever an
    // earlier handshake on this listener thread left there would be reported as this one's.
    ERR_clear_error();
    armQuickAck(getSocket());
    const OFCondition cond = DcmTLSConnection::serverSideHandshake();
    if (cond.bad()) reportRefusal(cond);
    ERR_clear_error();
    return cond;
  }

  ssize_t read(void* buf, size_t nbyte) override {
    armQuickAck(getSocket());
    return DcmTLSConnection::read(buf, nbyte);
  }

  DcmNativeSocketType nativeSocket() override { return getSocket(); }

 private:
  void reportRefusal(const OFCondition& cond) {
    if (BIO_number_read(SSL_get_rbio(ssl_)) == 0) {
      log::debug("DICOM TLS: " + peer_ + " connected and sent nothing");
      return;
    }
    std::string reason = cond.text();
    const long verified = SSL_get_verify_result(ssl_);
    if (verified != X509_V_OK) {
      reason += " (client certificate: " + std::string(X509_verify_cert_error_string(verified)) + ")";
    }
    log::warn("DICOM TLS handshake with " + peer_ + " refused: " + reason);
    if (onRefused_) onRefused_(peer_, reason);
  }

  SSL* ssl_;  // owned by DcmTLSConnection; read only during the handshake, before close() frees it
  const TlsTransportLayer::HandshakeRefused& onRefused_;  // the layer's, which outlives its connections
  std::string peer_;  // taken at once: after a reset the socket no longer knows its peer
};

}  // namespace

TlsTransportLayer::TlsTransportLayer(const DicomTlsConfig& config, HandshakeRefused onRefused)
    // No seed file: OpenSSL (1.1.1 and later) seeds itself from the OS; checked below.
    : DcmTLSTransportLayer(NET_ACCEPTOR, nullptr, OFTrue), onRefused_(std::move(onRefused)) {
  if (!*this) throw Error(ErrorCode::Network, "cannot create the DICOM TLS context (OpenSSL)");
  if (RAND_status() != 1) {
    throw Error(ErrorCode::Network, "OpenSSL's random generator is not seeded (no OS entropy source?)");
  }
  // An encrypted key would make OpenSSL prompt on the terminal of a daemon: with an empty
  // password it fails to load instead, with a clear message.
  setPrivateKeyPasswd("");
  loadIdentity(config);
  loadTrustedCas(config);
  setCertificateVerification(dcmtkVerification(config.clientVerification()));
  activateProfile(config);
}

void TlsTransportLayer::loadIdentity(const DicomTlsConfig& config) {
  const std::string cert = config.certificate.string();
  const std::string key = config.privateKey.string();
  requireReadable(config.certificate, "tls.certificate");
  requireReadable(config.privateKey, "tls.privateKey");
  OFCondition cond = setCertificateFile(cert.c_str(), DCF_Filetype_PEM);
  if (cond.bad()) fail("tls.certificate", cert + " is not a PEM certificate (" + cond.text() + ")");
  // OpenSSL refuses a key that does not belong to the certificate loaded before it; a key of
  // another type (EC next to RSA) loads, which checkPrivateKeyMatchesCertificate catches.
  cond = setPrivateKeyFile(key.c_str(), DCF_Filetype_PEM);
  if (cond.bad() || !checkPrivateKeyMatchesCertificate()) {
    fail("tls.privateKey", key + " is not the unencrypted PEM private key of tls.certificate " + cert +
                               (cond.bad() ? " (" + std::string(cond.text()) + ")" : ""));
  }
}

void TlsTransportLayer::loadTrustedCas(const DicomTlsConfig& config) {
  for (const auto& file : config.trustedCas) {
    requireReadable(file, "tls.trustedCertificates");
    const OFCondition cond = addTrustedCertificateFile(file.c_str(), DCF_Filetype_PEM);
    if (cond.bad()) fail("tls.trustedCertificates", file.string() + " has no PEM certificate (" + cond.text() + ")");
  }
}

void TlsTransportLayer::activateProfile(const DicomTlsConfig& config) {
  OFCondition cond = setTLSProfile(dcmtkProfile(config.profile));
  if (cond.good()) cond = activateCipherSuites();
  if (cond.bad()) fail("tls.profile", toString(config.profile) + " cannot be activated: " + cond.text());
}

DcmTransportConnection* TlsTransportLayer::createConnection(DcmNativeSocketType openSocket, OFBool useSecureLayer) {
  // The listener always asks for the secure layer; anything else is DCMTK's plain connection.
  if (!useSecureLayer) return DcmTLSTransportLayer::createConnection(openSocket, useSecureLayer);
  SSL* ssl = SSL_new(getNativeHandle());
  if (ssl == nullptr) return nullptr;  // DUL closes the socket and reports a TCP init error
  SSL_set_fd(ssl, static_cast<int>(openSocket));
  return new QuickAckTlsConnection(openSocket, ssl, onRefused_);
}

}  // namespace medvqa::net
