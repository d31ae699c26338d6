#include "db/sqlite.h"

#include <sqlite3.h>

#include <utility>

#include "common/error.h"
#include "common/log.h"

namespace medvqa::db {
namespace {

// Enough of the statement to find it in the code; bound values are never part of the text.
std::string sqlExcerpt(std::string_view sql) {
  constexpr std::size_t kMax = 120;
  std::string out(sql.substr(0, kMax));
  for (char& c : out) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (sql.size() > kMax) out += "...";
  return out;
}

[[noreturn]] void throwDb(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  message += " (sqlite code " + std::to_string(rc) + ")";
  throw Error(ErrorCode::Database, message);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Connection

void Connection::Closer::operator()(sqlite3* db) const noexcept {
  // close_v2 defers the close until every statement is finalised, so destruction order between a
  // Connection and a Statement that outlived it can never leak or crash.
  sqlite3_close_v2(db);
}

Connection::Connection(const std::filesystem::path& file, ConnectionOptions options) {
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is only ever used by one thread at a time, so sqlite's per-connection
  // mutex would be pure overhead.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) throwDb(raw, rc, "cannot open database " + file.string());
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, static_cast<int>(options.busyTimeout.count()));
  exec("PRAGMA journal_mode=WAL");
  exec(options.syncEveryCommit ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  exec("PRAGMA foreign_keys=ON");
  if (options.readOnly) exec("PRAGMA query_only=ON");
}

Connection::~Connection() = default;
Connection::Connection(Connection&& other) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept = default;

void Connection::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return;
  std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  throw Error(ErrorCode::Database, "sqlite exec failed: " + detail + " (sqlite code " +
                                       std::to_string(rc) + ") in: " + sqlExcerpt(sql));
}

Statement Connection::prepare(std::string_view sql) { return Statement(db_.get(), sql); }

CachedStatement Connection::cached(const std::string& sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    found = cache_.emplace(sql, std::make_unique<Statement>(db_.get(), sql)).first;
  }
  return CachedStatement(*found->second);
}

std::int64_t Connection::lastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }

int Connection::changes() const { return sqlite3_changes(db_.get()); }

// ---------------------------------------------------------------------------------------------
// Statement

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  stmt_.reset(raw);
  if (rc != SQLITE_OK) throwDb(db, rc, "cannot prepare: " + sqlExcerpt(sql));
}

void Statement::fail(int rc, std::string_view what) const {
  const char* sql = stmt_ ? sqlite3_sql(stmt_.get()) : nullptr;
  throwDb(db_, rc, std::string(what) + " in: " + sqlExcerpt(sql != nullptr ? sql : ""));
}

Statement& Statement::bindText(int index, std::string_view value) {
  // SQLITE_TRANSIENT: sqlite copies the bytes, so the caller's buffer may die before step().
  const int rc = sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(rc, "cannot bind parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bindTextOrNull(int index, std::string_view value) {
  return value.empty() ? bindNull(index) : bindText(index, value);
}

Statement& Statement::bindInt64(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (rc != SQLITE_OK) fail(rc, "cannot bind parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bindInt64(int index, std::optional<std::int64_t> value) {
  return value ? bindInt64(index, *value) : bindNull(index);
}

Statement& Statement::bindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_.get(), index);
  if (rc != SQLITE_OK) fail(rc, "cannot bind parameter " + std::to_string(index));
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc, "step failed");
}

void Statement::run() {
  if (step()) fail(SQLITE_MISUSE, "statement returned a row where none was expected");
}

void Statement::reset() { sqlite3_reset(stmt_.get()); }

void Statement::clearBindings() { sqlite3_clear_bindings(stmt_.get()); }

// ---------------------------------------------------------------------------------------------
// CachedStatement

CachedStatement::~CachedStatement() {
  if (statement_ == nullptr) return;
  statement_->reset();
  statement_->clearBindings();  // a value bound for one patient never lingers into the next use
}

bool Statement::columnIsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::columnInt64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::optional<std::int64_t> Statement::columnOptionalInt64(int column) const {
  if (columnIsNull(column)) return std::nullopt;
  return columnInt64(column);
}

std::string Statement::columnText(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  if (text == nullptr) return {};
  const int bytes = sqlite3_column_bytes(stmt_.get(), column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(bytes));
}

// ---------------------------------------------------------------------------------------------
// Transaction

Transaction::Transaction(Connection& connection, Mode mode) : connection_(&connection) {
  connection.exec(mode == Mode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction() {
  if (connection_ == nullptr) return;
  // ROLLBACK can only fail when sqlite already rolled back itself (e.g. after SQLITE_FULL);
  // either way the transaction is over, and a destructor must not throw.
  const int rc = sqlite3_exec(connection_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK && sqlite3_get_autocommit(connection_->handle()) == 0) {
    log::error(std::string("sqlite ROLLBACK failed: ") + sqlite3_errmsg(connection_->handle()));
  }
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

void Transaction::commit() {
  if (connection_ == nullptr) {
    throw Error(ErrorCode::Database, "commit on a transaction that is already finished");
  }
  connection_->exec("COMMIT");
  connection_ = nullptr;
}

}  // namespace medvqa::db
