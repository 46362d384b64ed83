#include "hub/store/sqlite_pool.h"

#include <mutex>

#include "store/database.h"

namespace cks::hub {
namespace {

class SqliteRow final : public SqlRow {
 public:
  explicit SqliteRow(const store::Statement& stmt) : stmt_(stmt) {}
  std::string text(int column) const override { return stmt_.text(column); }
  std::int64_t integer(int column) const override { return stmt_.integer(column); }
  bool isNull(int column) const override { return stmt_.isNull(column); }

 private:
  const store::Statement& stmt_;
};

class SqliteConnection final : public StoreConnection {
 public:
  explicit SqliteConnection(std::unique_ptr<store::Database> db) : db_(std::move(db)) {}

  Result<std::int64_t> run(std::string_view sql, const std::vector<SqlValue>& params,
                           const RowHandler& row) override {
    failure_ = SqlFailure::Other;
    auto stmt = db_->prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = int(i) + 1;
      const SqlValue& value = params[i];
      switch (value.type()) {
        case SqlValue::Type::Null:
          stmt->bindNull(index);
          break;
        case SqlValue::Type::Integer:
          stmt->bind(index, value.integer());
          break;
        case SqlValue::Type::Text:
          stmt->bind(index, std::string_view(value.bytes()));
          break;
        case SqlValue::Type::Blob:
          stmt->bind(index, std::span<const std::uint8_t>(
                                reinterpret_cast<const std::uint8_t*>(value.bytes().data()),
                                value.bytes().size()));
          break;
      }
    }
    const SqliteRow current(*stmt);
    for (;;) {
      auto more = stmt->step();
      if (!more) return tl::unexpected(more.error());
      if (!*more) break;
      if (row) row(current);
    }
    failure_ = SqlFailure::None;
    return std::int64_t{db_->changes()};
  }

  Status begin() override { return exec("BEGIN IMMEDIATE"); }
  Status commit() override { return exec("COMMIT"); }
  void rollback() override { (void)db_->exec("ROLLBACK"); }
  SqlFailure lastFailure() const override { return failure_; }
  Result<std::string> integrityCheck() override { return db_->integrityCheck(); }
  const std::string& where() const override { return db_->path(); }

 private:
  Status exec(std::string_view sql) {
    auto status = db_->exec(sql);
    failure_ = status ? SqlFailure::None : SqlFailure::Other;
    return status;
  }

  std::unique_ptr<store::Database> db_;
  SqlFailure failure_ = SqlFailure::None;
};

// One connection, lent to one caller at a time: the lease holds the mutex.
class SqlitePool final : public ConnectionPool {
 public:
  explicit SqlitePool(std::unique_ptr<StoreConnection> connection)
      : connection_(std::move(connection)) {}

  Result<ConnectionLease> acquire() override {
    mutex_.lock();
    return ConnectionLease(*this, std::move(connection_));
  }
  SqlDialect dialect() const override { return SqlDialect::Sqlite; }

 protected:
  void release(std::unique_ptr<StoreConnection> connection) override {
    connection_ = std::move(connection);
    mutex_.unlock();
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<StoreConnection> connection_;
};

}  // namespace

Result<std::unique_ptr<ConnectionPool>> openSqlitePool(
    const std::string& path, const std::vector<std::string_view>& migrations) {
  // A province's file, or the nation's, grows to gigabytes: its pages are checked at open, the
  // indexes' agreement with their tables is left to `integrityCheck`.
  auto db = store::Database::open(path, store::Database::Check::Quick);
  if (!db) return tl::unexpected(db.error());
  if (auto status = (*db)->migrate(migrations); !status) return tl::unexpected(status.error());
  return std::unique_ptr<ConnectionPool>(
      new SqlitePool(std::make_unique<SqliteConnection>(std::move(*db))));
}

}  // namespace cks::hub
