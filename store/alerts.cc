#include "store/alerts.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "core/crypto.h"
#include "core/time_format.h"
#include "store/inventory.h"
#include "store/outbox.h"
#include "sync/protocol/alert_entry.h"
#include "sync/protocol/json_text.h"

namespace cks::store {
namespace {

// threshold_days is stored as -1 when the kind has none, so that (kind, subject, threshold)
// compares with = in SQL.
constexpr int kNoThreshold = -1;
constexpr const char* kColumns =
    "id, uuid, kind, severity, state, fingerprint, token_serial, module, threshold, params, "
    "raised_at, changed_at, snoozed_until, resolution";

TimePoint timeOf(const std::string& text) { return parseIsoUtc(text).value_or(TimePoint{}); }

// A row whose columns from `first` on are kColumns; a snooze that has ended reads as open.
AlertRecord readRecord(const Statement& row, TimePoint now, int first = 0,
                       bool with_params = true) {
  AlertRecord record;
  const auto integer = [&](int column) { return row.integer(first + column); };
  const auto text = [&](int column) { return row.text(first + column); };
  record.id = integer(0);
  record.uuid = text(1);
  (void)parseAlertKind(text(2), record.kind);
  (void)parseSeverity(text(3), record.severity);
  (void)parseAlertState(text(4), record.state);
  record.fingerprint = text(5);
  record.token_serial = text(6);
  record.module = text(7);
  if (integer(8) != kNoThreshold) record.threshold_days = int(integer(8));
  if (with_params) record.params = sync::stringMapOf(text(9));
  record.raised_at = timeOf(text(10));
  record.changed_at = timeOf(text(11));
  if (!row.isNull(first + 12)) record.snoozed_until = timeOf(text(12));
  record.resolution = text(13);
  record.state = alertStateAt(record.state, record.snoozed_until, now);
  return record;
}

// The outbox body of an alert entry (docs/alerts.md, "Sync").
std::string alertBody(const AlertRecord& alert) {
  const auto optional = [](const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
  };
  sync::AlertChange change;
  change.uuid = alert.uuid;
  change.kind = alert.kind;
  change.severity = alert.severity;
  change.state = alert.state;
  change.fingerprint = optional(alert.fingerprint);
  change.token_serial = optional(alert.token_serial);
  change.module = optional(alert.module);
  change.threshold_days = alert.threshold_days;
  change.raised_at = alert.raised_at;
  change.changed_at = alert.changed_at;
  change.snoozed_until = alert.snoozed_until;
  change.resolution = optional(alert.resolution);
  change.params = alert.params;
  return sync::encodeBody(change);
}

// The writes of one change: the row, its event and its outbox entry (same transaction).
class AlertWriter {
 public:
  AlertWriter(Database& db, TimePoint now) : db_(db), now_(now) {}

  Result<AlertRecord> raise(const AlertCondition& condition) {
    AlertRecord alert;
    alert.uuid = newUuidV4();
    alert.kind = condition.kind;
    alert.severity = alertSeverity(condition.kind, condition.threshold_days);
    alert.state = AlertState::Open;
    alert.fingerprint = condition.fingerprint;
    alert.token_serial = condition.token_serial;
    alert.module = condition.module;
    alert.threshold_days = condition.threshold_days;
    alert.params = condition.params;
    alert.raised_at = alert.changed_at = now_;
    auto insert = db_.prepare(
        "INSERT INTO alerts (uuid, kind, subject, threshold, severity, state, fingerprint, "
        "token_serial, module, params, raised_at, changed_at, resolution) "
        "VALUES (?,?,?,?,?,'open',?,?,?,?,?,?,'')");
    if (!insert) return tl::unexpected(insert.error());
    insert->bind(1, alert.uuid)
        .bind(2, toString(alert.kind))
        .bind(3, condition.subject())
        .bind(4, std::int64_t(condition.threshold_days.value_or(kNoThreshold)))
        .bind(5, toString(alert.severity))
        .bind(6, alert.fingerprint)
        .bind(7, alert.token_serial)
        .bind(8, alert.module)
        .bind(9, sync::stringMapJson(alert.params))
        .bind(10, formatIsoUtc(now_))
        .bind(11, formatIsoUtc(now_));
    CKS_TRY(insert->run());
    alert.id = db_.lastInsertId();
    CKS_TRY(record(alert, "alert_raised"));
    return alert;
  }

  // Sets the state of `alert` (read just before) and records the change.
  Result<AlertRecord> change(AlertRecord alert, AlertState state, const std::string& resolution,
                             std::optional<TimePoint> snoozed_until) {
    alert.state = state;
    alert.resolution = resolution;
    alert.snoozed_until = snoozed_until;
    alert.changed_at = now_;
    auto update = db_.prepare(
        "UPDATE alerts SET state = ?, resolution = ?, snoozed_until = ?, changed_at = ? "
        "WHERE id = ?");
    if (!update) return tl::unexpected(update.error());
    update->bind(1, toString(state)).bind(2, resolution);
    if (snoozed_until) {
      update->bind(3, formatIsoUtc(*snoozed_until));
    } else {
      update->bindNull(3);
    }
    update->bind(4, formatIsoUtc(now_)).bind(5, alert.id);
    CKS_TRY(update->run());
    CKS_TRY(record(alert, "alert_changed"));
    return alert;
  }

  // Gives `alert` (read just before, still open) the values of the condition that holds now.
  Result<AlertRecord> restate(AlertRecord alert, std::map<std::string, std::string> params) {
    alert.params = std::move(params);
    alert.changed_at = now_;
    auto update = db_.prepare("UPDATE alerts SET params = ?, changed_at = ? WHERE id = ?");
    if (!update) return tl::unexpected(update.error());
    update->bind(1, sync::stringMapJson(alert.params))
        .bind(2, formatIsoUtc(now_))
        .bind(3, alert.id);
    CKS_TRY(update->run());
    CKS_TRY(record(alert, "alert_changed"));
    return alert;
  }

 private:
  Status record(const AlertRecord& alert, const std::string& type) {
    auto event = db_.prepare("INSERT INTO alert_events (alert_id, type, at) VALUES (?,?,?)");
    if (!event) return tl::unexpected(event.error());
    event->bind(1, alert.id).bind(2, type).bind(3, formatIsoUtc(now_));
    CKS_TRY(event->run());
    return appendOutbox(db_, "normal", type, now_, alertBody(alert));
  }

  Database& db_;
  TimePoint now_;
};

// Alerts matching `where`; without their params when `with_params` is false (reconcile reads
// every open alert and needs the values only of the few it changes).
Result<std::vector<AlertRecord>> query(Database& db, const std::string& where, TimePoint now,
                                       std::optional<std::string> argument = std::nullopt,
                                       bool with_params = true) {
  auto stmt = db.prepare(std::string("SELECT ") + kColumns + " FROM alerts " + where);
  if (!stmt) return tl::unexpected(stmt.error());
  if (argument) stmt->bind(1, *argument);
  std::vector<AlertRecord> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(readRecord(*stmt, now, 0, with_params));
  }
  return out;
}

// The kinds whose alerts about one certificate replace each other as time passes.
int family(AlertKind kind) {
  switch (kind) {
    case AlertKind::CertificateExpiring:
    case AlertKind::CertificateExpired:
      return 1;
    case AlertKind::RenewalDeadline:
      return 2;
    default:
      return 0;
  }
}

bool severer(const AlertRecord& a, const AlertRecord& b) {
  if (a.severity != b.severity) return a.severity > b.severity;
  if (a.raised_at != b.raised_at) return a.raised_at > b.raised_at;
  return a.id > b.id;
}

}  // namespace

std::string_view alertsMigration() {
  return R"sql(
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  threshold INTEGER NOT NULL,
  severity TEXT NOT NULL,
  state TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  token_serial TEXT NOT NULL,
  module TEXT NOT NULL,
  params TEXT NOT NULL,
  raised_at TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  snoozed_until TEXT,
  resolution TEXT NOT NULL
);
CREATE INDEX alerts_identity ON alerts (kind, subject, threshold);
CREATE INDEX alerts_unresolved ON alerts (state) WHERE state <> 'resolved';
CREATE TABLE alert_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  type TEXT NOT NULL,
  at TEXT NOT NULL
);
)sql";
}

Result<AlertChanges> Alerts::reconcile(const AlertEvaluation& evaluation, TimePoint now) {
  return inventory_.withDatabase([&](Database& db) -> Result<AlertChanges> {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    AlertChanges changes;
    AlertWriter writer(db, now);

    using Identity = std::tuple<std::string, std::string, int>;  // kind, subject, threshold
    auto identityOf = [](AlertKind kind, const std::string& subject, std::optional<int> t) {
      return Identity{std::string(toString(kind)), subject, t.value_or(kNoThreshold)};
    };
    auto subjectOf = [](const AlertRecord& alert) {
      return AlertCondition::about(alert.kind, alert.fingerprint, alert.token_serial, alert.module)
          .subject();
    };
    auto unresolved = query(db, "WHERE state <> 'resolved' ORDER BY id", now, std::nullopt, false);
    if (!unresolved) return tl::unexpected(unresolved.error());
    std::set<Identity> open;
    for (const auto& alert : *unresolved) {
      open.insert(identityOf(alert.kind, subjectOf(alert), alert.threshold_days));
    }
    std::set<Identity> holding;
    for (const auto& condition : evaluation.conditions) {
      holding.insert(identityOf(condition.kind, condition.subject(), condition.threshold_days));
    }
    // Identities raised at some time and resolved since: expiry kinds are raised once for ever.
    // Asked only for conditions without an open alert (none in the periodic case).
    std::set<Identity> ever_raised;
    {
      auto stmt =
          db.prepare("SELECT 1 FROM alerts WHERE kind = ? AND subject = ? AND threshold = ?");
      if (!stmt) return tl::unexpected(stmt.error());
      for (const auto& condition : evaluation.conditions) {
        if (!raisedOncePerThreshold(condition.kind)) continue;
        const Identity identity =
            identityOf(condition.kind, condition.subject(), condition.threshold_days);
        if (open.contains(identity)) continue;
        stmt->reset();
        stmt->bind(1, std::get<0>(identity))
            .bind(2, std::get<1>(identity))
            .bind(3, std::int64_t(std::get<2>(identity)));
        auto row = stmt->step();
        if (!row) return tl::unexpected(row.error());
        if (*row) ever_raised.insert(identity);
      }
    }
    // An open alert read without its params, whole again before it changes.
    auto resolve = [&](const AlertRecord& alert, const std::string& resolution) -> Status {
      auto whole = query(db, "WHERE id = ?", now, std::to_string(alert.id));
      if (!whole) return tl::unexpected(whole.error());
      if (whole->empty()) return fail("alert ", std::to_string(alert.id), " vanished");
      auto changed = writer.change(whole->front(), AlertState::Resolved, resolution, std::nullopt);
      if (!changed) return tl::unexpected(changed.error());
      changes.resolved.push_back(std::move(*changed));
      return ok();
    };
    // Resolve first, so that what a raise supersedes is decided on the current rows.
    auto evaluated = [&](AlertKind kind) {
      return std::find(evaluation.evaluated.begin(), evaluation.evaluated.end(), kind) !=
             evaluation.evaluated.end();
    };
    // Settled certificates by fingerprint, in evaluation order (the first naming the kind wins):
    // a lookup per open alert instead of a pass over every settled certificate.
    std::unordered_map<std::string_view, std::vector<const SettledCertificate*>>
        settled_by_fingerprint;
    for (const auto& item : evaluation.settled) {
      settled_by_fingerprint[item.fingerprint].push_back(&item);
    }
    std::vector<AlertRecord> still_open;
    for (const auto& alert : *unresolved) {
      std::string resolution;
      if (!evaluated(alert.kind)) {
        // left as it is
      } else if (raisedOncePerThreshold(alert.kind)) {
        if (const auto found = settled_by_fingerprint.find(alert.fingerprint);
            found != settled_by_fingerprint.end()) {
          for (const SettledCertificate* item : found->second) {
            if (std::find(item->kinds.begin(), item->kinds.end(), alert.kind) !=
                item->kinds.end()) {
              resolution = item->resolution;
              break;
            }
          }
        }
      } else if (!holding.contains(
                     identityOf(alert.kind, subjectOf(alert), alert.threshold_days))) {
        resolution = "cleared";
      }
      if (resolution.empty()) {
        still_open.push_back(alert);
        continue;
      }
      CKS_TRY(resolve(alert, resolution));
    }

    // An open alert whose condition now says something else (the province moved the deadline)
    // is restated, not raised again: the officer keeps one alert, with today's values.
    std::map<Identity, const AlertCondition*> holding_condition;
    for (const auto& condition : evaluation.conditions) {
      if (restatedParams(condition.kind).empty()) continue;
      holding_condition.emplace(
          identityOf(condition.kind, condition.subject(), condition.threshold_days), &condition);
    }
    // The stated values of every open alert in one statement (SQLite's json_extract), not a
    // whole row per alert each minute: only an alert whose values changed is read whole.
    std::vector<std::string> keys;
    for (const auto kind : allAlertKinds()) {
      for (const auto key : restatedParams(kind)) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.emplace_back(key);
      }
    }
    std::unordered_map<std::int64_t, std::map<std::string, std::string>> stated;
    if (!holding_condition.empty()) {
      std::string columns = "id";
      for (const auto& key : keys) {
        columns += ", coalesce(json_extract(params, '$." + key + "'), '')";
      }
      auto stmt = db.prepare("SELECT " + columns + " FROM alerts WHERE state <> 'resolved'");
      if (!stmt) return tl::unexpected(stmt.error());
      for (;;) {
        auto row = stmt->step();
        if (!row) return tl::unexpected(row.error());
        if (!*row) break;
        auto& values = stated[stmt->integer(0)];
        for (size_t i = 0; i < keys.size(); ++i) values[keys[i]] = stmt->text(int(i) + 1);
      }
    }
    const auto value = [](const std::map<std::string, std::string>& m, std::string_view key) {
      const auto it = m.find(std::string(key));
      return it == m.end() ? std::string() : it->second;
    };
    for (auto& alert : still_open) {
      const auto found =
          holding_condition.find(identityOf(alert.kind, subjectOf(alert), alert.threshold_days));
      if (found == holding_condition.end()) continue;
      const auto& params = found->second->params;
      bool same = true;
      for (const auto key : restatedParams(alert.kind)) {
        same = same && value(stated[alert.id], key) == value(params, key);
      }
      if (same) continue;
      auto whole = query(db, "WHERE id = ?", now, std::to_string(alert.id));
      if (!whole) return tl::unexpected(whole.error());
      if (whole->empty()) continue;
      auto restated = writer.restate(whole->front(), params);
      if (!restated) return tl::unexpected(restated.error());
      alert = *restated;
      changes.restated.push_back(std::move(*restated));
    }

    for (const auto& condition : evaluation.conditions) {
      const Identity identity =
          identityOf(condition.kind, condition.subject(), condition.threshold_days);
      if (open.contains(identity) || ever_raised.contains(identity)) continue;
      // A later threshold of the same certificate replaces the earlier ones.
      if (family(condition.kind) != 0) {
        for (auto it = still_open.begin(); it != still_open.end();) {
          if (family(it->kind) == family(condition.kind) &&
              it->fingerprint == condition.fingerprint) {
            CKS_TRY(resolve(*it, "superseded"));
            it = still_open.erase(it);
          } else {
            ++it;
          }
        }
      }
      auto raised = writer.raise(condition);
      if (!raised) return tl::unexpected(raised.error());
      open.insert(identity);
      changes.raised.push_back(std::move(*raised));
    }
    CKS_TRY(tx->commit());
    return changes;
  });
}

Result<std::vector<AlertRecord>> Alerts::list(bool include_resolved, TimePoint now) {
  auto alerts = inventory_.withDatabase([&](Database& db) {
    return query(db, include_resolved ? "" : "WHERE state <> 'resolved'", now);
  });
  if (!alerts) return alerts;
  std::sort(alerts->begin(), alerts->end(), severer);
  return alerts;
}

Result<std::optional<AlertRecord>> Alerts::find(std::int64_t id, TimePoint now) {
  auto found = inventory_.withDatabase(
      [&](Database& db) { return query(db, "WHERE id = ?", now, std::to_string(id)); });
  if (!found) return tl::unexpected(found.error());
  if (found->empty()) return std::optional<AlertRecord>();
  return std::optional<AlertRecord>(found->front());
}

Result<std::vector<AlertRecord>> Alerts::changedSince(TimePoint since, TimePoint now) {
  return inventory_.withDatabase([&](Database& db) {
    return query(db, "WHERE changed_at > ? ORDER BY changed_at, id", now, formatIsoUtc(since));
  });
}

namespace {

// Acknowledge or snooze: the same checks, one transaction.
Result<std::optional<AlertRecord>> setState(Inventory& inventory, std::int64_t id, AlertState state,
                                            std::optional<TimePoint> until, TimePoint now) {
  return inventory.withDatabase([&](Database& db) -> Result<std::optional<AlertRecord>> {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto found = query(db, "WHERE id = ?", now, std::to_string(id));
    if (!found) return tl::unexpected(found.error());
    if (found->empty()) return std::optional<AlertRecord>();
    if (found->front().state == AlertState::Resolved) {
      return fail(ErrorCode::FailedPrecondition, "alert ", std::to_string(id), " is resolved");
    }
    auto changed = AlertWriter(db, now).change(found->front(), state, "", until);
    if (!changed) return tl::unexpected(changed.error());
    CKS_TRY(tx->commit());
    return std::optional<AlertRecord>(std::move(*changed));
  });
}

}  // namespace

Result<std::optional<AlertRecord>> Alerts::acknowledge(std::int64_t id, TimePoint now) {
  return setState(inventory_, id, AlertState::Acknowledged, std::nullopt, now);
}

Result<std::optional<AlertRecord>> Alerts::snooze(std::int64_t id, TimePoint until, TimePoint now) {
  return setState(inventory_, id, AlertState::Snoozed, until, now);
}

Result<std::vector<AlertEvent>> Alerts::eventsAfter(std::int64_t after, int limit, TimePoint now) {
  return inventory_.withDatabase([&](Database& db) -> Result<std::vector<AlertEvent>> {
    auto stmt =
        db.prepare(std::string("SELECT e.seq, e.type, e.at, ") + kColumns +
                   " FROM alert_events e JOIN alerts a ON a.id = e.alert_id WHERE e.seq > ? "
                   "ORDER BY e.seq LIMIT ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, after).bind(2, std::int64_t(limit));
    std::vector<AlertEvent> events;
    while (true) {
      auto row = stmt->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      AlertEvent event;
      event.seq = stmt->integer(0);
      event.type = stmt->text(1);
      event.at = timeOf(stmt->text(2));
      event.alert = readRecord(*stmt, now, 3);
      events.push_back(std::move(event));
    }
    return events;
  });
}

Result<AlertRecord> raiseAlert(Database& db, const AlertCondition& condition, TimePoint now) {
  return AlertWriter(db, now).raise(condition);
}

Result<AlertRecord> Alerts::raise(const AlertCondition& condition, TimePoint now) {
  return inventory_.withDatabase([&](Database& db) -> Result<AlertRecord> {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto raised = raiseAlert(db, condition, now);
    if (!raised) return raised;
    CKS_TRY(tx->commit());
    return raised;
  });
}

Result<std::int64_t> Alerts::lastEventSeq() {
  return inventory_.withDatabase([&](Database& db) -> Result<std::int64_t> {
    auto stmt = db.prepare("SELECT IFNULL(MAX(seq), 0) FROM alert_events");
    if (!stmt) return tl::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    return stmt->integer(0);
  });
}

}  // namespace cks::store
