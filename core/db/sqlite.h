#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace medvqa::db {

// Thin RAII layer over the sqlite C API. Every failure throws Error(Database) carrying sqlite's
// message and the start of the SQL text (never bound values: they may identify a patient).

class Statement;
class CachedStatement;

struct ConnectionOptions {
  // A reader refuses writes (PRAGMA query_only) so a bug can never write through it.
  bool readOnly = false;
  // How long a statement waits on another process' lock before SQLITE_BUSY.
  std::chrono::milliseconds busyTimeout{5000};
  // true: synchronous=FULL, a commit is on disk when it returns. false: synchronous=NORMAL, a
  // commit survives a process crash but may be lost on power loss; only for data that can be
  // rebuilt from elsewhere (the instance index, from the instance files).
  bool syncEveryCommit = true;
};

// One open database handle. Used by one thread at a time (callers serialise or pool them).
// Opened in WAL mode (readers never wait for the writer), synchronous as the options say,
// foreign keys enforced.
class Connection {
 public:
  explicit Connection(const std::filesystem::path& file, ConnectionOptions options = {});
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that take no parameters and return no rows (DDL, pragmas).
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  // For fixed SQL run again and again (the index's writes, instance look-ups): compiled once per
  // connection and kept, since compiling a statement (with its triggers) costs far more than
  // running it. The statement is reset, its bindings cleared, when the handle goes out of scope;
  // one handle per SQL text at a time.
  CachedStatement cached(const std::string& sql);

  std::int64_t lastInsertRowId() const;
  int changes() const;  // rows modified by the last INSERT/UPDATE/DELETE

  sqlite3* handle() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const noexcept;
  };
  std::unique_ptr<sqlite3, Closer> db_;
  // Declared after db_, so the statements are finalised before the handle is closed.
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// A prepared statement. Parameters are 1-based as in sqlite; columns are 0-based.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement() = default;
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bindText(int index, std::string_view value);
  // Binds NULL for an empty string: the index stores "absent" as NULL so that range and
  // equality comparisons never match a missing value.
  Statement& bindTextOrNull(int index, std::string_view value);
  Statement& bindInt64(int index, std::int64_t value);
  Statement& bindInt64(int index, std::optional<std::int64_t> value);
  Statement& bindNull(int index);

  // Advances to the next row: true when a row is available, false when the statement is done.
  bool step();
  // Steps a statement that must not return rows (INSERT/UPDATE/DELETE/DDL).
  void run();
  // Makes the statement runnable again; bindings are kept.
  void reset();
  void clearBindings();

  bool columnIsNull(int column) const;
  std::int64_t columnInt64(int column) const;
  std::optional<std::int64_t> columnOptionalInt64(int column) const;
  std::string columnText(int column) const;  // "" for NULL

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept;
  };
  [[noreturn]] void fail(int rc, std::string_view what) const;

  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// A statement borrowed from Connection::cached(). Move-only; resets the statement when done, so
// no cached statement is ever left half-stepped holding a read snapshot open.
class CachedStatement {
 public:
  explicit CachedStatement(Statement& statement) : statement_(&statement) {}
  ~CachedStatement();
  CachedStatement(CachedStatement&& other) noexcept
      : statement_(std::exchange(other.statement_, nullptr)) {}
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  Statement& operator*() const { return *statement_; }
  Statement* operator->() const { return statement_; }

 private:
  Statement* statement_;
};

// A transaction that rolls back unless commit() was called, so an exception half way through a
// multi-statement write leaves the database as it was.
class Transaction {
 public:
  enum class Mode {
    Deferred,   // takes locks lazily: for readers that want one consistent snapshot
    Immediate,  // takes the write lock at BEGIN: writers never deadlock upgrading a read lock
  };

  explicit Transaction(Connection& connection, Mode mode = Mode::Immediate);
  ~Transaction();
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Connection* connection_;  // null once committed, rolled back or moved from
};

}  // namespace medvqa::db
