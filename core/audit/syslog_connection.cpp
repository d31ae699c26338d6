#include "audit/syslog_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace medvqa::audit {
namespace {

std::string sslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown TLS error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

[[noreturn]] void configFailure(const std::string& key, const std::string& why) {
  throw Error(ErrorCode::Config, "config key '" + key + "': " + why);
}

bool isIpAddress(const std::string& host) {
  in6_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1 || inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

// Non-blocking connect bounded by `timeout`, then blocking I/O bounded by the same timeout.
int connectWithin(const addrinfo& a, std::chrono::seconds timeout, std::string& why) {
  const int fd = ::socket(a.ai_family, a.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a.ai_protocol);
  if (fd < 0) {
    why = std::strerror(errno);
    return -1;
  }
  int rc = ::connect(fd, a.ai_addr, a.ai_addrlen);
  if (rc != 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    rc = ::poll(&p, 1, static_cast<int>(timeout.count() * 1000));
    int error = rc == 0 ? ETIMEDOUT : 0;
    socklen_t length = sizeof error;
    if (rc > 0) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    rc = error == 0 ? 0 : -1;
    errno = error;
  }
  if (rc != 0) {
    why = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  const timeval tv{static_cast<time_t>(timeout.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

int connectTcp(const std::string& host, std::uint16_t port, std::chrono::seconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) throw Error(ErrorCode::Network, "syslog collector " + host + ": " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  std::string why = "no address";
  for (const addrinfo* a = found; a; a = a->ai_next) {
    const int fd = connectWithin(*a, timeout, why);
    if (fd >= 0) return fd;
  }
  throw Error(ErrorCode::Network, "cannot connect to syslog collector " + host + ":" + std::to_string(port) + ": " + why);
}

}  // namespace

SyslogTls::SyslogTls(const SyslogConfig& c, const std::string& key) {
  context_ = SSL_CTX_new(TLS_client_method());
  if (!context_) throw Error(ErrorCode::Config, "config key '" + key + "': cannot create a TLS context: " + sslError());
  try {
    SSL_CTX_set_min_proto_version(context_, TLS1_2_VERSION);
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
    if (!c.ca.empty()) {
      if (SSL_CTX_load_verify_locations(context_, c.ca.c_str(), nullptr) != 1) {
        configFailure(key + ".ca", "cannot load CA file " + c.ca.string() + ": " + sslError());
      }
    } else if (SSL_CTX_set_default_verify_paths(context_) != 1) {
      configFailure(key + ".ca", "no CA file given and the system's CA store cannot be loaded: " + sslError());
    }
    if (!c.certificate.empty()) {
      if (SSL_CTX_use_certificate_chain_file(context_, c.certificate.c_str()) != 1) {
        configFailure(key + ".certificate", "cannot load certificate " + c.certificate.string() + ": " + sslError());
      }
      if (SSL_CTX_use_PrivateKey_file(context_, c.privateKey.c_str(), SSL_FILETYPE_PEM) != 1 ||
          SSL_CTX_check_private_key(context_) != 1) {
        configFailure(key + ".privateKey", "cannot use key " + c.privateKey.string() + " with the certificate: " + sslError());
      }
    }
  } catch (...) {
    SSL_CTX_free(context_);
    throw;
  }
}

SyslogTls::~SyslogTls() { SSL_CTX_free(context_); }

SyslogConnection::Socket::~Socket() {
  if (fd >= 0) ::close(fd);
}

void SyslogConnection::SslClose::operator()(ssl_st* ssl) const noexcept {
  SSL_shutdown(ssl);  // close_notify, best effort: the collector may be gone already
  SSL_free(ssl);
}

SyslogConnection::SyslogConnection(const std::string& host, std::uint16_t port, const SyslogTls* tls,
                                   std::chrono::seconds timeout)
    : socket_{connectTcp(host, port, timeout)} {
  if (!tls) return;
  const auto fail = [&](const std::string& why) {
    throw Error(ErrorCode::Network, "TLS to syslog collector " + host + ":" + std::to_string(port) + ": " + why);
  };
  ssl_.reset(SSL_new(tls->context()));
  if (!ssl_) fail(sslError());
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_.get());
  if (isIpAddress(host)) {
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) fail(sslError());
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0) != 1) fail(sslError());
    SSL_set_tlsext_host_name(ssl_.get(), host.c_str());
  }
  SSL_set_fd(ssl_.get(), socket_.fd);
  if (SSL_connect(ssl_.get()) != 1) {
    const long verify = SSL_get_verify_result(ssl_.get());
    const std::string why = verify != X509_V_OK
                                ? std::string("certificate not accepted: ") + X509_verify_cert_error_string(verify)
                                : sslError();
    SSL_free(ssl_.release());  // no close_notify after a failed handshake
    fail(why);
  }
}

SyslogConnection::~SyslogConnection() = default;

void SyslogConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t sent;
    if (ssl_) {
      sent = SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size()));
      if (sent <= 0) throw Error(ErrorCode::Network, "TLS write to syslog collector failed: " + sslError());
    } else {
      sent = ::send(socket_.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent < 0 && errno == EINTR) continue;
      if (sent <= 0) throw Error(ErrorCode::Network, std::string("write to syslog collector failed: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

bool SyslogConnection::peerClosed() const noexcept {
  pollfd p{socket_.fd, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  if (p.revents & (POLLERR | POLLHUP)) return true;
  char byte;
  // Readable: a FIN (0), an error, or bytes (a TLS 1.3 session ticket, a collector's notice).
  const ssize_t n = ::recv(socket_.fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

}  // namespace medvqa::audit
