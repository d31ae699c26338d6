#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "audit/audit_config.h"

struct ssl_ctx_st;
struct ssl_st;

namespace medvqa::audit {

// The TLS client settings of a syslog sink, loaded once at start (RFC 5425: TLS 1.2+, the
// collector's certificate verified against `ca`, or the system's store when none is given, and
// its name or IP address checked; an optional client certificate for mutual authentication).
class SyslogTls {
 public:
  // Error(Config) naming `configKey`.ca / .certificate / .privateKey when a file cannot be used.
  SyslogTls(const SyslogConfig& config, const std::string& configKey);
  ~SyslogTls();
  SyslogTls(const SyslogTls&) = delete;
  SyslogTls& operator=(const SyslogTls&) = delete;
  ssl_ctx_st* context() const noexcept { return context_; }

 private:
  ssl_ctx_st* context_ = nullptr;
};

// One TCP (or TLS over TCP) connection to a collector, closed on destruction. OpenSSL writes
// with write(2): a collector that hangs up raises SIGPIPE in the writing thread, which must block
// it (SyslogSink's sender does) unless the process ignores it (medvqa-scp does).
class SyslogConnection {
 public:
  // Connects within `timeout` (and handshakes, when `tls` is set); Error(Network) otherwise.
  SyslogConnection(const std::string& host, std::uint16_t port, const SyslogTls* tls, std::chrono::seconds timeout);
  ~SyslogConnection();
  SyslogConnection(const SyslogConnection&) = delete;
  SyslogConnection& operator=(const SyslogConnection&) = delete;

  // Sends all of `bytes`; Error(Network) when the connection fails or stalls past the timeout.
  void send(std::string_view bytes);
  // Whether the collector has closed its side (or reset): syslog over TCP has no acknowledgment,
  // so a message written into a half-closed connection would vanish; look before writing.
  bool peerClosed() const noexcept;

 private:
  struct Socket {
    int fd;
    ~Socket();
  };
  struct SslClose {
    void operator()(ssl_st* ssl) const noexcept;
  };
  Socket socket_;
  std::unique_ptr<ssl_st, SslClose> ssl_;  // declared after socket_: shut down before it closes
};

}  // namespace medvqa::audit
