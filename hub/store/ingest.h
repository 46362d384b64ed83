// The store's ingest: every pushed outbox entry, stored exactly once and projected into the
// province's view (internal/projector.h), and each agent's feed. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "hub/store/connection.h"
#include "hub/store/records.h"
#include "sync/protocol/messages.h"

namespace cks::hub {

class Ingest {
 public:
  explicit Ingest(ConnectionPool& pool) : pool_(pool) {}

  // Stores `batch` for `agent_id` in one transaction (docs/sync-protocol.md, POST /v1/push):
  // entries at or below the lane's acked are replays (same uuid: ignored; another uuid: a
  // Conflict, nothing stored); new contiguous entries are stored and projected; a first seq past
  // acked + 1 is a Gap. Records the contact, clock offset, version and backlog in every case.
  // The uuid is an entry's identity across enrolments: a new entry whose uuid the agency already
  // stored (under this or an earlier agent_id) is acknowledged, not stored nor applied again;
  // one whose uuid is another agency's entry is Refused.
  // An alert entry sets the state of the alert with its uuid in the agent's agency. A
  // request_filed entry (its receipt set by the caller) stores the request as received and queues
  // a request_status feed item, unless the agency already has a request with that id; one whose
  // id another agency holds is Refused. A request_cancelled entry cancels a request not yet
  // received (remembered if it has not arrived yet) and is journalled as cancel_refused after.
  // A report_submitted entry stores that version of the agency's yearly report (every version
  // is kept; a version already stored stays as it is); a report naming another agency is
  // Refused. A province_report_submitted entry (a province hub reporting to a national one) is
  // kept the same way, per province.
  [[nodiscard]] Result<PushOutcome> push(const std::string& agent_id, const PushBatch& batch,
                                         TimePoint received_at);

  // Number of entries stored for the agent (all lanes).
  [[nodiscard]] Result<std::int64_t> entryCount(const std::string& agent_id);
  // The length (characters) of the agent's entry bodies received at `since` or later.
  [[nodiscard]] Result<std::int64_t> bodyLengthSince(const std::string& agent_id, TimePoint since);

  // Feed items with seq > `cursor`, oldest first, at most `limit`.
  [[nodiscard]] Result<std::vector<sync::FeedItem>> feedAfter(const std::string& agent_id,
                                                              std::int64_t cursor, int limit);

 private:
  ConnectionPool& pool_;
};

}  // namespace cks::hub
