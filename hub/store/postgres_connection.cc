#include "hub/store/postgres_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <mutex>

#include "hub/postgres_url.h"
#include "platform/socket.h"

namespace cks::hub {
namespace {

// Type OIDs (server/catalog/pg_type_d.h, not installed with libpq-dev).
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;

// Any constant: the key of the advisory lock the migrations run under.
constexpr long long kMigrationLock = 0x636b732d687562;  // "cks-hub"

// libpq's messages end in a newline and may span lines ("…failed: Connection refused\n\tIs
// the server running…"): one line, for a log line or cks-hub's one-line start-up error.
std::string oneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// ?N → $N; a bare ? takes the next number. Quoted text is left alone.
std::string numberedParameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int next = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out.push_back('$');
      if (i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
        while (i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9')
          out.push_back(sql[++i]);
      } else {
        out += std::to_string(++next);
      }
    } else {
      out.push_back(c);
    }
  }
  return out;
}

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

class PostgresRow final : public SqlRow {
 public:
  PostgresRow(const PGresult* result, int row) : result_(result), row_(row) {}
  std::string text(int column) const override {
    if (PQgetisnull(result_, row_, column)) return {};
    const char* value = PQgetvalue(result_, row_, column);
    if (PQftype(result_, column) != kByteaOid) {
      return std::string(value, size_t(PQgetlength(result_, row_, column)));
    }
    size_t size = 0;
    unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(value), &size);
    std::string out(reinterpret_cast<const char*>(bytes), bytes ? size : 0);
    PQfreemem(bytes);
    return out;
  }
  std::int64_t integer(int column) const override {
    std::int64_t number = 0;
    const char* value = PQgetvalue(result_, row_, column);
    std::from_chars(value, value + PQgetlength(result_, row_, column), number);
    return number;
  }
  bool isNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }

 private:
  const PGresult* result_;
  int row_;
};

class PostgresConnection final : public StoreConnection {
 public:
  // Connects; the error names `shown` (the URL without its password) and libpq's reason.
  static Result<std::unique_ptr<PostgresConnection>> connect(const std::string& url,
                                                             const std::string& shown) {
    // Defaults first: what the URL itself says is applied after them and wins.
    const char* keywords[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                              nullptr};
    const char* values[] = {"10", "cks-hub", "UTF8", url.c_str(), nullptr};
    std::unique_ptr<PostgresConnection> connection(
        new PostgresConnection(PQconnectdbParams(keywords, values, 1), shown));
    PGconn* conn = connection->conn_;
    if (conn == nullptr) return fail("store: ", shown, ": cannot connect: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
      return fail(ErrorCode::Unavailable, "store: ", shown,
                  ": cannot connect: ", oneLine(PQerrorMessage(conn)));
    }
    // A NOTICE ("relation … already exists, skipping") would go to stderr.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    const char* encoding = PQparameterStatus(conn, "server_encoding");
    if (encoding == nullptr || std::string_view(encoding) != "UTF8") {
      return fail("store: ", shown, ": the database's encoding is ",
                  encoding ? encoding : "unknown",
                  "; cks-hub needs UTF8 (CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0)");
    }
    return connection;
  }

  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Result<std::int64_t> run(std::string_view sql, const std::vector<SqlValue>& params,
                           const RowHandler& row) override {
    const std::string text = numberedParameters(sql);
    std::vector<Oid> types(params.size(), 0);
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    std::vector<std::string> numbers(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const SqlValue& value = params[i];
      switch (value.type()) {
        case SqlValue::Type::Null:
          break;  // type 0: the server infers it from where the parameter stands
        case SqlValue::Type::Integer:
          types[i] = kInt8Oid;
          numbers[i] = std::to_string(value.integer());
          values[i] = numbers[i].c_str();
          break;
        case SqlValue::Type::Text:
          types[i] = kTextOid;
          values[i] = value.bytes().c_str();
          break;
        case SqlValue::Type::Blob:
          types[i] = kByteaOid;
          values[i] = value.bytes().data();
          lengths[i] = int(value.bytes().size());
          formats[i] = 1;  // binary: the bytes as they are
          break;
      }
    }
    ResultPtr result(PQexecParams(conn_, text.c_str(), int(params.size()), types.data(),
                                  values.data(), lengths.data(), formats.data(), 0),
                     &PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return tl::unexpected(failure(result.get()));
    }
    failure_ = SqlFailure::None;
    if (row) {
      const int rows = PQntuples(result.get());
      for (int i = 0; i < rows; ++i) row(PostgresRow(result.get(), i));
    }
    std::int64_t changed = 0;
    const char* count = PQcmdTuples(result.get());
    std::from_chars(count, count + std::string_view(count).size(), changed);
    return changed;
  }

  // Several statements without parameters (a migration).
  Status exec(const std::string& sql) {
    ResultPtr result(PQexec(conn_, sql.c_str()), &PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return tl::unexpected(failure(result.get()));
    }
    failure_ = SqlFailure::None;
    return ok();
  }

  Status begin() override { return exec("BEGIN"); }

  Status commit() override {
    ResultPtr result(PQexec(conn_, "COMMIT"), &PQclear);
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      return tl::unexpected(failure(result.get()));
    }
    // COMMIT of a transaction the server had already aborted answers ROLLBACK, not an error.
    if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
      failure_ = SqlFailure::Other;
      return fail("store: ", shown_, ": the transaction was rolled back");
    }
    failure_ = SqlFailure::None;
    return ok();
  }

  void rollback() override {
    if (PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
    PQclear(PQexec(conn_, "ROLLBACK"));
  }

  SqlFailure lastFailure() const override { return failure_; }

  // PostgreSQL has no cheap whole-database check like SQLite's integrity_check (amcheck needs
  // an extension and a superuser): the database is "ok" when it answers with the schema.
  Result<std::string> integrityCheck() override {
    std::int64_t version = 0;
    auto read = run("SELECT version FROM cks_hub_schema", {},
                    [&](const SqlRow& r) { version = r.integer(0); });
    if (!read) return tl::unexpected(read.error());
    if (version < 1) return std::string("the schema version is missing");
    return std::string("ok");
  }

  const std::string& where() const override { return shown_; }

  // False when the server has closed the connection while it sat in the pool (a restart, an
  // administrator's pg_terminate_backend): libpq notices it only when it reads.
  bool usable() {
    if (PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      return false;
    }
    if (platform::socketHasInput(PQsocket(conn_))) {
      // Only a notice or the server's goodbye arrives unasked; EOF marks the connection bad.
      if (PQconsumeInput(conn_) == 0) return false;
      while (PGnotify* notify = PQnotifies(conn_)) PQfreemem(notify);
    }
    return PQstatus(conn_) == CONNECTION_OK;
  }

 private:
  PostgresConnection(PGconn* conn, std::string shown) : conn_(conn), shown_(std::move(shown)) {}

  Error failure(const PGresult* result) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view code = state ? state : "";
    if (PQstatus(conn_) != CONNECTION_OK || code.substr(0, 2) == "08" || code == "57P01" ||
        code == "57P02" || code == "57P03") {
      failure_ = SqlFailure::ConnectionLost;
    } else if (code == "40001" || code == "40P01" || code == "23505") {
      failure_ = SqlFailure::Transient;
    } else {
      failure_ = SqlFailure::Other;
    }
    const char* message = result ? PQresultErrorMessage(result) : "";
    if (message == nullptr || *message == '\0') message = PQerrorMessage(conn_);
    // A lost connection, a serialization failure or a deadlock is "not now"; a refused
    // constraint (class 23) a Conflict.
    const ErrorCode kind = code.substr(0, 2) == "23"       ? ErrorCode::Conflict
                           : failure_ != SqlFailure::Other ? ErrorCode::Unavailable
                                                           : ErrorCode::Internal;
    return Error{"store: " + shown_ + ": " + oneLine(message), kind};
  }

  PGconn* conn_;
  std::string shown_;
  SqlFailure failure_ = SqlFailure::None;
};

class PostgresPool final : public ConnectionPool {
 public:
  PostgresPool(std::string url, std::string shown)
      : url_(std::move(url)), shown_(std::move(shown)) {}

  Result<ConnectionLease> acquire() override {
    for (;;) {
      std::unique_ptr<PostgresConnection> idle;
      {
        std::lock_guard lock(mutex_);
        if (idle_.empty()) break;
        idle = std::move(idle_.back());
        idle_.pop_back();
      }
      if (idle->usable()) return ConnectionLease(*this, std::move(idle));
    }
    auto made = PostgresConnection::connect(url_, shown_);
    if (!made) return tl::unexpected(made.error());
    return ConnectionLease(*this, std::move(*made));
  }

  // The first connection, for the migrations.
  Result<std::unique_ptr<PostgresConnection>> connect() {
    return PostgresConnection::connect(url_, shown_);
  }

  void keep(std::unique_ptr<PostgresConnection> connection) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }

  SqlDialect dialect() const override { return SqlDialect::Postgresql; }

 protected:
  void release(std::unique_ptr<StoreConnection> connection) override {
    if (connection->lastFailure() == SqlFailure::ConnectionLost) return;
    connection->rollback();  // a caller that gave up mid-transaction
    keep(std::unique_ptr<PostgresConnection>(
        static_cast<PostgresConnection*>(connection.release())));
  }

 private:
  const std::string url_;
  const std::string shown_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
};

Status migrate(PostgresConnection& c, const std::vector<std::string_view>& migrations) {
  if (auto began = c.begin(); !began) return began;
  // Held until COMMIT: a second hub (or an admin command) starting now waits, then finds the
  // schema up to date.
  auto locked =
      c.run("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")", {}, {});
  if (!locked) return tl::unexpected(locked.error());
  if (auto made = c.exec("CREATE TABLE IF NOT EXISTS cks_hub_schema (version INTEGER NOT NULL)");
      !made) {
    return made;
  }
  std::optional<std::int64_t> version;
  auto read = c.run("SELECT version FROM cks_hub_schema", {},
                    [&](const SqlRow& r) { version = r.integer(0); });
  if (!read) return tl::unexpected(read.error());
  if (!version) {
    auto added = c.run("INSERT INTO cks_hub_schema (version) VALUES (0)", {}, {});
    if (!added) return tl::unexpected(added.error());
    version = 0;
  }
  if (*version > std::int64_t(migrations.size())) {
    c.rollback();
    return fail(ErrorCode::FailedPrecondition, "store: ", c.where(), ": schema version ",
                std::to_string(*version), " is newer than this program knows (",
                std::to_string(migrations.size()), "); install the newer cks version");
  }
  for (size_t i = size_t(*version); i < migrations.size(); ++i) {
    if (auto applied = c.exec(std::string(migrations[i])); !applied) {
      c.rollback();
      std::string why = applied.error().message;
      const std::string prefix = "store: " + c.where() + ": ";
      if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
      return fail(prefix, "migration ", std::to_string(i + 1), ": ", why);
    }
  }
  auto updated =
      c.run("UPDATE cks_hub_schema SET version = ?1", {std::int64_t(migrations.size())}, {});
  if (!updated) return tl::unexpected(updated.error());
  return c.commit();
}

}  // namespace

Result<std::unique_ptr<ConnectionPool>> openPostgresPool(
    const std::string& url, const std::vector<std::string_view>& migrations) {
  if (auto checked = checkPostgresUrl(url); !checked) {
    return fail("store: ", checked.error().message);
  }
  auto pool = std::make_unique<PostgresPool>(url, withoutPassword(url));
  auto first = pool->connect();
  if (!first) return tl::unexpected(first.error());
  if (auto migrated = migrate(**first, migrations); !migrated) {
    (*first)->rollback();
    return tl::unexpected(migrated.error());
  }
  pool->keep(std::move(*first));
  return std::unique_ptr<ConnectionPool>(std::move(pool));
}

Result<bool> postgresHubSchemaExists(const std::string& url) {
  if (auto checked = checkPostgresUrl(url); !checked) {
    return fail("store: ", checked.error().message);
  }
  auto connection = PostgresConnection::connect(url, withoutPassword(url));
  if (!connection) return tl::unexpected(connection.error());
  std::int64_t tables = 0;
  CKS_TRY((*connection)
              ->run("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND "
                    "tablename = 'cks_hub_schema'",
                    {}, [&](const SqlRow& row) { tables = row.integer(0); }));
  return tables > 0;
}

}  // namespace cks::hub
