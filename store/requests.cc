#include "store/requests.h"
#include "core/crypto.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

#include "core/alert_rules.h"
#include "core/time_format.h"
#include "store/alerts.h"
#include "store/inventory.h"
#include "store/outbox.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/request_entries.h"

namespace cks::store {
namespace {

// The agent's own steps are made by the agency (the province's carry its user's name).
constexpr const char* kAgency = "agency";

constexpr const char* kColumns =
    "id, kind, state, subscriber, fingerprint, token_serial, change_case, revocation_reason, "
    "fields, handled_by, created_at, received_at, reason, supersedes, due_date, reference, "
    "updated_at";

using sync::stringify;

TimePoint timeOf(const std::string& text) { return parseIsoUtc(text).value_or(TimePoint{}); }

// Revocations and recoveries stop a signature that must stop, or restore one a commune needs:
// they overtake the inventory traffic.
std::string laneOf(RequestKind kind) {
  return kind == RequestKind::Revocation || kind == RequestKind::DeviceRecovery ? "urgent"
                                                                                : "normal";
}

StoredRequest readRow(const Statement& row) {
  StoredRequest stored;
  Request& r = stored.request;
  r.id = row.text(0);
  (void)parseRequestKind(row.text(1), r.kind);
  (void)parseRequestState(row.text(2), r.state);
  (void)parseSubscriberKind(row.text(3), r.subscriber);
  r.fingerprint_sha256 = row.text(4);
  r.token_serial = row.text(5);
  if (ChangeCase change_case{}; parseChangeCase(row.text(6), change_case)) {
    r.change_case = change_case;
  }
  if (RevocationReason reason{}; parseRevocationReason(row.text(7), reason)) {
    r.revocation_reason = reason;
  }
  try {
    const auto fields = Poco::JSON::Parser().parse(row.text(8)).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *fields) r.fields[key] = value.toString();
    const auto supersedes =
        Poco::JSON::Parser().parse(row.text(13)).extract<Poco::JSON::Array::Ptr>();
    for (const auto& id : *supersedes) stored.supersedes.push_back(id.toString());
  } catch (const Poco::Exception&) {
    // Written by this code only; an unreadable value shows empty.
  }
  (void)parseHandledBy(row.text(9), r.handled_by);
  r.created_at = timeOf(row.text(10));
  if (!row.isNull(11)) r.received_at = timeOf(row.text(11));
  r.reason = row.text(12);
  if (!row.isNull(14)) stored.due_date = parseDate(row.text(14));
  stored.reference = row.text(15);
  stored.updated_at = timeOf(row.text(16));
  return stored;
}

Result<std::vector<StoredRequest>> query(Database& db, const std::string& where,
                                         const std::vector<std::string>& arguments = {}) {
  auto stmt = db.prepare(std::string("SELECT ") + kColumns + " FROM requests " + where);
  if (!stmt) return tl::unexpected(stmt.error());
  for (size_t i = 0; i < arguments.size(); ++i) stmt->bind(int(i + 1), arguments[i]);
  std::vector<StoredRequest> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(readRow(*stmt));
  }
  return out;
}

Status addStep(Database& db, const std::string& id, RequestState state, TimePoint at,
               const std::string& by, const std::string& reason) {
  auto stmt = db.prepare(
      "INSERT INTO request_history (request_id, state, at, by, reason) VALUES (?,?,?,?,?)");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind(1, id).bind(2, toString(state)).bind(3, formatIsoUtc(at)).bind(4, by).bind(5, reason);
  return stmt->run();
}

Status setState(Database& db, const Request& request, TimePoint now) {
  auto stmt = db.prepare("UPDATE requests SET state = ?, reason = ?, updated_at = ? WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind(1, toString(request.state))
      .bind(2, request.reason)
      .bind(3, formatIsoUtc(now))
      .bind(4, request.id);
  return stmt->run();
}

// Cancels `stored` (the caller checked the transition): the row, its step and the
// `request_cancelled` entry, in the lane of its filing so the hub sees the two in order.
Status writeCancellation(Database& db, StoredRequest& stored, const std::string& reason,
                         TimePoint now) {
  Request& request = stored.request;
  if (auto refused = applyTransition(request, RequestState::Cancelled, reason)) {
    return fail(ErrorCode::FailedPrecondition, "store: request ", request.id, ": ",
                refused->text(Language::English));
  }
  stored.updated_at = now;
  CKS_TRY(setState(db, request, now));
  CKS_TRY(addStep(db, request.id, RequestState::Cancelled, now, kAgency, reason));
  return appendOutbox(db, laneOf(request.kind), "request_cancelled", now,
                      sync::encodeBody(sync::RequestCancelled{request.id, now, reason}));
}

// The order of the states along the procedure: a feed item for a state at or before the
// current one is old news.
int rank(RequestState state) {
  switch (state) {
    case RequestState::Draft:
      return 0;
    case RequestState::Queued:
      return 1;
    case RequestState::Submitted:
      return 2;
    case RequestState::Received:
      return 3;
    case RequestState::InProgress:
    case RequestState::ForwardedToProvider:
      return 4;
    case RequestState::Completed:
    case RequestState::Rejected:
    case RequestState::Cancelled:
      return 5;
  }
  return 5;
}

// Files one request inside the caller's transaction, checked against `existing` (the open
// requests, to which it is added once filed).
Result<Filing> fileOne(Database& db, Request request, std::vector<Request>& existing, TimePoint now,
                       const std::string& merger_id = "") {
  Filing filing;
  if (request.id.empty()) request.id = newUuidV4();
  request.state = RequestState::Draft;
  request.created_at = now;
  request.received_at.reset();
  request.reason.clear();
  auto conflicts = checkConflicts(request, existing);
  if (conflicts.refusal) {
    filing.refusal = std::move(conflicts.refusal);
    return filing;  // nothing written
  }
  if (auto refused = applyTransition(request, RequestState::Queued)) {
    return fail(ErrorCode::FailedPrecondition, "store: request ", request.id, ": ",
                refused->text(Language::English));
  }
  StoredRequest& stored = filing.filed;
  stored.request = request;
  stored.supersedes = conflicts.supersedes;
  stored.updated_at = now;
  stored.merger_id = merger_id;

  CKS_TRY(appendOutbox(db, laneOf(request.kind), "request_filed", now, requestFiledBody(stored)));
  auto entry = db.prepare("SELECT uuid FROM outbox WHERE rowid = ?");
  if (!entry) return tl::unexpected(entry.error());
  entry->bind(1, db.lastInsertId());
  auto found = entry->step();
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail("store: request ", request.id, ": its outbox entry vanished");
  const std::string outbox_uuid = entry->text(0);

  Poco::JSON::Object fields;
  for (const auto& [key, value] : request.fields) fields.set(key, value);
  Poco::JSON::Array supersedes;
  for (const auto& id : stored.supersedes) supersedes.add(id);
  auto insert = db.prepare(std::string("INSERT INTO requests (") + kColumns +
                           ", outbox_uuid) VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,'',?,NULL,'',?,?)");
  if (!insert) return tl::unexpected(insert.error());
  insert->bind(1, request.id)
      .bind(2, toString(request.kind))
      .bind(3, toString(request.state))
      .bind(4, toString(request.subscriber))
      .bind(5, request.fingerprint_sha256)
      .bind(6, request.token_serial)
      .bind(7, request.change_case ? std::string(toString(*request.change_case)) : std::string())
      .bind(8, request.revocation_reason ? std::string(toString(*request.revocation_reason))
                                         : std::string())
      .bind(9, stringify(fields))
      .bind(10, toString(request.handled_by))
      .bind(11, formatIsoUtc(now))
      .bind(12, stringify(supersedes))
      .bind(13, formatIsoUtc(now))
      .bind(14, outbox_uuid);
  CKS_TRY(insert->run());
  CKS_TRY(addStep(db, request.id, RequestState::Queued, now, kAgency, ""));

  // Those not yet received are cancelled here; the province flags the others itself (the
  // filing lists them all in `supersedes`).
  const std::string reason = supersededBy(request.id).text(Language::Vietnamese);
  for (const auto& id : conflicts.supersedes) {
    auto superseded = query(db, "WHERE id = ?", {id});
    if (!superseded) return tl::unexpected(superseded.error());
    if (superseded->empty()) continue;
    StoredRequest& old = superseded->front();
    if (checkTransition(old.request.state, RequestState::Cancelled)) continue;
    CKS_TRY(writeCancellation(db, old, reason, now));
    filing.cancelled.push_back(id);
    for (Request& open : existing) {
      if (open.id == id) open.state = RequestState::Cancelled;
    }
  }
  existing.push_back(filing.filed.request);
  return filing;
}

Result<std::vector<Request>> openRequests(Database& db) {
  auto open = query(db, "WHERE state NOT IN ('completed', 'rejected', 'cancelled')");
  if (!open) return tl::unexpected(open.error());
  std::vector<Request> existing;
  existing.reserve(open->size());
  for (auto& stored : *open) existing.push_back(std::move(stored.request));
  return existing;
}

}  // namespace

std::string_view requestsMigration() {
  return R"sql(
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  subscriber TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  token_serial TEXT NOT NULL,
  change_case TEXT NOT NULL,
  revocation_reason TEXT NOT NULL,
  fields TEXT NOT NULL,
  handled_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  received_at TEXT,
  reason TEXT NOT NULL,
  supersedes TEXT NOT NULL,
  due_date TEXT,
  reference TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  outbox_uuid TEXT NOT NULL
);
CREATE INDEX requests_state ON requests (state);
CREATE INDEX requests_fingerprint ON requests (fingerprint);
CREATE TABLE request_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id TEXT NOT NULL REFERENCES requests (id),
  state TEXT NOT NULL,
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX request_history_request ON request_history (request_id);
)sql";
}

std::string requestFiledBody(const StoredRequest& stored) {
  sync::RequestFiled filed;
  filed.request = stored.request;
  filed.supersedes = stored.supersedes;
  filed.merger_id = stored.merger_id;
  return sync::encodeBody(filed);
}

Result<Filing> Requests::file(Request request, TimePoint now) {
  return inventory_.withDatabase([&](Database& db) -> Result<Filing> {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto existing = openRequests(db);
    if (!existing) return tl::unexpected(existing.error());
    auto filing = fileOne(db, std::move(request), *existing, now);
    if (!filing) return tl::unexpected(filing.error());
    if (filing->refusal) return filing;  // nothing written: the transaction rolls back
    CKS_TRY(tx->commit());
    return filing;
  });
}

Result<BatchFiling> Requests::fileBatch(std::vector<Request> requests, TimePoint now,
                                        const std::string& merger_id) {
  return inventory_.withDatabase([&](Database& db) -> Result<BatchFiling> {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto existing = openRequests(db);
    if (!existing) return tl::unexpected(existing.error());
    BatchFiling batch;
    for (size_t i = 0; i < requests.size(); ++i) {
      auto filing = fileOne(db, std::move(requests[i]), *existing, now, merger_id);
      if (!filing) return tl::unexpected(filing.error());
      if (filing->refusal) {
        batch.refusals.push_back({i, *filing->refusal});
      } else {
        batch.filed.push_back(std::move(*filing));
      }
    }
    // All or nothing: a reviewed batch goes to the province whole.
    if (!batch.refusals.empty()) {
      batch.filed.clear();
      return batch;
    }
    CKS_TRY(tx->commit());
    return batch;
  });
}

Result<std::optional<Requests::Cancellation>> Requests::cancel(const std::string& id,
                                                               const std::string& reason,
                                                               TimePoint now) {
  return inventory_.withDatabase([&](Database& db) -> Result<std::optional<Cancellation>> {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto found = query(db, "WHERE id = ?", {id});
    if (!found) return tl::unexpected(found.error());
    if (found->empty()) return std::optional<Cancellation>();
    Cancellation cancellation;
    cancellation.request = std::move(found->front());
    if (auto refused =
            checkTransition(cancellation.request.request.state, RequestState::Cancelled)) {
      cancellation.refusal = std::move(refused);
      return std::optional<Cancellation>(std::move(cancellation));
    }
    CKS_TRY(writeCancellation(db, cancellation.request, reason, now));
    CKS_TRY(tx->commit());
    return std::optional<Cancellation>(std::move(cancellation));
  });
}

Result<std::vector<StoredRequest>> Requests::list() {
  return inventory_.withDatabase(
      [&](Database& db) { return query(db, "ORDER BY created_at DESC, id"); });
}

Result<std::optional<StoredRequest>> Requests::find(const std::string& id) {
  return inventory_.withDatabase([&](Database& db) -> Result<std::optional<StoredRequest>> {
    auto found = id.size() >= 8 ? query(db, "WHERE substr(id, 1, length(?1)) = ?1 LIMIT 2", {id})
                                : query(db, "WHERE id = ?", {id});
    if (!found) return tl::unexpected(found.error());
    if (found->size() != 1) return std::optional<StoredRequest>();
    StoredRequest stored = std::move(found->front());
    auto steps = db.prepare(
        "SELECT state, at, by, reason FROM request_history WHERE request_id = ? "
        "ORDER BY seq");
    if (!steps) return tl::unexpected(steps.error());
    steps->bind(1, stored.request.id);
    for (;;) {
      auto row = steps->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      RequestStep step;
      (void)parseRequestState(steps->text(0), step.state);
      step.at = timeOf(steps->text(1));
      step.by = steps->text(2);
      step.reason = steps->text(3);
      stored.history.push_back(std::move(step));
    }
    return std::optional<StoredRequest>(std::move(stored));
  });
}

Result<int> Requests::completedRenewals(const std::string& fingerprint) {
  return inventory_.withDatabase([&](Database& db) -> Result<int> {
    auto stmt = db.prepare(
        "SELECT count(*) FROM requests WHERE kind = 'renewal' AND state = 'completed' AND "
        "fingerprint = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, fingerprint);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    return int(stmt->integer(0));
  });
}

Result<int> Requests::markSubmitted(TimePoint now) {
  return inventory_.withDatabase([&](Database& db) -> Result<int> {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto sent = query(db,
                      "WHERE state = 'queued' AND outbox_uuid NOT IN (SELECT uuid FROM outbox) "
                      "ORDER BY created_at");
    if (!sent) return tl::unexpected(sent.error());
    int changed = 0;
    for (auto& stored : *sent) {
      if (applyTransition(stored.request, RequestState::Submitted)) continue;
      CKS_TRY(setState(db, stored.request, now));
      CKS_TRY(addStep(db, stored.request.id, RequestState::Submitted, now, kAgency, ""));
      ++changed;
    }
    CKS_TRY(tx->commit());
    return changed;
  });
}

Result<StatusOutcome> Requests::applyStatus(const RequestStatusUpdate& update, TimePoint now) {
  return inventory_.withDatabase([&](Database& db) -> Result<StatusOutcome> {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto found = query(db, "WHERE id = ?", {update.request_id});
    if (!found) return tl::unexpected(found.error());
    if (found->empty()) return StatusOutcome::UnknownRequest;
    Request& request = found->front().request;
    // The agency cancelled it without knowing the province had already acted on it: the hub
    // refused that cancellation, and the province's step is the request's state at both ends.
    const bool cancelled_too_late = request.state == RequestState::Cancelled &&
                                    rank(update.state) > rank(RequestState::Received);
    if (!cancelled_too_late &&
        (isTerminal(request.state) || rank(update.state) <= rank(request.state))) {
      return StatusOutcome::AlreadyPassed;
    }
    if (cancelled_too_late) request.reason.clear();
    // The province is the authority once it has the request: its state is taken as it comes,
    // even when the feed skips a step the agent did not see (submitted before the ack).
    request.state = update.state;
    if (update.state == RequestState::Rejected || update.state == RequestState::Cancelled) {
      request.reason = update.reason;
    }
    auto stmt = db.prepare(
        "UPDATE requests SET state = ?1, reason = ?2, updated_at = ?3, "
        "received_at = CASE WHEN ?4 = 'received' THEN ?5 ELSE received_at END, "
        "reference = CASE WHEN ?6 <> '' THEN ?6 ELSE reference END, "
        "due_date = COALESCE(?7, due_date), handled_by = COALESCE(?8, handled_by) WHERE id = ?9");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, toString(request.state))
        .bind(2, request.reason)
        .bind(3, formatIsoUtc(now))
        .bind(4, toString(update.state))
        .bind(5, formatIsoUtc(update.at))
        .bind(6, update.reference);
    if (update.due_date) {
      stmt->bind(7, formatDate(*update.due_date));
    } else {
      stmt->bindNull(7);
    }
    if (update.handled_by) {
      stmt->bind(8, toString(*update.handled_by));
    } else {
      stmt->bindNull(8);
    }
    stmt->bind(9, request.id);
    CKS_TRY(stmt->run());
    CKS_TRY(addStep(db, request.id, update.state, update.at, update.by, update.reason));
    if (update.state == RequestState::Rejected || update.state == RequestState::Completed) {
      auto condition = AlertCondition::about(update.state == RequestState::Rejected
                                                 ? AlertKind::RequestRejected
                                                 : AlertKind::RequestCompleted,
                                             request.fingerprint_sha256, request.token_serial);
      condition.params = {{"request_id", request.id},
                          {"request_kind", std::string(toString(request.kind))}};
      if (!update.reason.empty()) condition.params["reason"] = update.reason;
      auto raised = raiseAlert(db, condition, now);
      if (!raised) return tl::unexpected(raised.error());
    }
    CKS_TRY(tx->commit());
    return StatusOutcome::Applied;
  });
}

}  // namespace cks::store
