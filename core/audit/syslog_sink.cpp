#include "audit/syslog_sink.h"

#include <csignal>
#include <pthread.h>

#include "audit/syslog_connection.h"
#include "common/error.h"
#include "common/log.h"
#include "metrics/metrics.h"

namespace medvqa::audit {
namespace {

// A collector that hangs up mid-write raises SIGPIPE in this thread (OpenSSL writes with
// write(2)); blocked here, the write fails with EPIPE instead and the sink reconnects.
void blockSigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

SyslogSink::SyslogSink(Options options, metrics::Metrics* metrics)
    : options_(std::move(options)),
      metrics_(metrics),
      header_(localSyslogHeader(options_.appName)),
      tls_(options_.target.tls ? std::make_unique<SyslogTls>(options_.target, options_.configKey) : nullptr),
      backoff_(options_.firstBackoff) {
  sender_ = std::thread([this] { run(); });
}

SyslogSink::~SyslogSink() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    stopDeadline_ = std::chrono::steady_clock::now() + options_.drainOnStop;
  }
  wake_.notify_all();
  sender_.join();
}

void SyslogSink::write(const std::string& message) {
  std::string frame = octetCountingFrame(rfc5424Message(header_, std::chrono::system_clock::now(), message));
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() < options_.queueLimit) {
      queue_.push_back(std::move(frame));
      wake_.notify_one();
      return;
    }
  }
  drop(1, "its queue is full (" + std::to_string(options_.queueLimit) + " messages)");
}

void SyslogSink::drop(std::size_t count, const std::string& why) {
  dropped_ += count;
  for (std::size_t i = 0; metrics_ && i < count; ++i) metrics_->auditMessage(name(), "dropped");
  problems_.warn("audit: syslog collector " + options_.target.host + ":" + std::to_string(options_.target.port) +
                 ": " + std::to_string(count) + " message(s) dropped: " + why);
}

// Waits until a message is queued or the sink stops; false when the thread should end.
bool SyslogSink::waitForWork(std::unique_lock<std::mutex>& lock) {
  wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
  if (queue_.empty()) return false;
  return !stopping_ || std::chrono::steady_clock::now() < stopDeadline_;
}

// A stop cuts a long wait short once (one more try before the drain deadline), never more.
void SyslogSink::backOff(std::unique_lock<std::mutex>& lock) {
  const bool wasStopping = stopping_;
  auto until = std::chrono::steady_clock::now() + backoff_;
  if (wasStopping) until = std::min(until, stopDeadline_);
  wake_.wait_until(lock, until, [&] { return stopping_ != wasStopping; });
  backoff_ = std::min(backoff_ * 2, options_.maxBackoff);
}

// Sends the oldest message, which stays queued until it is on the wire: a message that meets a
// broken connection goes again on the next one (the collector may then see it twice, never not
// at all unless the queue overflows).
void SyslogSink::sendFront(std::unique_lock<std::mutex>& lock, std::unique_ptr<SyslogConnection>& connection) {
  const std::string frame = queue_.front();
  lock.unlock();
  try {
    if (connection && connection->peerClosed()) connection.reset();
    if (!connection) {
      connection = std::make_unique<SyslogConnection>(options_.target.host, options_.target.port, tls_.get(),
                                                      options_.ioTimeout);
    }
    connection->send(frame);
  } catch (const std::exception& e) {
    connection.reset();
    problems_.warn(std::string("audit: syslog: ") + e.what() + "; retrying");
    lock.lock();
    backOff(lock);
    return;
  }
  lock.lock();
  queue_.pop_front();
  backoff_ = options_.firstBackoff;
  ++sent_;
  if (metrics_) metrics_->auditMessage(name(), "written");
}

void SyslogSink::run() {
  blockSigpipe();
  std::unique_ptr<SyslogConnection> connection;
  std::unique_lock lock(mutex_);
  while (waitForWork(lock)) sendFront(lock, connection);
  const std::size_t left = queue_.size();
  queue_.clear();
  lock.unlock();
  connection.reset();
  if (left) drop(left, "the node stopped before the collector took them");
}

}  // namespace medvqa::audit
