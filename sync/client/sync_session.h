// One sync with the hub, in the order docs/sync-protocol.md prescribes: pull the feed, push the
// outbox (urgent lane first) in batches, compare inventory digests, and send a snapshot if they
// differ. Storage comes in as SyncState (the agent's store implements it), the network as
// HubTransport, time as Clock; the session holds no state between runs except its options.
// A SyncSession runs one sync at a time; the caller serialises runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "sync/client/backoff.h"
#include "sync/client/hub_transport.h"
#include "sync/protocol/messages.h"

namespace cks::sync {

inline constexpr const char* kUrgentLane = "urgent";  // revocations and recoveries
inline constexpr const char* kNormalLane = "normal";  // everything else

// What a sync needs from the agent's store. Every method is a short transaction; failures are
// reported as they are and end the sync (nothing is acknowledged that the hub did not answer).
class SyncState {
 public:
  virtual ~SyncState() = default;
  // Up to `limit` entries of `lane` not yet acknowledged, in ascending seq.
  virtual Result<std::vector<OutboxEntry>> pending(const std::string& lane, int limit) = 0;
  // How many entries the outbox holds in all lanes (sent with each push).
  virtual Result<std::int64_t> backlog() = 0;
  // The hub holds `lane` up to `acked`: drop those entries. A value at or below what was
  // already acknowledged changes nothing.
  virtual Status acknowledge(const std::string& lane, std::int64_t acked) = 0;
  // The feed cursor last stored by applyFeed (0 before the first pull).
  virtual Result<std::int64_t> feedCursor() = 0;
  // Applies feed items and stores the new cursor in one transaction; applying an item twice
  // changes nothing.
  virtual Status applyFeed(const std::vector<FeedItem>& items, std::int64_t new_cursor) = 0;
  // The digest of the agent's inventory (sync/protocol/inventory_digest.h).
  virtual Result<DigestRequest> digest() = 0;
  // Puts a `snapshot` entry of the whole inventory in the outbox.
  virtual Status queueSnapshot() = 0;
  // The hub's clock said `hub_time` when the local clock said `local_time`.
  virtual Status recordHubContact(TimePoint hub_time, TimePoint local_time) = 0;
};

struct SyncReport {
  enum class Outcome {
    Ok,           // feed pulled, the hub acknowledged every entry, digests compared
    Unreachable,  // no answer (refused, unresolvable, timed out): retry with backoff
    Refused,      // the hub said no (400, 403, 409): see hub_error; 403 forbidden = re-enrol
    Failed,       // hub failure (5xx), malformed answer, TLS problem, local store error
  };
  Outcome outcome = Outcome::Ok;
  std::string message;           // one line saying where and what
  std::string hub_error;         // the hub's error code when it refused ("forbidden", ...)
  std::int64_t pushed = 0;       // entries sent in pushes the hub answered with 200
  std::int64_t acked = 0;        // of those, entries the hub acknowledged
  std::int64_t remaining = 0;    // the outbox's backlog after the run
  bool snapshot_queued = false;  // the digests differed and a snapshot was queued
  std::optional<std::chrono::seconds> clock_offset;  // hub time − local time, from the last answer
  std::size_t bytes_sent = 0;                        // HTTP payload bytes, as on the wire
  std::size_t bytes_received = 0;
  int requests = 0;
};

// "ok", "unreachable", "refused", "failed".
[[nodiscard]] const char* outcomeName(SyncReport::Outcome outcome);

struct SyncOptions {
  int batch_size = 500;  // entries per push, 1..kMaxEntriesPerPush; halved on 413
};

class SyncSession {
 public:
  explicit SyncSession(SyncOptions options = {});

  // Runs one sync: pull until the feed is drained, push "urgent" then "normal" until empty
  // (resending from acked + 1 after a sequence_gap, halving the batch after a 413), then the
  // digest; on a mismatch queues a snapshot and pushes once more. Every hub_time goes to
  // state.recordHubContact. Stops at the first failure; nothing is dropped from the outbox
  // that the hub did not acknowledge.
  [[nodiscard]] SyncReport run(HubTransport& transport, SyncState& state, const Clock& clock,
                               const std::string& agent_version);

 private:
  SyncOptions options_;
};

}  // namespace cks::sync
