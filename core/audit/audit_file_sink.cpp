#include "audit/audit_file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/error.h"
#include "common/log.h"
#include "metrics/metrics.h"

namespace medvqa::audit {
namespace {

// A short write leaves a partial line; ending it keeps the next message on a line of its own
// (a reader skips the one line that does not parse instead of losing the next message too).
void endPartialLine(int fd) noexcept {
  const char newline = '\n';
  [[maybe_unused]] const auto ignored = ::write(fd, &newline, 1);
}

}  // namespace

AuditFileSink::AuditFileSink(std::filesystem::path path, std::string configKey, metrics::Metrics* metrics,
                             std::chrono::milliseconds syncInterval)
    : path_(std::move(path)), metrics_(metrics), syncInterval_(syncInterval) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw Error(ErrorCode::Config, "config key '" + configKey + "': cannot open audit file " + path_.string() +
                                       " for appending: " + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd_, &info) == 0 && (info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(info.st_mode & 0777));
    log::warn("audit file " + path_.string() + " is open to users other than its owner (mode " + mode +
              "): its messages name patients; chmod 600 it");
  }
  syncer_ = std::thread([this] { syncLoop(); });
}

AuditFileSink::~AuditFileSink() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  ::fdatasync(fd_);
  ::close(fd_);
}

void AuditFileSink::write(const std::string& message) {
  std::string line = message;
  // toXml never emits a raw line break; a message from elsewhere must not split into two lines.
  std::replace_if(line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  line += '\n';
  ssize_t written;
  do {
    written = ::write(fd_, line.data(), line.size());
  } while (written < 0 && errno == EINTR);
  if (written != static_cast<ssize_t>(line.size())) {
    const std::string why = written < 0 ? std::strerror(errno) : "short write (disk full?)";
    if (written > 0) endPartialLine(fd_);
    throw Error(ErrorCode::Io, "audit file " + path_.string() + ": " + why);
  }
  dirty_ = true;
  if (metrics_) metrics_->auditMessage(name(), "written");
}

// Durability: write() puts each line into the kernel before record() returns, so a crash or a
// kill -9 of the node loses nothing. Only a power or kernel failure could lose lines still in the
// page cache; fdatasync() once per interval bounds that to the last interval, without making
// every association thread wait for the disk on every message (a C-STORE must not). The last
// sync runs at stop.
void AuditFileSink::syncLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, syncInterval_, [this] { return stopping_; });
    if (dirty_.exchange(false) && ::fdatasync(fd_) != 0) {
      log::warn("audit file " + path_.string() + ": fdatasync failed: " + std::strerror(errno));
    }
  }
}

}  // namespace medvqa::audit
