#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct ssl_ctx_st;

namespace medvqa::test {

// A syslog collector for tests: accepts TCP (or TLS, with a server context) connections on a
// loopback port the OS picks (bound here: port() reads it back), one at a time, and splits what
// arrives into RFC 6587 octet-counted frames ("LEN SP MSG"), checking each LEN against the bytes
// that follow.
class SyslogListener {
 public:
  // `tls` (optional, not owned) must outlive the listener. `closeAfter` > 0: the listener hangs
  // up on a client after that many frames (a collector restart), then accepts the next one.
  explicit SyslogListener(ssl_ctx_st* tls = nullptr, std::size_t closeAfter = 0);
  ~SyslogListener();
  SyslogListener(const SyslogListener&) = delete;
  SyslogListener& operator=(const SyslogListener&) = delete;

  std::uint16_t port() const { return port_; }
  // The frames' MSG parts received so far, once at least `n` have come (or the timeout passed).
  std::vector<std::string> waitForFrames(std::size_t n, std::chrono::milliseconds timeout);
  std::size_t connections() const { return connections_; }
  // Whether the listener has closed `n` connections (with closeAfter: hung up on a client)
  // within `timeout`.
  bool waitForHangUps(std::size_t n, std::chrono::milliseconds timeout);
  // A frame whose LEN was not a number, or a connection that ended mid-frame.
  std::string framingError() const;

 private:
  void run();
  void serve(int fd);

  ssl_ctx_st* tls_;
  std::size_t closeAfter_;
  int listenFd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_{0};
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> frames_;
  std::size_t hangUps_ = 0;
  std::string framingError_;
  std::thread thread_;
};

// Splits a parsed RFC 5424 message: the header fields and the MSG after the BOM.
struct SyslogMessage {
  std::string pri, version, timestamp, hostname, appName, procId, msgId, structuredData;
  bool bom = false;
  std::string msg;
};
SyslogMessage parseSyslog(const std::string& message);

}  // namespace medvqa::test
