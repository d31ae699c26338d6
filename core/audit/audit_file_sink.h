#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "audit/audit_sink.h"

namespace medvqa::metrics {
class Metrics;
}

namespace medvqa::audit {

// An append-only audit file: one message per line, each line one write(2) on a descriptor opened
// with O_APPEND, so lines from concurrent writers (threads, or a second process on the same file)
// never interleave; the file is only ever appended to (rotate it by renaming; the node keeps
// writing the renamed file until restarted). Created with mode 0600: the messages name patients.
class AuditFileSink : public AuditSink {
 public:
  // Opens (creating) `path`; Error(Config) naming `configKey` when it cannot.
  AuditFileSink(std::filesystem::path path, std::string configKey, metrics::Metrics* metrics = nullptr,
                std::chrono::milliseconds syncInterval = std::chrono::milliseconds(1000));
  ~AuditFileSink() override;
  AuditFileSink(const AuditFileSink&) = delete;
  AuditFileSink& operator=(const AuditFileSink&) = delete;

  const char* name() const noexcept override { return "file"; }
  // Throws Error(Io) when the line did not reach the file whole.
  void write(const std::string& message) override;

 private:
  void syncLoop();

  std::filesystem::path path_;
  metrics::Metrics* metrics_;
  int fd_ = -1;
  std::chrono::milliseconds syncInterval_;
  std::atomic<bool> dirty_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread syncer_;
};

}  // namespace medvqa::audit
