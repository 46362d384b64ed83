// The agent's alerts (docs/alerts.md): every alert ever raised with its state, and an event log
// (raised / changed) that the local API's event stream reads from. Reconciling the conditions
// that hold now with what was raised before happens in one transaction that also appends the
// outbox entries, so the hub learns of every alert exactly once. Thread-safe through the
// Inventory's lock (alerts live in the same file).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/alert.h"
#include "core/alert_rules.h"
#include "core/clock.h"
#include "core/result.h"

namespace cks::store {

class Database;
class Inventory;

struct AlertRecord {
  std::int64_t id = 0;
  std::string uuid;
  AlertKind kind{};
  Severity severity{};
  AlertState state{};
  std::string fingerprint;
  std::string token_serial;
  std::string module;
  std::optional<int> threshold_days;
  std::map<std::string, std::string> params;
  TimePoint raised_at{};
  TimePoint changed_at{};
  std::optional<TimePoint> snoozed_until;
  std::string resolution;  // renewed | superseded | cleared | deadline_passed | request_completed

  [[nodiscard]] AlertText text() const { return AlertText{kind, threshold_days, params}; }
};

struct AlertEvent {
  std::int64_t seq = 0;
  std::string type;  // alert_raised | alert_changed
  TimePoint at{};
  AlertRecord alert;  // its state as of now
};

// What one reconcile did.
struct AlertChanges {
  std::vector<AlertRecord> raised;
  std::vector<AlertRecord> resolved;
  std::vector<AlertRecord> restated;  // still open, with new values (core's restatedParams)
};

// The schema (appended to the store's migrations).
[[nodiscard]] std::string_view alertsMigration();

class Alerts {
 public:
  explicit Alerts(Inventory& inventory) : inventory_(inventory) {}

  // Raises what holds now and was not raised before, resolves what no longer holds (condition
  // kinds) or was settled / superseded (expiry kinds); records each change as an event and
  // queues its outbox entry, all in one transaction. Alerts of kinds not in
  // `evaluation.evaluated` are left alone (e.g. clock_offset before the first sync).
  [[nodiscard]] Result<AlertChanges> reconcile(const AlertEvaluation& evaluation, TimePoint now);

  // Open, acknowledged and snoozed alerts (all with `include_resolved`), worst first.
  [[nodiscard]] Result<std::vector<AlertRecord>> list(bool include_resolved, TimePoint now);
  [[nodiscard]] Result<std::optional<AlertRecord>> find(std::int64_t id, TimePoint now);
  // Alerts raised or changed after `since` (the e-mail digest), oldest first.
  [[nodiscard]] Result<std::vector<AlertRecord>> changedSince(TimePoint since, TimePoint now);

  // Acknowledge / snooze until `until`: the alert after the change; nullopt when there is no
  // such alert; an error for a resolved one.
  [[nodiscard]] Result<std::optional<AlertRecord>> acknowledge(std::int64_t id, TimePoint now);
  [[nodiscard]] Result<std::optional<AlertRecord>> snooze(std::int64_t id, TimePoint until,
                                                          TimePoint now);

  // Events after `after`, oldest first, at most `limit`; the newest seq (0 when none).
  [[nodiscard]] Result<std::vector<AlertEvent>> eventsAfter(std::int64_t after, int limit,
                                                            TimePoint now);
  [[nodiscard]] Result<std::int64_t> lastEventSeq();

  // Raises a one-off alert (a kind no rule evaluates, such as request_rejected) in its own
  // transaction; see raiseAlert.
  [[nodiscard]] Result<AlertRecord> raise(const AlertCondition& condition, TimePoint now);

 private:
  Inventory& inventory_;
};

// Raises one alert of `condition` inside the caller's open transaction on `db`, with its event
// and outbox entry. For the kinds the store code raises itself (request_rejected,
// request_completed): they are not in evaluateAlerts' `evaluated` list, so reconcile leaves them
// open until the officer acknowledges them.
[[nodiscard]] Result<AlertRecord> raiseAlert(Database& db, const AlertCondition& condition,
                                             TimePoint now);

}  // namespace cks::store
