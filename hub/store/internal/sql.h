// What the store's roles share over a StoreConnection: the transaction and read loops (with
// their retries), the column encodings (times, flags, lists; maps: sync/protocol/json_text.h), the
// feed queue and the request journal. Internal to hub/store (scripts/check_deps.sh).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/request.h"
#include "core/result.h"
#include "hub/store/connection.h"

namespace cks::hub::sql {

// A transaction the database aborted for a concurrent one is run again, this many times in all.
inline constexpr int kAttempts = 3;

// Who the hub names as the one who received a request.
inline constexpr char kReceivedBy[] = "cks-hub";
// Who the journal names for a revocation request the CA's revocation list showed done.
inline constexpr char kRevocationListBy[] = "revocation-list";
// Who the journal names for a cancellation the agency made.
inline constexpr char kCancelledBy[] = "agent";

// A stored time (formatIsoUtc text); the epoch for text that is not one.
[[nodiscard]] TimePoint timeOf(const std::string& text);
[[nodiscard]] inline std::int64_t flag(bool value) { return value ? 1 : 0; }
// NULL for "".
[[nodiscard]] SqlValue textOrNull(const std::string& text);
// A time column that may be NULL, and back.
[[nodiscard]] std::optional<TimePoint> optionalTime(const SqlRow& row, int column);
[[nodiscard]] SqlValue timeOrNull(const std::optional<TimePoint>& at);

// A list of strings as its column holds it (a JSON array), and back.
[[nodiscard]] std::string listJson(const std::vector<std::string>& items);
[[nodiscard]] std::vector<std::string> listOf(const std::string& json);

// The single integer a statement yields (the id of INSERT … RETURNING id).
[[nodiscard]] Result<std::int64_t> returnedId(StoreConnection& c, std::string_view sql,
                                              const std::vector<SqlValue>& params);

// Appends an item to the agent's feed, numbered after its last one.
[[nodiscard]] Status queueFeedItem(StoreConnection& c, const std::string& agent_id,
                                   const std::string& kind, const std::string& body,
                                   const std::string& at);

// Queues the item for every agent (revoked ones too) of each agency of `agency_codes`; how
// many agents.
[[nodiscard]] Result<int> tellAgencies(StoreConnection& c,
                                       const std::vector<std::string>& agency_codes,
                                       const std::string& kind, const std::string& body,
                                       const std::string& at);

// The body of an "agency" feed item (sync/protocol/feed_items.h).
[[nodiscard]] std::string agencyBody(const std::string& code, const std::string& name);

// The body of a request_status feed item (docs/requests.md, "Sync of requests"); `at` and
// `due_date` are the store's own text (formatIsoUtc, formatDate; "" for no due date).
[[nodiscard]] std::string requestStatusBody(const std::string& id, RequestState state,
                                            const std::string& at, const std::string& by,
                                            const std::string& reason, const std::string& reference,
                                            const std::string& due_date, HandledBy handled_by);

// One line of a request's journal.
[[nodiscard]] Status journal(StoreConnection& c, const std::string& agency_code,
                             const std::string& id, const std::string& event, const std::string& at,
                             const std::string& by, const std::string& reason,
                             const std::string& reference);

// Runs `work` in one transaction on a pooled connection and commits what it returns. A
// transaction the database aborted for a concurrent one (connection.h: Transient) is run again
// from the start, and so is one that could not even begin on a pooled connection the server had
// dropped; anything else is rolled back and returned.
template <typename Work>
auto transaction(ConnectionPool& pool, Work&& work)
    -> decltype(work(std::declval<StoreConnection&>())) {
  for (int attempt = 1;; ++attempt) {
    auto lease = pool.acquire();
    if (!lease) return tl::unexpected(lease.error());
    StoreConnection& c = **lease;
    if (auto began = c.begin(); !began) {
      if (c.lastFailure() == SqlFailure::ConnectionLost && attempt < kAttempts) continue;
      return tl::unexpected(began.error());
    }
    auto result = work(c);
    if (result) {
      auto committed = c.commit();
      if (committed) return result;
      result = tl::unexpected(committed.error());
    }
    const SqlFailure failure = c.lastFailure();
    c.rollback();
    if (failure == SqlFailure::Transient && attempt < kAttempts) continue;
    return result;
  }
}

// Runs `work`, which only reads, on a pooled connection; again on a fresh one when the pooled
// one turns out to be lost.
template <typename Work>
auto read(ConnectionPool& pool, Work&& work) -> decltype(work(std::declval<StoreConnection&>())) {
  for (int attempt = 1;; ++attempt) {
    auto lease = pool.acquire();
    if (!lease) return tl::unexpected(lease.error());
    auto result = work(**lease);
    if (!result && (*lease)->lastFailure() == SqlFailure::ConnectionLost && attempt < kAttempts) {
      continue;
    }
    return result;
  }
}

}  // namespace cks::hub::sql
