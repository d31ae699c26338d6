#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "db/sqlite.h"

namespace medvqa::db {

// Read connections for many threads. sqlite in WAL mode lets every reader run beside the one
// writer, but a connection must not be shared between threads at once: each caller leases its
// own. A lease opens a new connection when none is idle (so readers never queue behind each
// other), and at most `maxIdle` are kept open for reuse afterwards.
class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    ~Lease();
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  ConnectionPool(std::filesystem::path file, ConnectionOptions options, std::size_t maxIdle);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  Lease acquire();

 private:
  void giveBack(std::unique_ptr<Connection> connection) noexcept;

  const std::filesystem::path file_;
  const ConnectionOptions options_;
  const std::size_t maxIdle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace medvqa::db
