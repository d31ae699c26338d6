#include "db/connection_pool.h"

#include <utility>

namespace medvqa::db {

ConnectionPool::Lease::~Lease() {
  if (connection_) pool_->giveBack(std::move(connection_));
}

ConnectionPool::ConnectionPool(std::filesystem::path file, ConnectionOptions options,
                               std::size_t maxIdle)
    : file_(std::move(file)), options_(options), maxIdle_(maxIdle) {}

ConnectionPool::Lease ConnectionPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  // Opened outside the lock: opening touches the disk and must not hold up other readers.
  return Lease(*this, std::make_unique<Connection>(file_, options_));
}

void ConnectionPool::giveBack(std::unique_ptr<Connection> connection) noexcept {
  std::lock_guard lock(mutex_);
  if (idle_.size() >= maxIdle_) return;  // the connection closes as `connection` dies
  try {
    idle_.push_back(std::move(connection));
  } catch (...) {
    // Out of memory: closing the connection instead of keeping it is harmless.
  }
}

}  // namespace medvqa::db
