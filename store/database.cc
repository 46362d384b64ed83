#include "store/database.h"

#include <sqlite3.h>

namespace cks::store {

namespace {

// Gives a statement back to its cache slot, or finalizes one that owns its handle.
void release(sqlite3_stmt* stmt, bool* in_use) {
  if (stmt == nullptr) return;
  if (in_use == nullptr) {
    sqlite3_finalize(stmt);
    return;
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  *in_use = false;
}

// The kind of an SQLite failure: a busy or locked file, a full or failing disk, a file that
// cannot be opened are "not now" (Unavailable); a refused constraint is a Conflict.
ErrorCode kindOf(int rc) {
  switch (rc & 0xff) {  // the primary code of an extended one
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      return ErrorCode::Unavailable;
    case SQLITE_CONSTRAINT:
      return ErrorCode::Conflict;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::DataLoss;
    default:
      return ErrorCode::Internal;
  }
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : stmt_(other.stmt_), where_(other.where_), in_use_(other.in_use_) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release(stmt_, in_use_);
    stmt_ = other.stmt_;
    where_ = other.where_;
    in_use_ = other.in_use_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { release(stmt_, in_use_); }

// SQLite binds NULL for a null pointer whatever the length: an empty view or span (an empty
// certificate object on a token has no bytes at all) is bound as an empty value instead, or a NOT
// NULL column refuses the whole scan.
Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data() != nullptr ? text.data() : "", int(text.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t number) {
  sqlite3_bind_int64(stmt_, index, number);
  return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
  if (blob.data() == nullptr) {
    sqlite3_bind_zeroblob(stmt_, index, 0);
  } else {
    sqlite3_bind_blob(stmt_, index, blob.data(), int(blob.size()), SQLITE_TRANSIENT);
  }
  return *this;
}

Statement& Statement::bindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return fail(kindOf(rc), "store: ", *where_, ": ", sqlite3_errmsg(sqlite3_db_handle(stmt_)));
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) {
      reset();
      return tl::unexpected(row.error());
    }
    if (!*row) break;
  }
  reset();
  return ok();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  return data ? std::string(reinterpret_cast<const char*>(data),
                            size_t(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::vector<std::uint8_t> Statement::blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  return data ? std::vector<std::uint8_t>(data, data + sqlite3_column_bytes(stmt_, column))
              : std::vector<std::uint8_t>();
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, Check check) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return fail(kindOf(rc), "store: open ", path, ": ", why);
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  sqlite3_busy_timeout(raw, 5000);
  // An agent store is small; WAL lets the local API read while a scan writes, and NORMAL
  // synchronous is durable across process crashes (the loss window is an OS crash only).
  if (auto status = db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                             "PRAGMA foreign_keys=ON;");
      !status) {
    return tl::unexpected(status.error());
  }
  auto integrity =
      db->runCheck(check == Check::Full ? "PRAGMA integrity_check(5)" : "PRAGMA quick_check(5)");
  if (!integrity) return tl::unexpected(integrity.error());
  if (*integrity != "ok") {
    return fail(ErrorCode::DataLoss, "store: ", path, ": integrity check failed: ", *integrity,
                " (restore the file from a backup or move it away to start a new store)");
  }
  return db;
}

Database::~Database() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Error Database::error(std::string_view what) const {
  return Error{"store: " + path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_),
               kindOf(sqlite3_extended_errcode(db_))};
}

Status Database::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string statement(sql);
  if (const int rc = sqlite3_exec(db_, statement.c_str(), nullptr, nullptr, &message);
      rc != SQLITE_OK) {
    std::string why = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return fail(kindOf(rc), "store: ", path_, ": ", why);
  }
  return ok();
}

Result<Statement> Database::prepare(std::string_view sql) {
  auto [slot, added] = cache_.try_emplace(std::string(sql));
  CachedStatement& cached = slot->second;
  if (!added && cached.stmt != nullptr && !cached.in_use) {
    cached.in_use = true;
    return Statement(cached.stmt, &path_, &cached.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    if (added) cache_.erase(slot);
    return tl::unexpected(error("prepare"));
  }
  if (cached.stmt == nullptr) {
    cached.stmt = stmt;
    cached.in_use = true;
    return Statement(stmt, &path_, &cached.in_use);
  }
  return Statement(stmt, &path_, nullptr);  // the cached one is busy: this one is private
}

std::int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Result<std::string> Database::integrityCheck() { return runCheck("PRAGMA integrity_check(5)"); }

Result<std::string> Database::runCheck(std::string_view pragma) {
  auto stmt = prepare(pragma);
  if (!stmt) return tl::unexpected(stmt.error());
  std::string result;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    if (!result.empty()) result += "; ";
    result += stmt->text(0);
  }
  return result;
}

Status Database::migrate(const std::vector<std::string_view>& migrations) {
  auto version_stmt = prepare("PRAGMA user_version");
  if (!version_stmt) return tl::unexpected(version_stmt.error());
  auto row = version_stmt->step();
  if (!row) return tl::unexpected(row.error());
  const auto version = size_t(version_stmt->integer(0));
  if (version > migrations.size()) {
    return fail(ErrorCode::FailedPrecondition, "store: ", path_, ": schema version ",
                std::to_string(version), " is newer than this program knows (",
                std::to_string(migrations.size()), "); install the newer cks version");
  }
  for (size_t i = version; i < migrations.size(); ++i) {
    auto tx = Transaction::begin(*this);
    if (!tx) return tl::unexpected(tx.error());
    if (auto status = exec(migrations[i]); !status) {
      return fail(status.error().code, "store: ", path_, ": migration ", std::to_string(i + 1),
                  ": ", status.error().message);
    }
    if (auto status = exec("PRAGMA user_version=" + std::to_string(i + 1)); !status) return status;
    if (auto status = tx->commit(); !status) return status;
  }
  return ok();
}

Result<Transaction> Transaction::begin(Database& db) {
  if (auto status = db.exec("BEGIN IMMEDIATE"); !status) return tl::unexpected(status.error());
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  auto status = db_->exec("COMMIT");
  if (status) db_ = nullptr;
  return status;
}

}  // namespace cks::store
