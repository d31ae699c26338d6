// The RAII sqlite layer under the index: pragmas, transactions, statements, the reader pool.

#include <gtest/gtest.h>

#include "common/error.h"
#include "db/connection_pool.h"
#include "db/sqlite.h"
#include "test_index_fixtures.h"

namespace medvqa {
namespace {

using index_test::TempDir;

std::string pragma(db::Connection& c, const char* name) {
  auto s = c.prepare(std::string("PRAGMA ") + name);
  EXPECT_TRUE(s.step());
  return s.columnText(0);
}

std::int64_t count(db::Connection& c) {
  auto s = c.prepare("SELECT count(*) FROM t");
  EXPECT_TRUE(s.step());
  return s.columnInt64(0);
}

TEST(IndexSqlite, OpensWithWalFullSyncAndForeignKeys) {
  TempDir dir;
  db::Connection c(dir.path() / "x.db");
  EXPECT_EQ(pragma(c, "journal_mode"), "wal");
  EXPECT_EQ(pragma(c, "synchronous"), "2");  // FULL
  EXPECT_EQ(pragma(c, "foreign_keys"), "1");
  EXPECT_NE(pragma(c, "busy_timeout"), "0");
}

TEST(IndexSqlite, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  db::Connection c(dir.path() / "x.db");
  c.exec("CREATE TABLE t (v TEXT)");
  {
    db::Transaction t(c);
    c.exec("INSERT INTO t VALUES ('dropped')");
  }
  EXPECT_EQ(count(c), 0);
  {
    db::Transaction t(c);
    c.exec("INSERT INTO t VALUES ('kept')");
    t.commit();
    EXPECT_THROW(t.commit(), Error);
  }
  EXPECT_EQ(count(c), 1);
}

TEST(IndexSqlite, TransactionRollsBackWhenAnExceptionLeavesTheScope) {
  TempDir dir;
  db::Connection c(dir.path() / "x.db");
  c.exec("CREATE TABLE t (v TEXT NOT NULL)");
  try {
    db::Transaction t(c);
    c.exec("INSERT INTO t VALUES ('first')");
    c.exec("INSERT INTO t VALUES (NULL)");  // violates NOT NULL: throws
    t.commit();
    FAIL() << "expected an exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Database);
  }
  EXPECT_EQ(count(c), 0);
}

TEST(IndexSqlite, StatementBindsAndReadsValues) {
  TempDir dir;
  db::Connection c(dir.path() / "x.db");
  c.exec("CREATE TABLE t (a TEXT, b INTEGER, c TEXT)");
  auto insert = c.prepare("INSERT INTO t VALUES (?1, ?2, ?3)");
  insert.bindText(1, std::string("a\0b", 3)).bindInt64(2, std::optional<std::int64_t>{});
  insert.bindTextOrNull(3, "");
  insert.run();
  auto select = c.prepare("SELECT a, b, c FROM t");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.columnText(0), std::string("a\0b", 3));
  EXPECT_TRUE(select.columnIsNull(1));
  EXPECT_FALSE(select.columnOptionalInt64(1).has_value());
  EXPECT_TRUE(select.columnIsNull(2));
  EXPECT_FALSE(select.step());
}

TEST(IndexSqlite, ErrorsCarryTheStatementButNotTheValues) {
  TempDir dir;
  db::Connection c(dir.path() / "x.db");
  try {
    c.prepare("SELECT * FROM missing_table");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Database);
    EXPECT_NE(std::string(e.what()).find("missing_table"), std::string::npos);
  }
  c.exec("CREATE TABLE t (v TEXT UNIQUE)");
  c.exec("INSERT INTO t VALUES ('secret-patient')");
  auto insert = c.prepare("INSERT INTO t VALUES (?1)");
  insert.bindText(1, "secret-patient");
  try {
    insert.run();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("secret-patient"), std::string::npos) << e.what();
  }
}

TEST(IndexSqlite, CachedStatementsAreReusedResetAndCleared) {
  TempDir dir;
  db::Connection c(dir.path() / "x.db");
  c.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('a'), ('b')");
  const std::string sql = "SELECT v FROM t WHERE v = ?1 OR ?1 IS NULL ORDER BY v";
  const db::Statement* first = nullptr;
  {
    auto s = c.cached(sql);
    first = &*s;
    s->bindText(1, "b");
    ASSERT_TRUE(s->step());
    EXPECT_EQ(s->columnText(0), "b");
  }  // left half-stepped: the handle resets it
  auto again = c.cached(sql);
  EXPECT_EQ(&*again, first);
  ASSERT_TRUE(again->step());  // the old binding is gone: ?1 IS NULL matches every row
  EXPECT_EQ(again->columnText(0), "a");
  ASSERT_TRUE(again->step());
  EXPECT_FALSE(again->step());
}

TEST(IndexSqlite, ReadOnlyConnectionRefusesWrites) {
  TempDir dir;
  db::Connection writer(dir.path() / "x.db");
  writer.exec("CREATE TABLE t (v TEXT)");
  db::Connection reader(dir.path() / "x.db", db::ConnectionOptions{.readOnly = true});
  EXPECT_THROW(reader.exec("INSERT INTO t VALUES ('x')"), Error);
  EXPECT_EQ(count(reader), 0);
}

TEST(IndexSqlite, ReaderSeesItsSnapshotWhileTheWriterCommits) {
  TempDir dir;
  db::Connection writer(dir.path() / "x.db");
  writer.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('1')");
  db::Connection reader(dir.path() / "x.db", db::ConnectionOptions{.readOnly = true});
  db::Transaction snapshot(reader, db::Transaction::Mode::Deferred);
  EXPECT_EQ(count(reader), 1);
  writer.exec("INSERT INTO t VALUES ('2')");  // WAL: not blocked by the open reader
  EXPECT_EQ(count(reader), 1);
  EXPECT_EQ(count(writer), 2);
}

TEST(IndexSqlite, MovedConnectionAndTransactionStayUsable) {
  TempDir dir;
  db::Connection a(dir.path() / "x.db");
  db::Connection b(std::move(a));
  b.exec("CREATE TABLE t (v TEXT)");
  {
    db::Transaction t1(b);
    b.exec("INSERT INTO t VALUES ('x')");
    db::Transaction t2(std::move(t1));
    t2.commit();
  }  // t1 (moved from) must not roll back
  EXPECT_EQ(count(b), 1);
}

TEST(IndexSqlite, PoolReusesIdleConnectionsAndOpensMoreUnderLoad) {
  TempDir dir;
  db::Connection writer(dir.path() / "x.db");
  writer.exec("CREATE TABLE t (v TEXT)");
  db::ConnectionPool pool(dir.path() / "x.db", db::ConnectionOptions{.readOnly = true}, 1);
  const db::Connection* kept = nullptr;
  {
    auto first = pool.acquire();
    auto second = pool.acquire();  // the first is busy: a new one
    EXPECT_NE(&*second, &*first);
    kept = &*second;  // returned first (reverse order); the pool keeps only one idle
  }
  auto again = pool.acquire();
  EXPECT_EQ(&*again, kept);
  EXPECT_EQ(count(*again), 0);
}

}  // namespace
}  // namespace medvqa
