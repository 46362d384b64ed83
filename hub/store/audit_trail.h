// The store's audit trail (table audit_log): what the province's staff and the admin CLI
// changed, one line each, append-only and hash-chained: a line's hash is SHA-256 over the hash
// of the line before and its own fields (auditHash), so that a line edited, removed or
// reordered in the database breaks the chain where verify() finds it. Thread-safe: concurrent
// appends take their turn on the one row of audit_head, so the chain never forks.
#pragma once

#include <cstdint>
#include <optional>

#include "core/result.h"
#include "hub/store/connection.h"
#include "hub/store/records.h"

namespace cks::hub {

// Lowercase hex SHA-256 over `line`'s prev_hash, seq, at, actor, action, agency_code, target
// and detail, each prefixed with its length (so that no two lines' fields run into the same
// bytes).
[[nodiscard]] std::string auditHash(const AuditRecord& line);

// How the chain checked: the lines it has, and the first one that does not verify (a line
// whose hash or link is wrong, the line after a removed one, or one past the last line when
// the last ones were removed).
struct AuditChainCheck {
  std::int64_t lines = 0;
  std::optional<std::int64_t> first_broken;
};

class AuditTrail {
 public:
  explicit AuditTrail(ConnectionPool& pool) : pool_(pool) {}

  // Appends `line` (its at, actor, action, agency_code, target, detail) after the last one, in
  // one transaction; the line as stored, with its seq and hashes.
  [[nodiscard]] Result<AuditRecord> append(const AuditRecord& line);
  // One page of the lines `query` names, newest first.
  [[nodiscard]] Result<Page<AuditRecord>> lines(const AuditQuery& query);
  // Walks the whole chain from the first line.
  [[nodiscard]] Result<AuditChainCheck> verify();

 private:
  ConnectionPool& pool_;
};

}  // namespace cks::hub
