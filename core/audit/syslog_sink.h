#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "audit/audit_sink.h"
#include "audit/rate_limited_log.h"
#include "audit/syslog_format.h"
#include "audit/audit_config.h"

namespace medvqa::metrics {
class Metrics;
}

namespace medvqa::audit {

class SyslogTls;
class SyslogConnection;

// Sends audit messages to a syslog collector (IHE ITI-20): RFC 5424 messages (syslog_format.h)
// in RFC 6587 / RFC 5425 octet-counted frames over TCP or TLS.
//
// write() only queues: a background thread connects, sends, and reconnects with exponential
// backoff, so a slow or absent collector never holds a DICOM or HTTP thread. The queue is
// bounded; a message that finds it full is dropped, counted (medvqa_audit_messages_total
// {sink="syslog",outcome="dropped"}) and the drop logged (rate-limited). The audit file, when
// configured, keeps every message regardless.
class SyslogSink : public AuditSink {
 public:
  struct Options {
    SyslogConfig target;
    std::string configKey = "audit.syslog";  // named by configuration errors
    std::string appName = "medvqa-scp";
    std::size_t queueLimit = 10000;
    std::chrono::seconds ioTimeout{5};  // connect, handshake, and each write
    std::chrono::milliseconds firstBackoff{250};
    std::chrono::milliseconds maxBackoff{30000};
    std::chrono::milliseconds drainOnStop{2000};  // how long the destructor tries to send what is queued
  };

  // Loads the TLS files at once (Error(Config) naming the key); connects later, in the background.
  explicit SyslogSink(Options options, metrics::Metrics* metrics = nullptr);
  ~SyslogSink() override;
  SyslogSink(const SyslogSink&) = delete;
  SyslogSink& operator=(const SyslogSink&) = delete;

  const char* name() const noexcept override { return "syslog"; }
  void write(const std::string& message) override;

  std::uint64_t sent() const noexcept { return sent_; }
  std::uint64_t dropped() const noexcept { return dropped_; }

 private:
  void run();
  bool waitForWork(std::unique_lock<std::mutex>& lock);
  void sendFront(std::unique_lock<std::mutex>& lock, std::unique_ptr<SyslogConnection>& connection);
  void backOff(std::unique_lock<std::mutex>& lock);
  void drop(std::size_t count, const std::string& why);

  Options options_;
  metrics::Metrics* metrics_;
  SyslogHeader header_;
  std::unique_ptr<SyslogTls> tls_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;  // framed messages, oldest first
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stopDeadline_;
  std::chrono::milliseconds backoff_;
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> dropped_{0};
  RateLimitedLog problems_;
  std::thread sender_;
};

}  // namespace medvqa::audit
