// The small SQL interface the hub's store logic (the roles in hub/store/) is written against, so
// that the same statements run on SQLite (sqlite_pool.h) and PostgreSQL (postgres_connection.h).
// Statements use numbered parameters ?1 … ?N and SQL both databases accept. A StoreConnection
// is used by one thread at a time; a ConnectionPool hands connections out and is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cks::hub {

// One parameter value: NULL, an integer, text or bytes.
class SqlValue {
 public:
  enum class Type { Null, Integer, Text, Blob };

  SqlValue() = default;
  SqlValue(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): reads as NULL
  SqlValue(std::int64_t number) : type_(Type::Integer), integer_(number) {}  // NOLINT
  SqlValue(int number) : SqlValue(std::int64_t{number}) {}                   // NOLINT
  SqlValue(bool) = delete;  // say 0 or 1: both databases keep flags as integers
  SqlValue(std::string text) : type_(Type::Text), bytes_(std::move(text)) {}  // NOLINT
  SqlValue(const char* text) : SqlValue(std::string(text)) {}                 // NOLINT
  // NULL when empty.
  SqlValue(const std::optional<std::string>& text)  // NOLINT
      : type_(text ? Type::Text : Type::Null), bytes_(text.value_or("")) {}
  static SqlValue blob(std::span<const std::uint8_t> bytes) {
    SqlValue value;
    value.type_ = Type::Blob;
    value.bytes_.assign(bytes.begin(), bytes.end());
    return value;
  }

  [[nodiscard]] Type type() const { return type_; }
  [[nodiscard]] std::int64_t integer() const { return integer_; }
  // The text, or a blob's bytes.
  [[nodiscard]] const std::string& bytes() const { return bytes_; }

 private:
  Type type_ = Type::Null;
  std::int64_t integer_ = 0;
  std::string bytes_;
};

// The current row of a statement's result; valid only inside the row callback.
class SqlRow {
 public:
  // Text (a blob's bytes); "" for NULL.
  [[nodiscard]] virtual std::string text(int column) const = 0;
  // 0 for NULL.
  [[nodiscard]] virtual std::int64_t integer(int column) const = 0;
  [[nodiscard]] virtual bool isNull(int column) const = 0;

 protected:
  ~SqlRow() = default;
};

using RowHandler = std::function<void(const SqlRow&)>;

// What a failed call means for the caller's transaction.
enum class SqlFailure {
  None,
  // The database aborted the transaction because of a concurrent one (serialisation failure,
  // deadlock, a unique key another transaction took meanwhile): running it again is expected
  // to succeed, and to see the other transaction's effects.
  Transient,
  // The connection is gone (the server stopped, the network failed); the pool drops it.
  ConnectionLost,
  Other,
};

class StoreConnection {
 public:
  virtual ~StoreConnection() = default;

  // Runs one statement with `params` bound to ?1 … ?N, calling `row` for each row it yields in
  // order. Returns how many rows an INSERT, UPDATE or DELETE changed (meaningless for others).
  [[nodiscard]] virtual Result<std::int64_t> run(std::string_view sql,
                                                 const std::vector<SqlValue>& params = {},
                                                 const RowHandler& row = {}) = 0;

  // A write transaction. SQLite takes its write lock at begin(); PostgreSQL runs at READ
  // COMMITTED, so the store logic takes a row lock first where it must (see Ingest::push).
  [[nodiscard]] virtual Status begin() = 0;
  [[nodiscard]] virtual Status commit() = 0;
  // Abandons the open transaction, if any. Never fails: a lost connection has none.
  virtual void rollback() = 0;

  // What the last failed call of this connection meant; None after a call that succeeded.
  [[nodiscard]] virtual SqlFailure lastFailure() const = 0;

  // "ok" or what the database's own check found.
  [[nodiscard]] virtual Result<std::string> integrityCheck() = 0;

  // For messages: the SQLite file, or the PostgreSQL URL without its password.
  [[nodiscard]] virtual const std::string& where() const = 0;
};

class ConnectionPool;

// Which database a pool connects to, for the few statements that cannot be one text for both
// (the certificate search's text index: FTS5 on SQLite, pg_trgm on PostgreSQL).
enum class SqlDialect { Sqlite, Postgresql };

// A connection lent to one caller; it goes back to its pool (or is dropped, when lost) at the
// end of the lease.
class ConnectionLease {
 public:
  ConnectionLease(ConnectionPool& pool, std::unique_ptr<StoreConnection> connection)
      : pool_(&pool), connection_(std::move(connection)) {}
  ConnectionLease(ConnectionLease&& other) noexcept = default;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  ConnectionLease(const ConnectionLease&) = delete;
  ConnectionLease& operator=(const ConnectionLease&) = delete;
  ~ConnectionLease();

  StoreConnection& operator*() const { return *connection_; }
  StoreConnection* operator->() const { return connection_.get(); }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<StoreConnection> connection_;
};

class ConnectionPool {
 public:
  virtual ~ConnectionPool() = default;

  // A connection for the caller alone until the lease ends: an idle one that still works, else
  // a new one. Fails (naming the database, never a password) when none can be made.
  [[nodiscard]] virtual Result<ConnectionLease> acquire() = 0;
  [[nodiscard]] virtual SqlDialect dialect() const = 0;

 protected:
  friend class ConnectionLease;
  // Takes back a leased connection; one whose last failure was ConnectionLost is dropped.
  virtual void release(std::unique_ptr<StoreConnection> connection) = 0;
};

inline ConnectionLease::~ConnectionLease() {
  if (connection_) pool_->release(std::move(connection_));
}

}  // namespace cks::hub
