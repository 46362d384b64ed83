#include "hub/store/internal/projector.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "core/text.h"
#include "core/time_format.h"
#include "hub/store/internal/agency_choice.h"
#include "hub/store/internal/keyset.h"
#include "hub/store/internal/report_figures.h"
#include "hub/store/internal/sql.h"
#include "sync/protocol/json_text.h"

namespace cks::hub::sql {

Status Projector::apply(const InventoryChange& change) {
  const std::string at = formatIsoUtc(change.at);
  const std::string& kind = change.kind;
  if (change.ignored) return ok();
  if (change.alert) return alert(change.seq, *change.alert);
  if (change.request_filed) return requestFiled(*change.request_filed);
  if (change.request_cancelled) return requestCancelled(*change.request_cancelled);
  if (change.report_submitted) return reportSubmitted(*change.report_submitted);
  if (change.report_draft_saved) return reportDraftSaved(*change.report_draft_saved);
  if (change.province_report_submitted) {
    return provinceReportSubmitted(*change.province_report_submitted);
  }
  if (kind == "snapshot") return replaceWith(change);
  if (kind == "token_inserted")
    return token(change.token, at, TokenEffect::Insert).map([](auto) {});
  if (kind == "token_removed") return token(change.token, at, TokenEffect::Remove).map([](auto) {});
  if (kind == "token_pin_state_changed") {
    return token(change.token, at, TokenEffect::Touch).map([](auto) {});
  }
  // certificate_*: the agent reports these only for a token it sees in that scan.
  auto token_id = token(change.token, at, TokenEffect::Touch);
  if (!token_id) return tl::unexpected(token_id.error());
  CKS_CHECK(change.certificate.has_value());
  const ChangeCertificate& cert = *change.certificate;
  if (kind == "certificate_disappeared") {
    auto cert_id = cert.parsed ? certificate(cert, at, at, false) : certificateId(cert.fingerprint);
    if (!cert_id) return tl::unexpected(cert_id.error());
    if (*cert_id == 0) return ok();  // never seen by the hub: nothing to take off
    return link(*token_id, *cert_id, false, at, at);
  }
  if (kind == "certificate_replaced") {
    auto previous = certificateId(change.previous_fingerprint);
    if (!previous) return tl::unexpected(previous.error());
    if (*previous != 0) CKS_TRY(link(*token_id, *previous, false, at, at));
  }
  auto cert_id = certificate(cert, at, at, true);
  if (!cert_id) return tl::unexpected(cert_id.error());
  return link(*token_id, *cert_id, true, at, at);
}

// Upserts a token and returns its id. Insert: plugged in now; Remove: unplugged (only that
// changes, as in the agent's store); Touch: the fields given, presence as it was.
Result<std::int64_t> Projector::token(const ChangeToken& t, const std::string& at,
                                      TokenEffect effect) {
  // ?8: 1 plugged in, 0 unplugged, 2 as it was (a new row counts as plugged in).
  const std::int64_t presence = effect == TokenEffect::Insert   ? 1
                                : effect == TokenEffect::Remove ? 0
                                                                : 2;
  // Columns of the existing row are named with the table (PostgreSQL finds a bare name
  // ambiguous in DO UPDATE).
  auto id = returnedId(
      c_,
      "INSERT INTO hub_tokens (agent_id, agency_code, serial, manufacturer, label, model, "
      "pin_state, present, first_seen, last_seen) "
      "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), coalesce(?6, ''), coalesce(?7, 'unknown'), "
      "CASE WHEN ?8 = 0 THEN 0 ELSE 1 END, ?9, ?9) "
      "ON CONFLICT (agent_id, serial, manufacturer) DO UPDATE SET "
      "label = CASE WHEN ?8 = 0 THEN hub_tokens.label ELSE coalesce(?5, hub_tokens.label) END, "
      "model = CASE WHEN ?8 = 0 THEN hub_tokens.model ELSE coalesce(?6, hub_tokens.model) END, "
      "pin_state = CASE WHEN ?8 = 0 THEN hub_tokens.pin_state "
      "ELSE coalesce(?7, hub_tokens.pin_state) END, "
      "present = CASE ?8 WHEN 1 THEN 1 WHEN 0 THEN 0 ELSE hub_tokens.present END, "
      "last_seen = CASE WHEN ?8 = 1 THEN ?9 ELSE hub_tokens.last_seen END "
      "RETURNING id",
      {agent_id_, agency_code_, t.serial, t.manufacturer, t.label, t.model, t.pin_state, presence,
       at});
  if (id) token_ids_.insert(*id);
  tokens_changed_ = true;
  return id;
}

// 0 when the hub has no such certificate for this agent.
Result<std::int64_t> Projector::certificateId(const std::string& fingerprint) {
  fingerprints_.insert(fingerprint);
  std::int64_t id = 0;
  CKS_TRY(c_.run("SELECT id FROM hub_certificates WHERE agent_id = ?1 AND fingerprint = ?2",
                 {agent_id_, fingerprint}, [&](const SqlRow& row) { id = row.integer(0); }));
  return id;
}

// Upserts a certificate with its parsed fields; `seen` moves last_seen of a known one.
Result<std::int64_t> Projector::certificate(const ChangeCertificate& cert,
                                            const std::string& first_seen,
                                            const std::string& last_seen, bool seen) {
  CKS_CHECK(cert.parsed.has_value());
  const Certificate& c = *cert.parsed;
  fingerprints_.insert(c.fingerprint_sha256);
  return returnedId(
      c_,
      "INSERT INTO hub_certificates (agent_id, agency_code, fingerprint, der, parse_error, "
      "subject, issuer, common_name, organization, organizational_units, locality, state, "
      "country, email, serial, not_before, not_after, key_usage, kind, first_seen, last_seen) "
      "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21) "
      "ON CONFLICT (agent_id, fingerprint) DO UPDATE SET kind = ?19, "
      "last_seen = CASE WHEN ?22 = 1 AND ?21 > hub_certificates.last_seen THEN ?21 "
      "ELSE hub_certificates.last_seen END "
      "RETURNING id",
      {agent_id_,
       agency_code_,
       c.fingerprint_sha256,
       SqlValue::blob(cert.der),
       c.parse_error,
       c.subject,
       c.issuer,
       c.common_name,
       c.organization,
       join(c.organizational_units, '\n'),
       c.locality,
       c.state,
       c.country,
       c.email,
       c.serial,
       c.parsed() ? formatIsoUtc(c.not_before) : "",
       c.parsed() ? formatIsoUtc(c.not_after) : "",
       join(c.key_usage, ','),
       std::string(toString(c.kind)),
       first_seen,
       last_seen,
       flag(seen)});
}

// Sets whether the certificate is on the token; `on` also records the sighting time.
Status Projector::link(std::int64_t token_id, std::int64_t cert_id, bool on,
                       const std::string& first_seen, const std::string& last_seen) {
  return c_
      .run(
          "INSERT INTO hub_token_certificates (token_id, certificate_id, on_token, first_seen, "
          "last_seen) VALUES (?1, ?2, ?3, ?4, ?5) "
          "ON CONFLICT (token_id, certificate_id) DO UPDATE SET on_token = ?3, "
          "last_seen = CASE WHEN ?3 = 1 AND ?5 > hub_token_certificates.last_seen THEN ?5 "
          "ELSE hub_token_certificates.last_seen END",
          {token_id, cert_id, flag(on), first_seen, last_seen})
      .map([](auto) {});
}

// The alert's latest state, kept per agency and uuid. Entries of a lane arrive in seq order and
// replays never get here (Ingest::push), so the newest entry wins; the seq check also keeps
// an older state of this agent's lane from ever replacing a newer one.
Status Projector::alert(std::int64_t seq, const AlertChange& a) {
  return c_
      .run(
          "INSERT INTO hub_alerts (agency_code, uuid, agent_id, lane, seq, kind, severity, "
          "state, fingerprint, token_serial, module, threshold_days, raised_at, changed_at, "
          "snoozed_until, resolution, params) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
          "ON CONFLICT (agency_code, uuid) DO UPDATE SET agent_id = ?3, lane = ?4, seq = ?5, "
          "kind = ?6, severity = ?7, state = ?8, fingerprint = ?9, token_serial = ?10, "
          "module = ?11, threshold_days = ?12, raised_at = ?13, changed_at = ?14, "
          "snoozed_until = ?15, resolution = ?16, params = ?17 "
          "WHERE NOT (hub_alerts.agent_id = ?3 AND hub_alerts.lane = ?4 AND "
          "hub_alerts.seq >= ?5)",
          {agency_code_, a.uuid, agent_id_, lane_, seq, std::string(toString(a.kind)),
           std::string(toString(a.severity)), std::string(toString(a.state)), a.fingerprint,
           a.token_serial, a.module,
           a.threshold_days ? SqlValue(std::int64_t{*a.threshold_days}) : SqlValue(),
           formatIsoUtc(a.raised_at), formatIsoUtc(a.changed_at),
           a.snoozed_until ? SqlValue(formatIsoUtc(*a.snoozed_until)) : SqlValue(), a.resolution,
           sync::stringMapJson(a.params)})
      .map([](auto) {});
}

// A request the agency filed, stored once as received (the caller set its receipt) unless
// the agency cancelled it before it arrived; a second filing of the same id changes nothing.
Status Projector::requestFiled(const RequestFiled& filed) {
  CKS_CHECK(filed.receipt.has_value());
  const Request& r = filed.request;
  const RequestReceipt& receipt = *filed.receipt;
  std::optional<std::string> cancel_reason;
  CKS_TRY(
      c_.run("SELECT coalesce(reason, '') FROM hub_request_events WHERE agency_code = ?1 AND "
             "request_id = ?2 AND event = 'cancelled' ORDER BY id LIMIT 1",
             {agency_code_, r.id}, [&](const SqlRow& row) { cancel_reason = row.text(0); }));
  const RequestState state = cancel_reason ? RequestState::Cancelled : RequestState::Received;
  const std::string received = formatIsoUtc(receipt.received_at);
  const std::string due = cancel_reason ? "" : formatDate(receipt.due_date);
  auto stored = c_.run(
      "INSERT INTO hub_requests (id, agency_code, agent_id, kind, state, form, subscriber, "
      "fingerprint, token_serial, change_case, revocation_reason, fields, filed_handled_by, "
      "handled_by, supersedes, created_at, received_at, due_date, reason, reference, "
      "updated_at, merger_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
      "?14, ?15, ?16, ?17, ?18, ?19, NULL, ?20, ?21) ON CONFLICT (id) DO NOTHING",
      {r.id,
       agency_code_,
       agent_id_,
       std::string(toString(r.kind)),
       std::string(toString(state)),
       std::string(toString(filed.form)),
       std::string(toString(r.subscriber)),
       textOrNull(r.fingerprint_sha256),
       textOrNull(r.token_serial),
       r.change_case ? SqlValue(std::string(toString(*r.change_case))) : SqlValue(),
       r.revocation_reason ? SqlValue(std::string(toString(*r.revocation_reason))) : SqlValue(),
       sync::stringMapJson(r.fields),
       std::string(toString(r.handled_by)),
       std::string(toString(receipt.handled_by)),
       listJson(filed.supersedes),
       formatIsoUtc(r.created_at),
       cancel_reason ? SqlValue() : SqlValue(received),
       textOrNull(due),
       cancel_reason ? textOrNull(*cancel_reason) : SqlValue(),
       received,
       textOrNull(filed.merger_id)});
  if (!stored) return tl::unexpected(stored.error());
  if (*stored == 0 || cancel_reason) return ok();
  CKS_TRY(journal(c_, agency_code_, r.id, "received", received, kReceivedBy, "", ""));
  return queueFeedItem(c_, agent_id_, "request_status",
                       requestStatusBody(r.id, RequestState::Received, received, kReceivedBy, "",
                                         "", due, receipt.handled_by),
                       received);
}

// The agency withdraws a request: cancelled until someone at the province acts on it (also
// before it arrives: the filing is then stored as cancelled), otherwise only journalled. The
// agency cancels only what it does not know to be received, so a filing and its cancellation
// often arrive together: "received" is the hub's own step, and the cancellation still stands.
// Once the province has taken a step, the agency learns that step from the feed and takes it
// over its own cancellation (store/requests.cc, applyStatus).
Status Projector::requestCancelled(const RequestCancelled& cancel) {
  const std::string at = formatIsoUtc(cancel.at);
  std::optional<RequestState> state;
  CKS_TRY(c_.run("SELECT state FROM hub_requests WHERE id = ?1 AND agency_code = ?2",
                 {cancel.request_id, agency_code_}, [&](const SqlRow& row) {
                   RequestState parsed{};
                   if (parseRequestState(row.text(0), parsed)) state = parsed;
                 }));
  if (!state) {
    return journal(c_, agency_code_, cancel.request_id, "cancelled", at, kCancelledBy,
                   cancel.reason, "");
  }
  if (*state == RequestState::Cancelled) return ok();
  if (*state != RequestState::Received && checkTransition(*state, RequestState::Cancelled)) {
    return journal(c_, agency_code_, cancel.request_id, "cancel_refused", at, kCancelledBy,
                   cancel.reason, "");
  }
  CKS_TRY(
      c_.run("UPDATE hub_requests SET state = 'cancelled', reason = ?3, updated_at = ?4 "
             "WHERE id = ?1 AND agency_code = ?2",
             {cancel.request_id, agency_code_, textOrNull(cancel.reason), at}));
  return journal(c_, agency_code_, cancel.request_id, "cancelled", at, kCancelledBy, cancel.reason,
                 "");
}

// One version of the agency's yearly report, kept beside the others. An agent numbers its
// own submissions, so the same submission sent again (under another entry) is the same PC's
// same submitted_at with the same version, or with the same report where the hub renumbered
// it; it stays as first stored. A submission whose version number the agency already used (a
// PC that re-enrolled with a fresh store, a second PC of the agency) is kept as the agency's
// next version, never dropped; so is a correction submitted within the same second
// (submitted_at counts whole seconds).
Status Projector::reportSubmitted(const ReportSubmitted& submitted) {
  CKS_CHECK(submitted.report.agency_code == agency_code_);  // Ingest::push refused others
  const std::int64_t year = submitted.report.year;
  const std::string submitted_at = formatIsoUtc(submitted.submitted_at);
  bool known = false;
  bool taken = false;
  std::int64_t latest = 0;
  CKS_TRY(c_.run(
      "SELECT version, agent_id, submitted_at, body FROM hub_reports WHERE agency_code = ?1 "
      "AND year = ?2",
      {agency_code_, year}, [&](const SqlRow& row) {
        known |= row.text(1) == agent_id_ && row.text(2) == submitted_at &&
                 (row.integer(0) == submitted.version || row.text(3) == submitted.report_json);
        taken |= row.integer(0) == submitted.version;
        latest = std::max(latest, row.integer(0));
      }));
  if (known) return ok();
  const std::int64_t version = taken ? latest + 1 : std::int64_t{submitted.version};
  CKS_TRY(
      c_.run("INSERT INTO hub_reports (agency_code, year, version, agent_id, submitted_at, as_of, "
             "received_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
             {agency_code_, year, version, agent_id_, submitted_at,
              formatIsoUtc(submitted.report.as_of), received_at_, submitted.report_json}));
  // What the province's aggregate reads instead of the body (report_figures.h).
  return keepFigures(c_, version, figuresOf(submitted.report));
}

// The latest moment the agency's officer saved figures of the year's report; an older save
// arriving late (another PC of the agency, a resent entry) does not move it back.
Status Projector::reportDraftSaved(const ReportDraftSaved& saved) {
  return c_
      .run(
          "INSERT INTO hub_report_drafts (agency_code, year, saved_at, agent_id, received_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (agency_code, year) DO UPDATE SET "
          "saved_at = excluded.saved_at, agent_id = excluded.agent_id, received_at = "
          "excluded.received_at WHERE excluded.saved_at > hub_report_drafts.saved_at",
          {agency_code_, std::int64_t{saved.year}, formatIsoUtc(saved.saved_at), agent_id_,
           received_at_})
      .map([](auto) {});
}

// One version of a province's aggregate, at a national hub (the province is its agency).
Status Projector::provinceReportSubmitted(const ProvinceReportSubmitted& submitted) {
  CKS_CHECK(submitted.province == agency_code_);  // Ingest::push refused others
  return c_
      .run(
          "INSERT INTO hub_province_reports (province_code, year, version, agent_id, "
          "submitted_at, generated_at, received_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
          "?8) ON CONFLICT (province_code, year, version) DO NOTHING",
          {agency_code_, std::int64_t{submitted.year}, std::int64_t{submitted.version}, agent_id_,
           formatIsoUtc(submitted.submitted_at), formatIsoUtc(submitted.generated_at), received_at_,
           submitted.report_json})
      .map([](auto) {});
}

// A snapshot is the agent's whole inventory: the hub's view of this agent becomes exactly it.
Status Projector::replaceWith(const InventoryChange& change) {
  // Every certificate the agent had is chosen again: its sighting may be gone.
  CKS_TRY(c_.run("SELECT fingerprint FROM hub_certificates WHERE agent_id = ?1", {agent_id_},
                 [&](const SqlRow& row) { fingerprints_.insert(row.text(0)); }));
  tokens_changed_ = true;
  for (const char* sql : {"DELETE FROM hub_token_certificates WHERE token_id IN "
                          "(SELECT id FROM hub_tokens WHERE agent_id = ?1)",
                          "DELETE FROM hub_token_certificates WHERE certificate_id IN "
                          "(SELECT id FROM hub_certificates WHERE agent_id = ?1)",
                          "DELETE FROM hub_certificates WHERE agent_id = ?1",
                          "DELETE FROM hub_tokens WHERE agent_id = ?1"}) {
    CKS_TRY(c_.run(sql, {agent_id_}));
  }
  struct Placed {
    std::int64_t id;
    bool present;
  };
  std::map<std::pair<std::string, std::string>, Placed> tokens;
  for (const auto& t : change.snapshot_tokens) {
    auto id = returnedId(
        c_,
        "INSERT INTO hub_tokens (agent_id, agency_code, serial, manufacturer, label, model, "
        "pin_state, present, first_seen, last_seen) "
        "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), coalesce(?6, ''), coalesce(?7, 'unknown'), "
        "?8, ?9, ?10) "
        "ON CONFLICT (agent_id, serial, manufacturer) DO UPDATE SET present = ?8 "
        "RETURNING id",
        {agent_id_, agency_code_, t.token.serial, t.token.manufacturer, t.token.label,
         t.token.model, t.token.pin_state, flag(t.present), formatIsoUtc(t.first_seen),
         formatIsoUtc(t.last_seen)});
    if (!id) return tl::unexpected(id.error());
    token_ids_.insert(*id);
    tokens[{t.token.serial, t.token.manufacturer}] = {*id, t.present};
  }
  for (const auto& c : change.snapshot_certificates) {
    const std::string first_seen = formatIsoUtc(c.first_seen);
    const std::string last_seen = formatIsoUtc(c.last_seen);
    auto cert_id = certificate(c.certificate, first_seen, last_seen, true);
    if (!cert_id) return tl::unexpected(cert_id.error());
    const auto token = tokens.find({c.token_serial, c.token_manufacturer});
    if (token == tokens.end()) continue;
    // The snapshot says "present" (token plugged in AND certificate on it). On an unplugged
    // token it cannot say whether the certificate was still there: assume it was (the common
    // case); the next digest corrects a wrong guess with another snapshot.
    const bool on_token = c.present || !token->second.present;
    CKS_TRY(link(token->second.id, *cert_id, on_token, first_seen, last_seen));
  }
  return ok();
}

Status Projector::settle() {
  // A token's presence and label are its certificates' `plugged` and token columns.
  const std::vector<std::int64_t> tokens(token_ids_.begin(), token_ids_.end());
  constexpr size_t kAsked = 500;  // SQLite binds at most 32,766 parameters
  for (size_t first = 0; first < tokens.size(); first += kAsked) {
    Statement statement(
        "SELECT c.fingerprint FROM hub_token_certificates tc "
        "JOIN hub_certificates c ON c.id = tc.certificate_id WHERE tc.token_id IN (");
    for (size_t i = first; i < std::min(tokens.size(), first + kAsked); ++i) {
      statement += (i == first ? "" : ", ") + statement.bind(tokens[i]);
    }
    statement += ")";
    CKS_TRY(c_.run(statement.text(), statement.params(),
                   [&](const SqlRow& row) { fingerprints_.insert(row.text(0)); }));
  }
  CKS_TRY(chooseCertificates(c_, agency_code_, fingerprints_));
  if (tokens_changed_) CKS_TRY(chooseAgencyTokens(c_, agency_code_));
  fingerprints_.clear();
  token_ids_.clear();
  tokens_changed_ = false;
  return ok();
}

}  // namespace cks::hub::sql
