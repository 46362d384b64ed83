#include "hub/store/audit_trail.h"

#include <charconv>
#include <span>
#include <string>
#include <utility>

#include "core/certificate.h"
#include "core/time_format.h"
#include "hub/store/internal/keyset.h"
#include "hub/store/internal/sql.h"

namespace cks::hub {
namespace {

using sql::timeOf;

constexpr std::string_view kAuditList = "audit";

constexpr std::string_view kColumns =
    "SELECT seq, at, actor, action, agency_code, target, detail, prev_hash, hash "
    "FROM audit_log ";

AuditRecord recordOf(const SqlRow& row) {
  return {row.integer(0), timeOf(row.text(1)), row.text(2), row.text(3), row.text(4),
          row.text(5),    row.text(6),         row.text(7), row.text(8)};
}

}  // namespace

std::string auditHash(const AuditRecord& line) {
  std::string bytes;
  for (const std::string& field :
       {line.prev_hash, std::to_string(line.seq), formatIsoUtc(line.at), line.actor, line.action,
        line.agency_code, line.target, line.detail}) {
    bytes += std::to_string(field.size());
    bytes += ':';
    bytes += field;
  }
  return sha256Hex(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Result<AuditRecord> AuditTrail::append(const AuditRecord& line) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<AuditRecord> {
    AuditRecord stored = line;
    // The number of the new line, from the head's one row: on PostgreSQL this UPDATE locks the
    // row until the transaction ends, so a concurrent append waits and then reads this line
    // as the last (SQLite's write transaction already runs one at a time).
    CKS_TRY(c.run("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq", {},
                  [&](const SqlRow& row) { stored.seq = row.integer(0); }));
    if (stored.seq == 0) return fail("store: ", c.where(), ": the audit trail has no head");
    stored.prev_hash.clear();
    CKS_TRY(c.run("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1", {},
                  [&](const SqlRow& row) { stored.prev_hash = row.text(0); }));
    stored.hash = auditHash(stored);
    CKS_TRY(c.run(
        "INSERT INTO audit_log (seq, at, actor, action, agency_code, target, detail, prev_hash, "
        "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        {stored.seq, formatIsoUtc(stored.at), stored.actor, stored.action, stored.agency_code,
         stored.target, stored.detail, stored.prev_hash, stored.hash}));
    return stored;
  });
}

Result<Page<AuditRecord>> AuditTrail::lines(const AuditQuery& query) {
  auto last = sql::decodeCursor(kAuditList, query.page.cursor, 1);
  if (!last) return tl::unexpected(last.error());
  std::optional<std::int64_t> before;
  if (!last->empty()) {
    const std::string& text = last->front();
    std::int64_t seq = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seq);
    if (error != std::errc() || end != text.data() + text.size()) {
      return fail(ErrorCode::InvalidArgument, "store: not a cursor of the audit trail");
    }
    before = seq;
  }
  const int rows = sql::pageRows(query.page);
  sql::Statement statement(std::string(kColumns) + "WHERE 1 = 1 ");
  if (!query.actor.empty()) statement += "AND actor = " + statement.bind(query.actor) + " ";
  if (!query.agency_code.empty()) {
    statement += "AND agency_code = " + statement.bind(query.agency_code) + " ";
  }
  if (!query.action.empty()) statement += "AND action = " + statement.bind(query.action) + " ";
  // The seq is an integer, unlike the text columns of keyset.h's orders: compared as one.
  if (before) statement += "AND seq < " + statement.bind(*before) + " ";
  statement += "ORDER BY seq DESC LIMIT " + statement.bind(std::int64_t{rows} + 1);
  return sql::read(pool_, [&](StoreConnection& c) -> Result<Page<AuditRecord>> {
    Page<AuditRecord> page;
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      if (page.items.size() == size_t(rows)) {
        page.next_cursor = sql::encodeCursor(kAuditList, {std::to_string(page.items.back().seq)});
        return;
      }
      page.items.push_back(recordOf(row));
    }));
    return page;
  });
}

Result<AuditChainCheck> AuditTrail::verify() {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<AuditChainCheck> {
    AuditChainCheck check;
    std::int64_t head = 0;
    CKS_TRY(c.run("SELECT seq FROM audit_head WHERE id = 1", {},
                  [&](const SqlRow& row) { head = row.integer(0); }));
    std::int64_t previous_seq = 0;
    std::string previous_hash;
    CKS_TRY(c.run(std::string(kColumns) + "ORDER BY seq", {}, [&](const SqlRow& row) {
      const AuditRecord line = recordOf(row);
      ++check.lines;
      if (!check.first_broken && (line.seq != previous_seq + 1 || line.prev_hash != previous_hash ||
                                  auditHash(line) != line.hash)) {
        check.first_broken = line.seq;
      }
      previous_seq = line.seq;
      previous_hash = line.hash;
    }));
    // Lines removed from the end leave the head past the last one.
    if (!check.first_broken && head > previous_seq) check.first_broken = previous_seq + 1;
    return check;
  });
}

}  // namespace cks::hub
