// A thin RAII layer over one SQLite connection: opening with the settings every cks store uses
// (WAL, foreign keys, busy timeout, integrity check), versioned migrations, prepared statements
// and transactions. Errors come back as values naming the file. A Database is used by one
// thread at a time; owners that share one across threads serialise access themselves.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cks::store {

// A prepared statement. Those from Database::prepare() are cached by their SQL text: the
// handle goes back to the cache (reset, bindings cleared) when this object is destroyed.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds parameters by position, starting at 1. Returns *this for chaining.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t number);
  Statement& bind(int index, std::span<const std::uint8_t> blob);
  Statement& bindNull(int index);

  // Advances one row: true when a row is available, false when done.
  [[nodiscard]] Result<bool> step();
  // Runs to completion, ignoring rows.
  [[nodiscard]] Status run();
  // Clears bindings and rewinds, for reuse.
  void reset();

  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] std::vector<std::uint8_t> blob(int column) const;
  [[nodiscard]] bool isNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, const std::string* where, bool* in_use)
      : stmt_(stmt), where_(where), in_use_(in_use) {}
  sqlite3_stmt* stmt_;
  const std::string* where_;  // the owning Database's path, for messages
  bool* in_use_;              // the cache slot to give back to; null when this owns stmt_
};

class Database {
 public:
  // What open reads of a file before it trusts it.
  enum class Check {
    Full,   // PRAGMA integrity_check: every page and record, and every index against its table
    Quick,  // PRAGMA quick_check: every page and record, not the indexes' agreement. For a
            // large file (the hub's national one: 3 s instead of a minute at 2 GB)
  };

  // Opens (creating if needed) the SQLite file at `path`, sets WAL, foreign keys and a busy
  // timeout, and refuses a file that fails `check`.
  [[nodiscard]] static Result<std::unique_ptr<Database>> open(const std::string& path,
                                                              Check check = Check::Full);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Applies `migrations[i]` for every i at or above the file's user_version, each in its own
  // transaction, so a store written by an older agent is brought up to date on open. Refuses a
  // file written by a newer version.
  [[nodiscard]] Status migrate(const std::vector<std::string_view>& migrations);

  [[nodiscard]] Status exec(std::string_view sql);
  // Prepares `sql`, reusing the compiled statement of an earlier call with the same text (a
  // scan runs the same few statements for every token). While one is in use, a second
  // request for the same text gets a fresh statement.
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  [[nodiscard]] std::int64_t lastInsertId() const;
  [[nodiscard]] int changes() const;
  [[nodiscard]] const std::string& path() const { return path_; }

  // "ok" or the first problems PRAGMA integrity_check reports.
  [[nodiscard]] Result<std::string> integrityCheck();

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  [[nodiscard]] Error error(std::string_view what) const;
  // "ok" or the problems `pragma` (integrity_check or quick_check) reports, joined.
  [[nodiscard]] Result<std::string> runCheck(std::string_view pragma);
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, CachedStatement> cache_;
};

// BEGIN IMMEDIATE … COMMIT; rolls back unless commit() succeeded.
class Transaction {
 public:
  [[nodiscard]] static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  [[nodiscard]] Status commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace cks::store
