// The agency's lifecycle requests (docs/requests.md) as the agent keeps them: each request with
// its history of states, written in the same transaction as the outbox entry that carries it
// to the province, so a request is never stored without being sent nor sent without being
// stored. The conflict rules run inside that transaction too. Thread-safe through the
// Inventory's lock (requests live in the same file).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/request.h"
#include "core/result.h"
#include "core/working_days.h"

namespace cks::store {

class Inventory;

// One step of a request: the state it entered, when, who made it ("agency" for the agent's own
// steps, the province's user for the others) and why.
struct RequestStep {
  RequestState state{};
  TimePoint at{};
  std::string by;
  std::string reason;
};

struct StoredRequest {
  Request request;
  std::vector<std::string> supersedes;  // a revocation: the ids it replaced when filed
  std::optional<Date> due_date;         // set by the province once it received the request
  std::string reference;                // the province's or the provider's reference
  TimePoint updated_at{};
  std::vector<RequestStep> history;  // oldest first; filled by find() only
  // The province's merger whose batch filed it: sent in the request_filed entry only, the
  // agent keeps no column of it (the province follows the batches, docs/requests.md).
  std::string merger_id;
};

// What filing did: refused by the conflict rules (nothing stored), or stored together with the
// ids of the requests it superseded and cancelled.
struct Filing {
  std::optional<Refusal> refusal;
  StoredRequest filed;
  std::vector<std::string> cancelled;
};

// What filing a batch did: either every request filed, or none and why each refused one was
// (its index in the batch and the reason).
struct BatchFiling {
  std::vector<std::pair<size_t, Refusal>> refusals;
  std::vector<Filing> filed;
};

// A transition the province made, from the pull feed (kind `request_status`).
struct RequestStatusUpdate {
  std::string request_id;
  RequestState state{};
  TimePoint at{};
  std::string by;
  std::string reason;
  std::string reference;
  std::optional<Date> due_date;
  std::optional<HandledBy> handled_by;
};

enum class StatusOutcome { Applied, AlreadyPassed, UnknownRequest };

// The schema (appended to the store's migrations).
[[nodiscard]] std::string_view requestsMigration();

class Requests {
 public:
  explicit Requests(Inventory& inventory) : inventory_(inventory) {}

  // Files `request` (validated by the caller): checks the conflict rules against the stored
  // requests, then stores it as `queued` with a new UUID v4 id (unless it has one), its first
  // history step and its `request_filed` outbox entry (lane urgent for revocation and recovery,
  // normal otherwise), and cancels the requests it supersedes that the province has not
  // received (each with its `request_cancelled` entry) — all in one transaction.
  [[nodiscard]] Result<Filing> file(Request request, TimePoint now);

  // Files every request of `requests` as file() does, in one transaction, each checked against
  // the stored requests and those before it in the batch — or none of them when any is refused
  // (a merger's reviewed batch goes to the province whole). `merger_id`, the announced
  // merger's id (empty for a merger planned by hand), goes with each request to the province.
  [[nodiscard]] Result<BatchFiling> fileBatch(std::vector<Request> requests, TimePoint now,
                                              const std::string& merger_id = "");

  // Cancels request `id` (state cancelled, history, `request_cancelled` outbox entry) when
  // checkTransition allows it. nullopt when there is no such request; the refusal when the
  // state machine forbids it (received by the province, already finished).
  struct Cancellation {
    std::optional<Refusal> refusal;
    StoredRequest request;
  };
  [[nodiscard]] Result<std::optional<Cancellation>> cancel(const std::string& id,
                                                           const std::string& reason,
                                                           TimePoint now);

  // Every request, newest first (without history).
  [[nodiscard]] Result<std::vector<StoredRequest>> list();
  // The request whose id is `id` or starts with `id` (at least 8 characters, unique), with its
  // history; nullopt when none or several match.
  [[nodiscard]] Result<std::optional<StoredRequest>> find(const std::string& id);

  // Completed renewals of certificate `fingerprint` (RequestFacts::renewals_done).
  [[nodiscard]] Result<int> completedRenewals(const std::string& fingerprint);

  // After the outbox acknowledged entries: every queued request whose `request_filed` entry is
  // gone has left the agency and becomes `submitted`. Returns how many changed.
  [[nodiscard]] Result<int> markSubmitted(TimePoint now);

  // Applies one transition from the province, idempotently: a state the request already
  // reached or passed, or any change to a finished request, is ignored. A rejection or a
  // completion raises its alert (request_rejected with the reason, request_completed) in the
  // same transaction.
  [[nodiscard]] Result<StatusOutcome> applyStatus(const RequestStatusUpdate& update, TimePoint now);

 private:
  Inventory& inventory_;
};

// The outbox body of a `request_filed` entry (docs/requests.md, "Sync of requests").
[[nodiscard]] std::string requestFiledBody(const StoredRequest& stored);

}  // namespace cks::store
