// The transactional outbox: every inventory change the province must know is appended here in
// the same SQLite transaction as the change itself, with a per-lane sequence number and a UUID,
// and stays until the hub acknowledges it (docs/sync-protocol.md). Also the agent's small sync
// state (feed cursor, hub clock offset, enrolment). Thread-safe through the Inventory's lock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace cks::store {

class Inventory;

struct OutboxRow {
  std::string lane;  // "urgent" | "normal"
  std::int64_t seq = 0;
  std::string uuid;
  std::string kind;
  TimePoint at{};
  std::string body;  // JSON text
};

// Appends one entry inside the caller's open transaction; `seq` continues the lane's sequence
// (never reused, even after acknowledged rows are dropped).
[[nodiscard]] Status appendOutbox(Database& db, const std::string& lane, const std::string& kind,
                                  TimePoint at, const std::string& body_json);

// The schema the outbox and sync state need (appended to the store's migrations).
[[nodiscard]] std::string_view outboxMigration();

class Outbox {
 public:
  explicit Outbox(Inventory& inventory) : inventory_(inventory) {}

  // Up to `limit` entries of `lane` in ascending seq.
  [[nodiscard]] Result<std::vector<OutboxRow>> pending(const std::string& lane, int limit);
  // How many entries wait, all lanes together.
  [[nodiscard]] Result<std::int64_t> backlog();
  // Drops the entries of `lane` with seq ≤ `acked`.
  [[nodiscard]] Status acknowledge(const std::string& lane, std::int64_t acked);
  // A new hub identity (enrolment) starts every lane's sequence again at 1: the entries still
  // waiting are renumbered 1, 2, 3 … in their order.
  [[nodiscard]] Status restartSequences();
  // A new enrolment in one transaction: `state` (key, value) set and the sequences restarted,
  // so a full disk or a crash leaves the previous enrolment whole, never half of each.
  [[nodiscard]] Status recordEnrolment(
      const std::vector<std::pair<std::string, std::string>>& state);
  // Queues the whole inventory as one `snapshot` entry (anti-entropy).
  [[nodiscard]] Status queueSnapshot(TimePoint at);

  [[nodiscard]] Result<std::optional<std::string>> state(const std::string& key);
  [[nodiscard]] Status setState(const std::string& key, const std::string& value);

 private:
  Inventory& inventory_;
};

// Entry bodies, shared by the scan (inventory.cc) and the snapshot.
[[nodiscard]] std::string tokenEventBody(const std::string& serial, const std::string& manufacturer,
                                         const std::string& label, const std::string& model,
                                         const std::string& pin_state);
[[nodiscard]] std::string certificateEventBody(const std::string& token_body_json,
                                               const std::string& fingerprint,
                                               const std::vector<std::uint8_t>& der,
                                               const std::string& previous_fingerprint);

}  // namespace cks::store
