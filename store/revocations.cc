#include "store/revocations.h"

#include "core/time_format.h"
#include "store/inventory.h"

namespace cks::store {
namespace {

void bindTime(Statement& stmt, int index, const std::optional<TimePoint>& at) {
  if (at) {
    stmt.bind(index, formatIsoUtc(*at));
  } else {
    stmt.bindNull(index);
  }
}

std::optional<TimePoint> timeAt(const Statement& stmt, int column) {
  if (stmt.isNull(column)) return std::nullopt;
  return parseIsoUtc(stmt.text(column));
}

}  // namespace

std::string_view revocationsMigration() {
  return R"sql(
CREATE TABLE certificate_revocation (
  fingerprint TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  as_of TEXT,
  next_update TEXT,
  revoked_at TEXT,
  reason TEXT,
  received_at TEXT NOT NULL
);
)sql";
}

Status Revocations::record(const std::string& fingerprint, const RevocationStatus& status,
                           const std::optional<TimePoint>& next_update, TimePoint received_at) {
  return inventory_.withDatabase([&](Database& db) -> Status {
    auto stmt = db.prepare(
        "INSERT INTO certificate_revocation (fingerprint, status, as_of, next_update, revoked_at, "
        "reason, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (fingerprint) DO "
        "UPDATE SET status = ?2, as_of = ?3, next_update = ?4, revoked_at = ?5, reason = ?6, "
        "received_at = ?7");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, fingerprint).bind(2, toString(status.state));
    bindTime(*stmt, 3, status.as_of);
    bindTime(*stmt, 4, next_update);
    bindTime(*stmt, 5, status.revoked_at);
    if (status.reason) {
      stmt->bind(6, toString(*status.reason));
    } else {
      stmt->bindNull(6);
    }
    stmt->bind(7, formatIsoUtc(received_at));
    return stmt->run();
  });
}

Result<std::map<std::string, ToldRevocation>> Revocations::told() {
  return inventory_.withDatabase(
      [&](Database& db) -> Result<std::map<std::string, ToldRevocation>> {
        auto stmt = db.prepare(
            "SELECT fingerprint, status, as_of, next_update, revoked_at, reason, received_at FROM "
            "certificate_revocation");
        if (!stmt) return tl::unexpected(stmt.error());
        std::map<std::string, ToldRevocation> told;
        for (;;) {
          auto row = stmt->step();
          if (!row) return tl::unexpected(row.error());
          if (!*row) break;
          ToldRevocation kept;
          if (!parseRevocationState(stmt->text(1), kept.status.state)) continue;
          kept.status.as_of = timeAt(*stmt, 2);
          kept.next_update = timeAt(*stmt, 3);
          kept.status.revoked_at = timeAt(*stmt, 4);
          if (CrlReason reason{}; !stmt->isNull(5) && parseCrlReason(stmt->text(5), reason)) {
            kept.status.reason = reason;
          }
          kept.received_at = timeAt(*stmt, 6).value_or(TimePoint{});
          told.emplace(stmt->text(0), kept);
        }
        return told;
      });
}

RevocationStatus Revocations::statusOf(const std::map<std::string, ToldRevocation>& told,
                                       const std::string& fingerprint, TimePoint now) {
  const auto found = told.find(fingerprint);
  return found == told.end() ? RevocationStatus{} : found->second.at(now);
}

}  // namespace cks::store
