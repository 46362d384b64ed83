#include "store/database.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace cks::store {
namespace {

std::unique_ptr<Database> openOrFail(const std::string& path) {
  auto db = Database::open(path);
  EXPECT_TRUE(db) << db.error().message;
  return db ? std::move(*db) : nullptr;
}

// The first column of the first row of `sql`, as text.
std::string scalar(Database& db, const std::string& sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return "<prepare failed: " + stmt.error().message + ">";
  auto row = stmt->step();
  if (!row) return "<step failed: " + row.error().message + ">";
  if (!*row) return "<no row>";
  return stmt->text(0);
}

std::string randomBytes(size_t count, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(count, '\0');
  for (char& c : out) c = char(byte(generator));
  return out;
}

TEST(DatabaseTest, OpenCreatesTheFileInWalModeWithForeignKeys) {
  test::TempDir dir;
  const std::string path = dir.file("agent.db");
  ASSERT_FALSE(std::filesystem::exists(path));

  auto db = openOrFail(path);
  ASSERT_TRUE(db);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(db->path(), path);
  EXPECT_EQ(scalar(*db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(scalar(*db, "PRAGMA foreign_keys"), "1");
}

TEST(DatabaseTest, ForeignKeysAreEnforced) {
  test::TempDir dir;
  auto db = openOrFail(dir.file("agent.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(
      db->exec("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
               "CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id));"));

  const auto status = db->exec("INSERT INTO child (parent_id) VALUES (42)");
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("FOREIGN KEY"), std::string::npos)
      << status.error().message;
}

TEST(DatabaseTest, OpenInAMissingDirectoryNamesThePath) {
  test::TempDir dir;
  const std::string path = dir.file("no-such-dir/agent.db");

  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find("store: open " + path), std::string::npos)
      << db.error().message;
}

TEST(DatabaseTest, MigrateAppliesEveryVersionInOrder) {
  test::TempDir dir;
  auto db = openOrFail(dir.file("agent.db"));
  ASSERT_TRUE(db);
  // Each migration depends on the one before it, so any other order fails.
  const std::vector<std::string_view> migrations = {
      "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      "INSERT INTO settings VALUES ('schema', 'two')",
      "ALTER TABLE settings ADD COLUMN note TEXT NOT NULL DEFAULT 'added in three'",
  };

  ASSERT_TRUE(db->migrate(migrations));

  EXPECT_EQ(scalar(*db, "PRAGMA user_version"), "3");
  EXPECT_EQ(scalar(*db, "SELECT value || '/' || note FROM settings"), "two/added in three");
}

TEST(DatabaseTest, MigrateIsIdempotentOnReopenAndAppliesOnlyNewVersions) {
  test::TempDir dir;
  const std::string path = dir.file("agent.db");
  std::vector<std::string_view> migrations = {
      "CREATE TABLE tokens (serial TEXT NOT NULL)",
      "INSERT INTO tokens VALUES ('first')",
  };
  {
    auto db = openOrFail(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->migrate(migrations));
  }
  {
    auto db = openOrFail(path);
    ASSERT_TRUE(db);
    const auto again = db->migrate(migrations);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(scalar(*db, "SELECT group_concat(serial) FROM tokens"), "first");
    EXPECT_EQ(scalar(*db, "PRAGMA user_version"), "2");
  }
  migrations.push_back("INSERT INTO tokens VALUES ('third')");
  {
    auto db = openOrFail(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->migrate(migrations));
    EXPECT_EQ(scalar(*db, "SELECT group_concat(serial, ',') FROM tokens ORDER BY rowid"),
              "first,third");
    EXPECT_EQ(scalar(*db, "PRAGMA user_version"), "3");
  }
}

TEST(DatabaseTest, FailedMigrationIsRolledBackAndNamesItsNumber) {
  test::TempDir dir;
  auto db = openOrFail(dir.file("agent.db"));
  ASSERT_TRUE(db);
  const std::vector<std::string_view> migrations = {
      "CREATE TABLE a (x INTEGER)",
      "CREATE TABLE b (x INTEGER); INSERT INTO no_such_table VALUES (1)",
  };

  const auto status = db->migrate(migrations);

  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("migration 2"), std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find(db->path()), std::string::npos) << status.error().message;
  EXPECT_EQ(scalar(*db, "PRAGMA user_version"), "1");
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'a'"), "1");
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'b'"), "0");
}

TEST(DatabaseTest, RefusesAFileWrittenByANewerVersion) {
  test::TempDir dir;
  const std::string path = dir.file("agent.db");
  {
    auto db = openOrFail(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE future (x INTEGER); PRAGMA user_version = 5"));
  }
  auto db = openOrFail(path);
  ASSERT_TRUE(db);

  const auto status = db->migrate({"CREATE TABLE a (x INTEGER)", "CREATE TABLE b (x INTEGER)"});

  ASSERT_FALSE(status);
  const std::string& message = status.error().message;
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("schema version 5 is newer than this program knows (2)"),
            std::string::npos)
      << message;
  // Nothing was applied to the newer file.
  EXPECT_EQ(scalar(*db, "PRAGMA user_version"), "5");
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'a'"), "0");
}

// Error kinds (core/error_code.h): the local API answers "try again" for a busy store, so a file
// another connection holds is Unavailable, a refused constraint a Conflict and a file from a
// newer version a FailedPrecondition.
TEST(DatabaseTest, AFileAnotherConnectionHoldsIsUnavailable) {
  test::TempDir dir;
  const std::string path = dir.file("agent.db");
  auto holder = openOrFail(path);
  auto waiting = openOrFail(path);
  ASSERT_TRUE(holder && waiting);
  ASSERT_TRUE(holder->exec("CREATE TABLE t (x INTEGER)"));
  ASSERT_TRUE(holder->exec("BEGIN IMMEDIATE"));
  ASSERT_TRUE(waiting->exec("PRAGMA busy_timeout = 0"));  // the agent waits 5 s; no need here

  const auto tx = Transaction::begin(*waiting);
  ASSERT_FALSE(tx);
  EXPECT_EQ(tx.error().code, ErrorCode::Unavailable) << tx.error().message;
  EXPECT_NE(tx.error().message.find(path), std::string::npos) << tx.error().message;

  ASSERT_TRUE(holder->exec("ROLLBACK"));
  EXPECT_TRUE(Transaction::begin(*waiting));
}

TEST(DatabaseTest, ARefusedConstraintIsAConflictAndANewerFileAFailedPrecondition) {
  test::TempDir dir;
  auto db = openOrFail(dir.file("agent.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE t (x INTEGER UNIQUE); INSERT INTO t VALUES (1)"));
  auto insert = db->prepare("INSERT INTO t VALUES (1)");
  ASSERT_TRUE(insert);
  const auto twice = insert->run();
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::Conflict) << twice.error().message;

  ASSERT_TRUE(db->exec("PRAGMA user_version = 5"));
  const auto newer = db->migrate({"CREATE TABLE a (x INTEGER)"});
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, ErrorCode::FailedPrecondition) << newer.error().message;
}

TEST(DatabaseTest, RefusesAFileOfRandomBytesAndNamesThePath) {
  test::TempDir dir;
  const std::string path = dir.file("agent.db");
  test::writeFile(path, randomBytes(8192, 20200420));

  auto db = Database::open(path);

  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find(path), std::string::npos) << db.error().message;
  EXPECT_EQ(db.error().code, ErrorCode::DataLoss) << db.error().message;
}

TEST(DatabaseTest, RefusesAFileWithACorruptPageAndNamesThePath) {
  test::TempDir dir;
  const std::string path = dir.file("agent.db");
  {
    auto db = openOrFail(path);
    ASSERT_TRUE(db);
    // Page 1 is the schema; the first table's root is page 2. Enough rows to span many pages.
    ASSERT_TRUE(
        db->exec("CREATE TABLE tokens (id INTEGER PRIMARY KEY, serial TEXT NOT NULL);"
                 "CREATE INDEX tokens_serial ON tokens (serial);"
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                 "INSERT INTO tokens (serial) SELECT printf('serial-%08d', i) FROM n;"));
    ASSERT_EQ(scalar(*db, "PRAGMA page_size"), "4096");
  }
  // Closing the last connection checkpoints the WAL into the main file and removes it.
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));
  ASSERT_GT(std::filesystem::file_size(path), 3u * 4096u);
  {
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(4096);
    const std::string garbage = randomBytes(4096, 7);
    file.write(garbage.data(), std::streamsize(garbage.size()));
    ASSERT_TRUE(file.good());
  }

  // The hub's quicker check at open reads every page too.
  for (const auto check : {Database::Check::Full, Database::Check::Quick}) {
    auto db = Database::open(path, check);
    ASSERT_FALSE(db) << "a database with a garbage page 2 was accepted";
    EXPECT_NE(db.error().message.find(path), std::string::npos) << db.error().message;
    EXPECT_EQ(db.error().code, ErrorCode::DataLoss) << db.error().message;
  }
}

TEST(DatabaseTest, IntegrityCheckOfAHealthyFileIsOk) {
  test::TempDir dir;
  auto db = openOrFail(dir.file("agent.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)"));

  const auto result = db->integrityCheck();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, "ok");
}

TEST(DatabaseTest, TransactionNotCommittedRollsBack) {
  test::TempDir dir;
  auto db = openOrFail(dir.file("agent.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE t (x INTEGER)"));
  {
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx) << tx.error().message;
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (1)"));
    EXPECT_EQ(scalar(*db, "SELECT count(*) FROM t"), "1");
  }
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM t"), "0");
  // The connection is usable again: no transaction was left open.
  EXPECT_TRUE(db->exec("BEGIN; COMMIT;"));
}

TEST(DatabaseTest, CommittedTransactionSurvivesReopen) {
  test::TempDir dir;
  const std::string path = dir.file("agent.db");
  {
    auto db = openOrFail(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE t (x INTEGER)"));
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (7)"));
    ASSERT_TRUE(tx->commit());
  }
  auto db = openOrFail(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "SELECT group_concat(x) FROM t"), "7");
}

TEST(DatabaseTest, StatementBindsAndReadsBackEveryType) {
  test::TempDir dir;
  auto db = openOrFail(dir.file("agent.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE t (s TEXT, n INTEGER, b BLOB, z TEXT)"));
  const std::vector<std::uint8_t> der = {0x30, 0x82, 0x00, 0xff, 0x00};
  {
    auto insert = db->prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
    ASSERT_TRUE(insert);
    insert->bind(1, std::string_view("Nguyễn Văn A")).bind(2, std::int64_t(1) << 40);
    insert->bind(3, der).bindNull(4);
    ASSERT_TRUE(insert->run());
  }
  EXPECT_EQ(db->changes(), 1);
  EXPECT_EQ(db->lastInsertId(), 1);

  auto select = db->prepare("SELECT s, n, b, z FROM t");
  ASSERT_TRUE(select);
  auto row = select->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(select->text(0), "Nguyễn Văn A");
  EXPECT_EQ(select->integer(1), std::int64_t(1) << 40);
  EXPECT_EQ(select->blob(2), der);
  EXPECT_TRUE(select->isNull(3));
  EXPECT_FALSE(select->isNull(0));
  row = select->step();
  ASSERT_TRUE(row);
  EXPECT_FALSE(*row);
}

TEST(DatabaseTest, PrepareErrorNamesTheFile) {
  test::TempDir dir;
  auto db = openOrFail(dir.file("agent.db"));
  ASSERT_TRUE(db);

  auto stmt = db->prepare("SELECT * FROM no_such_table");

  ASSERT_FALSE(stmt);
  EXPECT_NE(stmt.error().message.find(db->path()), std::string::npos) << stmt.error().message;
  EXPECT_NE(stmt.error().message.find("no_such_table"), std::string::npos) << stmt.error().message;
}

TEST(DatabaseTest, ReusedStatementsStayCorrectWhenTheSameSqlIsNested) {
  test::TempDir dir;
  auto db = Database::open(dir.file("agent.db"));
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3);"));
  const std::string_view sql = "SELECT n FROM t WHERE n >= ? ORDER BY n";
  // The outer loop holds the cached statement; the inner one must get its own.
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  auto outer = (*db)->prepare(sql);
  ASSERT_TRUE(outer);
  outer->bind(1, std::int64_t(2));
  while (*outer->step()) {
    auto inner = (*db)->prepare(sql);
    ASSERT_TRUE(inner);
    inner->bind(1, outer->integer(0));
    while (*inner->step()) pairs.emplace_back(outer->integer(0), inner->integer(0));
  }
  EXPECT_EQ(pairs, (std::vector<std::pair<std::int64_t, std::int64_t>>{{2, 2}, {2, 3}, {3, 3}}));
  // Given back, the cached statement starts afresh: no row or binding left over.
  outer = (*db)->prepare(sql);
  ASSERT_TRUE(outer);
  outer->bind(1, std::int64_t(1));
  ASSERT_TRUE(*outer->step());
  EXPECT_EQ(outer->integer(0), 1);
}

}  // namespace
}  // namespace cks::store
