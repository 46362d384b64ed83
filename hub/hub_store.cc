#include "hub/hub_store.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <type_traits>

#include "core/time_format.h"
#include "hub/hub_store_connection.h"
#include "hub/hub_store_schema.h"
#include "hub/hub_store_sqlite.h"
#include "hub/postgres_connection.h"
#include "sync/protocol/feed_items.h"
#include "sync/protocol/report_json.h"

namespace cks::hub {
namespace {

// A transaction the database aborted for a concurrent one is run again, this many times in all.
constexpr int kAttempts = 3;

TimePoint timeOf(const std::string& text) { return parseIsoUtc(text).value_or(TimePoint{}); }

std::string join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out.push_back(separator);
    out += part;
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

std::string agencyBody(const std::string& code, const std::string& name) {
  sync::AgencyItem item;
  item.code = code;
  item.name = name;
  return sync::encodeItem(item);
}

std::int64_t flag(bool value) { return value ? 1 : 0; }

std::string paramsJson(const std::map<std::string, std::string>& params) {
  Poco::JSON::Object object;
  for (const auto& [key, value] : params) object.set(key, value);
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

// The params a store row holds; {} for text that is not a JSON object of strings (never
// written by this hub).
std::map<std::string, std::string> paramsOf(const std::string& json) {
  std::map<std::string, std::string> params;
  try {
    Poco::JSON::Parser parser;
    const auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *object) {
      if (value.isString()) params[key] = value.extract<std::string>();
    }
  } catch (const Poco::Exception&) {
    params.clear();
  }
  return params;
}

// The single integer a statement yields (the id of INSERT … RETURNING id).
Result<std::int64_t> returnedId(StoreConnection& c, std::string_view sql,
                                const std::vector<SqlValue>& params) {
  std::optional<std::int64_t> id;
  CKS_TRY(c.run(sql, params, [&](const SqlRow& row) { id = row.integer(0); }));
  CKS_CHECK(id.has_value());
  return *id;
}

// Appends an item to the agent's feed, numbered after its last one.
Status queueFeedItem(StoreConnection& c, const std::string& agent_id, const std::string& kind,
                     const std::string& body, const std::string& at) {
  return c
      .run(
          "INSERT INTO feed (agent_id, seq, kind, body, created_at) VALUES "
          "(?1, (SELECT coalesce(max(seq), 0) + 1 FROM feed WHERE agent_id = ?1), ?2, ?3, ?4)",
          {agent_id, kind, body, at})
      .map([](auto) {});
}

std::string listJson(const std::vector<std::string>& items) {
  Poco::JSON::Array array;
  for (const auto& item : items) array.add(item);
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

std::vector<std::string> listOf(const std::string& json) {
  std::vector<std::string> items;
  try {
    Poco::JSON::Parser parser;
    const auto array = parser.parse(json).extract<Poco::JSON::Array::Ptr>();
    for (unsigned i = 0; i < array->size(); ++i) {
      if (array->get(i).isString()) items.push_back(array->get(i).extract<std::string>());
    }
  } catch (const Poco::Exception&) {
    items.clear();
  }
  return items;
}

SqlValue textOrNull(const std::string& text) { return text.empty() ? SqlValue() : SqlValue(text); }

// The body of a request_status feed item (docs/requests.md, "Sync of requests").
std::string requestStatusBody(const std::string& id, RequestState state, const std::string& at,
                              const std::string& by, const std::string& reason,
                              const std::string& reference, const std::string& due_date,
                              HandledBy handled_by) {
  // `at` and `due_date` are the store's own text (formatIsoUtc, formatDate).
  return sync::encodeItem(sync::RequestStatusItem{id, state, parseIsoUtc(at).value_or(TimePoint{}),
                                                  by, reason, reference, parseDate(due_date),
                                                  handled_by});
}

Status journal(StoreConnection& c, const std::string& agency_code, const std::string& id,
               const std::string& event, const std::string& at, const std::string& by,
               const std::string& reason, const std::string& reference) {
  return c
      .run(
          "INSERT INTO hub_request_events (agency_code, request_id, event, at, actor, reason, "
          "reference) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
          {agency_code, id, event, at, by, textOrNull(reason), textOrNull(reference)})
      .map([](auto) {});
}

// Who the hub names as the one who received a request.
constexpr char kReceivedBy[] = "cks-hub";
// Who the journal names for a cancellation the agency made.
constexpr char kCancelledBy[] = "agent";

// Applies one agent's entries to the projection (hub_tokens, hub_certificates and their links),
// with the agent store's rules (store/inventory.cc), inside the caller's transaction.
class Projector {
 public:
  Projector(StoreConnection& c, std::string agent_id, std::string agency_code, std::string lane,
            std::string received_at)
      : c_(c),
        agent_id_(std::move(agent_id)),
        agency_code_(std::move(agency_code)),
        lane_(std::move(lane)),
        received_at_(std::move(received_at)) {}

  Status apply(const InventoryChange& change) {
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
    if (kind == "token_removed")
      return token(change.token, at, TokenEffect::Remove).map([](auto) {});
    if (kind == "token_pin_state_changed") {
      return token(change.token, at, TokenEffect::Touch).map([](auto) {});
    }
    // certificate_*: the agent reports these only for a token it sees in that scan.
    auto token_id = token(change.token, at, TokenEffect::Touch);
    if (!token_id) return tl::unexpected(token_id.error());
    CKS_CHECK(change.certificate.has_value());
    const ChangeCertificate& cert = *change.certificate;
    if (kind == "certificate_disappeared") {
      auto cert_id =
          cert.parsed ? certificate(cert, at, at, false) : certificateId(cert.fingerprint);
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

 private:
  enum class TokenEffect { Insert, Remove, Touch };

  // Upserts a token and returns its id. Insert: plugged in now; Remove: unplugged (only that
  // changes, as in the agent's store); Touch: the fields given, presence as it was.
  Result<std::int64_t> token(const ChangeToken& t, const std::string& at, TokenEffect effect) {
    // ?8: 1 plugged in, 0 unplugged, 2 as it was (a new row counts as plugged in).
    const std::int64_t presence = effect == TokenEffect::Insert   ? 1
                                  : effect == TokenEffect::Remove ? 0
                                                                  : 2;
    // Columns of the existing row are named with the table (PostgreSQL finds a bare name
    // ambiguous in DO UPDATE).
    return returnedId(
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
  }

  // 0 when the hub has no such certificate for this agent.
  Result<std::int64_t> certificateId(const std::string& fingerprint) {
    std::int64_t id = 0;
    CKS_TRY(c_.run("SELECT id FROM hub_certificates WHERE agent_id = ?1 AND fingerprint = ?2",
                   {agent_id_, fingerprint}, [&](const SqlRow& row) { id = row.integer(0); }));
    return id;
  }

  // Upserts a certificate with its parsed fields; `seen` moves last_seen of a known one.
  Result<std::int64_t> certificate(const ChangeCertificate& cert, const std::string& first_seen,
                                   const std::string& last_seen, bool seen) {
    CKS_CHECK(cert.parsed.has_value());
    const Certificate& c = *cert.parsed;
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
  Status link(std::int64_t token_id, std::int64_t cert_id, bool on, const std::string& first_seen,
              const std::string& last_seen) {
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
  // replays never get here (HubStore::push), so the newest entry wins; the seq check also keeps
  // an older state of this agent's lane from ever replacing a newer one.
  Status alert(std::int64_t seq, const AlertChange& a) {
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
             paramsJson(a.params)})
        .map([](auto) {});
  }

  // A request the agency filed, stored once as received (the caller set its receipt) unless
  // the agency cancelled it before it arrived; a second filing of the same id changes nothing.
  Status requestFiled(const RequestFiled& filed) {
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
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "?16, ?17, ?18, ?19, NULL, ?20) ON CONFLICT (id) DO NOTHING",
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
         paramsJson(r.fields),
         std::string(toString(r.handled_by)),
         std::string(toString(receipt.handled_by)),
         listJson(filed.supersedes),
         formatIsoUtc(r.created_at),
         cancel_reason ? SqlValue() : SqlValue(received),
         textOrNull(due),
         cancel_reason ? textOrNull(*cancel_reason) : SqlValue(),
         received});
    if (!stored) return tl::unexpected(stored.error());
    if (*stored == 0 || cancel_reason) return ok();
    CKS_TRY(journal(c_, agency_code_, r.id, "received", received, kReceivedBy, "", ""));
    return queueFeedItem(c_, agent_id_, "request_status",
                         requestStatusBody(r.id, RequestState::Received, received, kReceivedBy, "",
                                           "", due, receipt.handled_by),
                         received);
  }

  // The agency withdraws a request: cancelled while the province does not have it yet (also
  // before it arrives: the filing is then stored as cancelled), otherwise only journalled.
  Status requestCancelled(const RequestCancelled& cancel) {
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
    if (checkTransition(*state, RequestState::Cancelled)) {
      return journal(c_, agency_code_, cancel.request_id, "cancel_refused", at, kCancelledBy,
                     cancel.reason, "");
    }
    CKS_TRY(
        c_.run("UPDATE hub_requests SET state = 'cancelled', reason = ?3, updated_at = ?4 "
               "WHERE id = ?1 AND agency_code = ?2",
               {cancel.request_id, agency_code_, textOrNull(cancel.reason), at}));
    return journal(c_, agency_code_, cancel.request_id, "cancelled", at, kCancelledBy,
                   cancel.reason, "");
  }

  // One version of the agency's yearly report, kept beside the others. An agent numbers its
  // own submissions, so the same submission sent again (under another entry) is the same PC's
  // same submitted_at with the same version, or with the same report where the hub renumbered
  // it; it stays as first stored. A submission whose version number the agency already used (a
  // PC that re-enrolled with a fresh store, a second PC of the agency) is kept as the agency's
  // next version, never dropped; so is a correction submitted within the same second
  // (submitted_at counts whole seconds).
  Status reportSubmitted(const ReportSubmitted& submitted) {
    CKS_CHECK(submitted.report.agency_code == agency_code_);  // HubStore::push refused others
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
    return c_
        .run(
            "INSERT INTO hub_reports (agency_code, year, version, agent_id, submitted_at, as_of, "
            "received_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            {agency_code_, year, version, agent_id_, submitted_at,
             formatIsoUtc(submitted.report.as_of), received_at_, submitted.report_json})
        .map([](auto) {});
  }

  // The latest moment the agency's officer saved figures of the year's report; an older save
  // arriving late (another PC of the agency, a resent entry) does not move it back.
  Status reportDraftSaved(const ReportDraftSaved& saved) {
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
  Status provinceReportSubmitted(const ProvinceReportSubmitted& submitted) {
    CKS_CHECK(submitted.province == agency_code_);  // HubStore::push refused others
    return c_
        .run(
            "INSERT INTO hub_province_reports (province_code, year, version, agent_id, "
            "submitted_at, generated_at, received_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
            "?8) ON CONFLICT (province_code, year, version) DO NOTHING",
            {agency_code_, std::int64_t{submitted.year}, std::int64_t{submitted.version}, agent_id_,
             formatIsoUtc(submitted.submitted_at), formatIsoUtc(submitted.generated_at),
             received_at_, submitted.report_json})
        .map([](auto) {});
  }

  // A snapshot is the agent's whole inventory: the hub's view of this agent becomes exactly it.
  Status replaceWith(const InventoryChange& change) {
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

  StoreConnection& c_;
  const std::string agent_id_;
  const std::string agency_code_;
  const std::string lane_;
  const std::string received_at_;
};

// `rows` (each agent's sightings, `agencies[i]` the agency of rows[i]) with one row per agency
// and `keyOf` (the physical token, the certificate): the one where it is plugged in, else the
// latest sighting, else the last listed; its first_seen the earliest of all. Keeps the order.
template <typename Row, typename Key>
std::vector<Row> oncePerAgency(std::vector<Row> rows, const std::vector<std::string>& agencies,
                               Key keyOf) {
  auto sighting = [](Row & row) -> auto& {
    if constexpr (std::is_same_v<Row, HubToken>) {
      return row.token;
    } else {
      return row.certificate;
    }
  };
  using KeyType = decltype(keyOf(rows.front()));
  std::map<std::pair<std::string, KeyType>, size_t> best;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto [it, inserted] = best.emplace(std::make_pair(agencies[i], keyOf(rows[i])), i);
    if (inserted) continue;
    auto& held = sighting(rows[it->second]);
    auto& candidate = sighting(rows[i]);
    const TimePoint first_seen = std::min(held.first_seen, candidate.first_seen);
    if (std::make_pair(candidate.present, candidate.last_seen) >=
        std::make_pair(held.present, held.last_seen)) {
      it->second = i;
    }
    sighting(rows[it->second]).first_seen = first_seen;
  }
  std::vector<bool> kept(rows.size(), false);
  for (const auto& [key, index] : best) kept[index] = true;
  std::vector<Row> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (kept[i]) out.push_back(std::move(rows[i]));
  }
  return out;
}

// The store's logic, written once over StoreConnection: the same statements run on SQLite and
// PostgreSQL (hub_store_connection.h says what SQL they share).
class SqlHubStore final : public HubStore {
 public:
  explicit SqlHubStore(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

  Status saveAgency(const Agency& agency, TimePoint now) override {
    return transaction([&](StoreConnection& c) -> Status {
      const std::string at = formatIsoUtc(now);
      auto before = agencyOn(c, agency.code);
      if (!before) return tl::unexpected(before.error());
      if (!*before) {
        return c
            .run(
                "INSERT INTO agencies (code, name, type, created_at, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?4)",
                {agency.code, agency.name,
                 std::string(toString(agency.type.value_or(AgencyType::Other))), at})
            .map([](auto) {});
      }
      if ((*before)->name != agency.name) CKS_TRY(rename(c, agency.code, agency.name, at));
      if (agency.type && agency.type != (*before)->type) {
        CKS_TRY(c.run("UPDATE agencies SET type = ?2, updated_at = ?3 WHERE code = ?1",
                      {agency.code, std::string(toString(*agency.type)), at}));
      }
      return ok();
    });
  }

  Result<AgencyImport> importAgencies(const std::vector<Agency>& directory,
                                      TimePoint now) override {
    return transaction([&](StoreConnection& c) -> Result<AgencyImport> {
      const std::string at = formatIsoUtc(now);
      AgencyImport counts;
      for (const auto& agency : directory) {
        CKS_CHECK(agency.type.has_value());
        const std::string type(toString(*agency.type));
        auto before = agencyOn(c, agency.code);
        if (!before) return tl::unexpected(before.error());
        if (!*before) {
          CKS_TRY(
              c.run("INSERT INTO agencies (code, name, type, parent, created_at, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                    {agency.code, agency.name, type, textOrNull(agency.parent), at}));
          ++counts.added;
          continue;
        }
        const Agency& old = **before;
        if (old.name != agency.name) {
          CKS_TRY(rename(c, agency.code, agency.name, at));
          ++counts.renamed;
        } else if (old.type != agency.type || old.parent != agency.parent) {
          ++counts.updated;
        } else {
          ++counts.unchanged;
          continue;
        }
        CKS_TRY(c.run("UPDATE agencies SET type = ?2, parent = ?3, updated_at = ?4 WHERE code = ?1",
                      {agency.code, type, textOrNull(agency.parent), at}));
      }
      return counts;
    });
  }

  Result<int> tellAgencies(const std::vector<std::string>& agency_codes, const std::string& kind,
                           const std::string& body, TimePoint now) override {
    return transaction([&](StoreConnection& c) -> Result<int> {
      const std::string at = formatIsoUtc(now);
      int told = 0;
      for (const auto& code : agency_codes) {
        std::vector<std::string> ids;
        CKS_TRY(c.run("SELECT agent_id FROM agents WHERE agency_code = ?1 ORDER BY agent_id",
                      {code}, [&](const SqlRow& row) { ids.push_back(row.text(0)); }));
        for (const auto& id : ids) {
          CKS_TRY(addFeedItem(c, id, kind, body, at));
          ++told;
        }
      }
      return told;
    });
  }

  Result<std::optional<Agency>> agency(const std::string& code) override {
    return read([&](StoreConnection& c) { return agencyOn(c, code); });
  }

  Result<std::vector<Agency>> agencies() override {
    return read([&](StoreConnection& c) -> Result<std::vector<Agency>> {
      std::vector<Agency> out;
      CKS_TRY(c.run(std::string(kAgencyColumns) + " ORDER BY code", {},
                    [&](const SqlRow& row) { out.push_back(agencyOf(row)); }));
      return out;
    });
  }

  // Agencies of a store from before the directory (schema 6) get, once, the type their name
  // suggested: the type they were reported under until then. From then on only the province
  // changes it. SQL cannot run the guess (it reads Vietnamese case-insensitively).
  Status typeAgenciesFromBefore() {
    return transaction([&](StoreConnection& c) -> Status {
      std::vector<std::pair<std::string, std::string>> untyped;
      CKS_TRY(c.run("SELECT code, name FROM agencies WHERE type IS NULL", {},
                    [&](const SqlRow& row) { untyped.emplace_back(row.text(0), row.text(1)); }));
      for (const auto& [code, name] : untyped) {
        CKS_TRY(c.run("UPDATE agencies SET type = ?2 WHERE code = ?1 AND type IS NULL",
                      {code, std::string(toString(guessAgencyType(name)))}));
      }
      return ok();
    });
  }

  Result<std::vector<StoredReport>> reports(const ReportFilter& filter) override {
    return read([&](StoreConnection& c) -> Result<std::vector<StoredReport>> {
      std::vector<StoredReport> out;
      std::optional<Error> unreadable;
      CKS_TRY(c.run(
          "SELECT r.agency_code, g.name, r.agent_id, r.version, r.submitted_at, r.received_at, "
          "r.body FROM hub_reports r JOIN agencies g ON g.code = r.agency_code "
          "WHERE r.year = ?1 AND (?2 = '' OR r.agency_code = ?2) AND (?3 = 0 OR r.version = "
          "(SELECT max(m.version) FROM hub_reports m WHERE m.agency_code = r.agency_code AND "
          "m.year = r.year)) ORDER BY r.agency_code, r.version",
          {std::int64_t{filter.year}, filter.agency_code, flag(filter.latest_only)},
          [&](const SqlRow& row) {
            auto report = sync::parseReport(row.text(6));
            if (!report) {
              // Written by this hub from a report it parsed: only a damaged row gets here.
              if (!unreadable) {
                unreadable = report.error().wrap("store: report " + row.text(0) + " version " +
                                                 std::to_string(row.integer(3)));
              }
              return;
            }
            out.push_back({row.text(0), row.text(1), row.text(2), int(row.integer(3)),
                           timeOf(row.text(4)), timeOf(row.text(5)), std::move(*report)});
          }));
      if (unreadable) return tl::unexpected(*unreadable);
      return out;
    });
  }

  Result<std::vector<std::pair<std::string, TimePoint>>> reportDrafts(int year) override {
    return read([&](StoreConnection& c) -> Result<std::vector<std::pair<std::string, TimePoint>>> {
      std::vector<std::pair<std::string, TimePoint>> out;
      CKS_TRY(
          c.run("SELECT agency_code, saved_at FROM hub_report_drafts WHERE year = ?1 "
                "ORDER BY agency_code",
                {std::int64_t{year}},
                [&](const SqlRow& row) { out.emplace_back(row.text(0), timeOf(row.text(1))); }));
      return out;
    });
  }

  Result<std::vector<StoredProvinceReport>> provinceReports(const ReportFilter& filter) override {
    return read([&](StoreConnection& c) -> Result<std::vector<StoredProvinceReport>> {
      std::vector<StoredProvinceReport> out;
      CKS_TRY(c.run(
          "SELECT r.province_code, g.name, r.version, r.submitted_at, r.received_at, "
          "r.generated_at, r.body FROM hub_province_reports r "
          "JOIN agencies g ON g.code = r.province_code "
          "WHERE r.year = ?1 AND (?2 = '' OR r.province_code = ?2) AND (?3 = 0 OR r.version = "
          "(SELECT max(m.version) FROM hub_province_reports m WHERE m.province_code = "
          "r.province_code AND m.year = r.year)) ORDER BY r.province_code, r.version",
          {std::int64_t{filter.year}, filter.agency_code, flag(filter.latest_only)},
          [&](const SqlRow& row) {
            out.push_back({row.text(0), row.text(1), int(row.integer(2)), timeOf(row.text(3)),
                           timeOf(row.text(4)), timeOf(row.text(5)), row.text(6)});
          }));
      return out;
    });
  }

  Status addEnrollCode(const std::string& code_hash, const std::string& agency_code,
                       TimePoint expires_at, TimePoint now) override {
    return transaction([&](StoreConnection& c) -> Status {
      auto added = c.run(
          "INSERT INTO enroll_codes (code_hash, agency_code, name, expires_at, created_at) "
          "SELECT ?1, code, name, ?3, ?4 FROM agencies WHERE code = ?2",
          {code_hash, agency_code, formatIsoUtc(expires_at), formatIsoUtc(now)});
      if (!added) return tl::unexpected(added.error());
      if (*added != 1) return fail("store: ", c.where(), ": no agency ", agency_code);
      return ok();
    });
  }

  Result<std::optional<EnrollCode>> enrollCode(const std::string& code_hash) override {
    return read([&](StoreConnection& c) -> Result<std::optional<EnrollCode>> {
      std::optional<EnrollCode> found;
      CKS_TRY(
          c.run("SELECT e.agency_code, g.name, e.expires_at, e.used_at, e.revoked_at "
                "FROM enroll_codes e JOIN agencies g ON g.code = e.agency_code "
                "WHERE e.code_hash = ?1",
                {code_hash}, [&](const SqlRow& row) {
                  found = EnrollCode{row.text(0), row.text(1), timeOf(row.text(2)), std::nullopt,
                                     std::nullopt};
                  if (!row.isNull(3)) found->used_at = timeOf(row.text(3));
                  if (!row.isNull(4)) found->revoked_at = timeOf(row.text(4));
                }));
      return found;
    });
  }

  Result<std::vector<EnrollCodeRecord>> enrollCodes() override {
    return read([&](StoreConnection& c) -> Result<std::vector<EnrollCodeRecord>> {
      std::vector<EnrollCodeRecord> out;
      CKS_TRY(c.run(
          "SELECT e.code_hash, e.agency_code, g.name, e.created_at, e.expires_at, e.used_at, "
          "coalesce(e.used_by, ''), e.revoked_at FROM enroll_codes e "
          "JOIN agencies g ON g.code = e.agency_code "
          "ORDER BY e.created_at DESC, e.agency_code, e.code_hash",
          {}, [&](const SqlRow& row) {
            EnrollCodeRecord r{row.text(0),         row.text(1),  row.text(2), timeOf(row.text(3)),
                               timeOf(row.text(4)), std::nullopt, row.text(6), std::nullopt};
            if (!row.isNull(5)) r.used_at = timeOf(row.text(5));
            if (!row.isNull(7)) r.revoked_at = timeOf(row.text(7));
            out.push_back(std::move(r));
          }));
      return out;
    });
  }

  Result<CodeRevocation> revokeEnrollCode(const std::string& code_hash, TimePoint now) override {
    return transaction([&](StoreConnection& c) -> Result<CodeRevocation> {
      auto changed = c.run(
          "UPDATE enroll_codes SET revoked_at = ?2 "
          "WHERE code_hash = ?1 AND used_at IS NULL AND revoked_at IS NULL",
          {code_hash, formatIsoUtc(now)});
      if (!changed) return tl::unexpected(changed.error());
      if (*changed == 1) return CodeRevocation::Revoked;
      std::optional<CodeRevocation> why;
      CKS_TRY(
          c.run("SELECT CASE WHEN used_at IS NULL THEN 0 ELSE 1 END FROM enroll_codes "
                "WHERE code_hash = ?1",
                {code_hash}, [&](const SqlRow& row) {
                  why = row.integer(0) != 0 ? CodeRevocation::AlreadyUsed
                                            : CodeRevocation::AlreadyRevoked;
                }));
      return why.value_or(CodeRevocation::Unknown);
    });
  }

  Result<bool> redeemEnrollCode(const std::string& code_hash, TimePoint now,
                                const NewAgent& agent) override {
    return transaction([&](StoreConnection& c) -> Result<bool> {
      const std::string at = formatIsoUtc(now);
      // The conditions are checked again here: two enrolments racing for one code, one wins
      // (PostgreSQL: the loser's UPDATE waits for the winner's row lock, then matches nothing).
      auto used = c.run(
          "UPDATE enroll_codes SET used_at = ?2, used_by = ?3 "
          "WHERE code_hash = ?1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?2 "
          "AND agency_code = ?4",
          {code_hash, at, agent.agent_id, agent.agency_code});
      if (!used) return tl::unexpected(used.error());
      if (*used != 1) return false;
      CKS_TRY(
          c.run("INSERT INTO agents (agent_id, agency_code, host, agent_version, enrolled_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5)",
                {agent.agent_id, agent.agency_code, agent.host, agent.agent_version,
                 formatIsoUtc(agent.enrolled_at)}));
      std::string agency_name;
      CKS_TRY(c.run("SELECT name FROM agencies WHERE code = ?1", {agent.agency_code},
                    [&](const SqlRow& row) { agency_name = row.text(0); }));
      CKS_TRY(
          addFeedItem(c, agent.agent_id, "agency", agencyBody(agent.agency_code, agency_name), at));
      return true;
    });
  }

  Result<std::optional<AgentRecord>> agent(const std::string& agent_id) override {
    auto list = agentList(agent_id);
    if (!list) return tl::unexpected(list.error());
    if (list->empty()) return std::optional<AgentRecord>();
    return std::optional<AgentRecord>(std::move(list->front()));
  }

  Result<std::vector<AgentRecord>> agents() override { return agentList(""); }

  Result<bool> revokeAgent(const std::string& agent_id) override {
    return transaction([&](StoreConnection& c) -> Result<bool> {
      auto changed = c.run("UPDATE agents SET revoked = 1 WHERE agent_id = ?1", {agent_id});
      if (!changed) return tl::unexpected(changed.error());
      return *changed == 1;
    });
  }

  Result<PushOutcome> push(const std::string& agent_id, const PushBatch& batch,
                           TimePoint received_at) override {
    return transaction([&](StoreConnection& c) -> Result<PushOutcome> {
      const std::string received = formatIsoUtc(received_at);
      // The contact first: on PostgreSQL this UPDATE locks the agent's row until the
      // transaction ends, so two pushes of one agent run one after the other and the second
      // reads what the first stored (SQLite's BEGIN IMMEDIATE already serialises writers).
      std::optional<std::string> agency_code;
      CKS_TRY(c.run(
          "UPDATE agents SET last_contact = ?2, clock_offset_seconds = coalesce(?3, "
          "agents.clock_offset_seconds), agent_version = coalesce(nullif(?4, ''), "
          "agents.agent_version), backlog = ?5 WHERE agent_id = ?1 RETURNING agency_code",
          {agent_id, received,
           batch.agent_time ? SqlValue(std::int64_t((received_at - *batch.agent_time).count()))
                            : SqlValue(),
           batch.agent_version, batch.backlog},
          [&](const SqlRow& row) { agency_code = row.text(0); }));
      if (!agency_code) return fail("store: ", c.where(), ": no agent ", agent_id);

      auto acked = laneAcked(c, agent_id, batch.lane);
      if (!acked) return tl::unexpected(acked.error());
      PushOutcome outcome{PushOutcome::Kind::Acked, *acked, ""};
      if (!batch.entries.empty() && batch.entries.front().seq > *acked + 1) {
        outcome.kind = PushOutcome::Kind::Gap;
        outcome.message = "entries[0].seq is " + std::to_string(batch.entries.front().seq) +
                          " but the hub holds lane " + batch.lane + " up to " +
                          std::to_string(*acked) + ": resend from " + std::to_string(*acked + 1);
      }
      // Replays first (they come first in an ascending batch): one that differs stops
      // everything before any new entry is applied.
      for (size_t i = 0; outcome.kind == PushOutcome::Kind::Acked && i < batch.entries.size() &&
                         batch.entries[i].seq <= *acked;
           ++i) {
        auto stored = storedUuid(c, agent_id, batch.lane, batch.entries[i].seq);
        if (!stored) return tl::unexpected(stored.error());
        if (*stored && **stored != batch.entries[i].uuid) {
          outcome.kind = PushOutcome::Kind::Conflict;
          outcome.message = "entries[" + std::to_string(i) + "]: seq " +
                            std::to_string(batch.entries[i].seq) + " of lane " + batch.lane +
                            " is stored with uuid " + **stored + ", this one has " +
                            batch.entries[i].uuid;
        }
      }
      if (outcome.kind != PushOutcome::Kind::Acked) return outcome;
      // A request id another agency holds is refused before anything is stored.
      for (size_t i = 0; i < batch.entries.size(); ++i) {
        const auto& entry = batch.entries[i];
        if (entry.seq <= outcome.acked) continue;
        const std::string* id = entry.request_filed       ? &entry.request_filed->request.id
                                : entry.request_cancelled ? &entry.request_cancelled->request_id
                                                          : nullptr;
        if (id == nullptr) continue;
        std::optional<std::string> owner;
        CKS_TRY(c.run("SELECT agency_code FROM hub_requests WHERE id = ?1", {*id},
                      [&](const SqlRow& row) { owner = row.text(0); }));
        if (owner && *owner != *agency_code) {
          outcome.kind = PushOutcome::Kind::Refused;
          outcome.message = "entries[" + std::to_string(i) + "].body." +
                            (entry.request_filed ? "request.id" : "request_id") + ": request " +
                            *id + " is not a request of agency " + *agency_code;
          return outcome;
        }
      }
      // A report is the agency's own: an agent cannot submit one for another agency.
      for (size_t i = 0; i < batch.entries.size(); ++i) {
        const auto& entry = batch.entries[i];
        if (entry.seq <= outcome.acked) continue;
        const std::string* named =
            entry.report_submitted            ? &entry.report_submitted->report.agency_code
            : entry.province_report_submitted ? &entry.province_report_submitted->province
                                              : nullptr;
        if (named != nullptr && *named != *agency_code) {
          outcome.kind = PushOutcome::Kind::Refused;
          outcome.message = "entries[" + std::to_string(i) + "].body." +
                            (entry.report_submitted ? "report.agency" : "province") +
                            ": a report of " + *named + " cannot come from an agent of agency " +
                            *agency_code;
          return outcome;
        }
      }
      Projector projector(c, agent_id, *agency_code, batch.lane, received);
      for (const auto& entry : batch.entries) {
        if (entry.seq <= outcome.acked) continue;
        if (entry.seq != outcome.acked + 1) {
          return fail("store: push: entries are not consecutive at seq ",
                      std::to_string(entry.seq));
        }
        CKS_TRY(
            c.run("INSERT INTO entries (agent_id, lane, seq, uuid, kind, at, body, received_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                  {agent_id, batch.lane, entry.seq, entry.uuid, entry.kind, formatIsoUtc(entry.at),
                   entry.body_json, received}));
        if (auto applied = projector.apply(entry); !applied) {
          return tl::unexpected(applied.error().wrap("entry seq " + std::to_string(entry.seq)));
        }
        outcome.acked = entry.seq;
      }
      if (outcome.acked != *acked) {
        CKS_TRY(
            c.run("INSERT INTO lane_state (agent_id, lane, acked) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (agent_id, lane) DO UPDATE SET acked = ?3",
                  {agent_id, batch.lane, outcome.acked}));
      }
      return outcome;
    });
  }

  Result<std::vector<HubAlert>> alerts(const AlertFilter& filter) override {
    return read([&](StoreConnection& c) -> Result<std::vector<HubAlert>> {
      std::vector<HubAlert> out;
      CKS_TRY(c.run(
          "SELECT a.agency_code, g.name, a.agent_id, a.uuid, a.kind, a.severity, a.state, "
          "a.fingerprint, a.token_serial, a.module, a.threshold_days, a.raised_at, a.changed_at, "
          "a.snoozed_until, a.resolution, a.params "
          "FROM hub_alerts a JOIN agencies g ON g.code = a.agency_code "
          "JOIN agents ag ON ag.agent_id = a.agent_id "
          "WHERE (?1 = '' OR a.agency_code = ?1) AND (?2 = 1 OR a.state <> 'resolved') "
          "AND ag.revoked = 0 "
          "ORDER BY CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
          "a.raised_at DESC, a.agency_code, a.uuid",
          {filter.agency_code, flag(filter.include_resolved)}, [&](const SqlRow& row) {
            HubAlert h;
            h.agency_code = row.text(0);
            h.agency_name = row.text(1);
            h.agent_id = row.text(2);
            AlertChange& a = h.alert;
            a.uuid = row.text(3);
            // Written by this hub from wire names it knows.
            (void)parseAlertKind(row.text(4), a.kind);
            (void)parseSeverity(row.text(5), a.severity);
            (void)parseAlertState(row.text(6), a.state);
            auto optionalText = [&](int column) -> std::optional<std::string> {
              if (row.isNull(column)) return std::nullopt;
              return row.text(column);
            };
            a.fingerprint = optionalText(7);
            a.token_serial = optionalText(8);
            a.module = optionalText(9);
            if (!row.isNull(10)) a.threshold_days = int(row.integer(10));
            a.raised_at = timeOf(row.text(11));
            a.changed_at = timeOf(row.text(12));
            if (!row.isNull(13)) a.snoozed_until = timeOf(row.text(13));
            a.resolution = optionalText(14);
            a.params = paramsOf(row.text(15));
            out.push_back(std::move(h));
          }));
      return out;
    });
  }

  Result<std::vector<HubRequest>> requests(const RequestFilter& filter) override {
    return read([&](StoreConnection& c) { return loadRequests(c, filter); });
  }

  Result<TransitionOutcome> transitionRequest(const RequestTransition& step) override {
    return transaction([&](StoreConnection& c) -> Result<TransitionOutcome> {
      auto found = loadRequests(c, {"", std::nullopt, step.id});
      if (!found) return tl::unexpected(found.error());
      TransitionOutcome outcome;
      if (found->empty()) {
        outcome.kind = TransitionOutcome::Kind::Unknown;
        return outcome;
      }
      const HubRequest& before = found->front();
      if (auto refusal = checkTransition(before.request.state, step.to)) {
        outcome.kind = TransitionOutcome::Kind::Refused;
        outcome.refusal = std::move(*refusal);
        return outcome;
      }
      const std::string at = formatIsoUtc(step.at);
      // The request keeps why it was rejected; a note on another step stays in the journal.
      const std::string reason =
          step.to == RequestState::Rejected ? step.reason : before.request.reason;
      const std::string reference = step.reference.empty() ? before.reference : step.reference;
      // Only from the state just read: on PostgreSQL another admin may have moved it meanwhile.
      auto changed = c.run(
          "UPDATE hub_requests SET state = ?2, reason = ?3, reference = ?4, updated_at = ?5 "
          "WHERE id = ?1 AND state = ?6",
          {step.id, std::string(toString(step.to)), textOrNull(reason), textOrNull(reference), at,
           std::string(toString(before.request.state))});
      if (!changed) return tl::unexpected(changed.error());
      if (*changed != 1) {
        return fail("store: ", c.where(), ": request ", step.id,
                    " was changed by someone else just now; look at it again");
      }
      CKS_TRY(journal(c, before.agency_code, step.id, std::string(toString(step.to)), at, step.by,
                      step.reason, step.reference));
      CKS_TRY(queueFeedItem(c, before.agent_id, "request_status",
                            requestStatusBody(step.id, step.to, at, step.by, step.reason, reference,
                                              before.due_date ? formatDate(*before.due_date) : "",
                                              before.request.handled_by),
                            at));
      auto after = loadRequests(c, {"", std::nullopt, step.id});
      if (!after) return tl::unexpected(after.error());
      CKS_CHECK(after->size() == 1);
      outcome.request = std::move(after->front());
      return outcome;
    });
  }

  Result<std::int64_t> entryCount(const std::string& agent_id) override {
    return read([&](StoreConnection& c) -> Result<std::int64_t> {
      std::int64_t count = 0;
      CKS_TRY(c.run("SELECT count(*) FROM entries WHERE agent_id = ?1", {agent_id},
                    [&](const SqlRow& row) { count = row.integer(0); }));
      return count;
    });
  }

  Result<std::vector<sync::FeedItem>> feedAfter(const std::string& agent_id, std::int64_t cursor,
                                                int limit) override {
    return read([&](StoreConnection& c) -> Result<std::vector<sync::FeedItem>> {
      std::vector<sync::FeedItem> items;
      std::optional<Error> bad;
      CKS_TRY(c.run(
          "SELECT seq, kind, body FROM feed WHERE agent_id = ?1 AND seq > ?2 ORDER BY seq "
          "LIMIT ?3",
          {agent_id, cursor, std::int64_t{limit}}, [&](const SqlRow& row) {
            sync::FeedItem item{row.integer(0), row.text(1), nullptr};
            try {
              Poco::JSON::Parser parser;
              item.body = parser.parse(row.text(2)).extract<Poco::JSON::Object::Ptr>();
            } catch (const Poco::Exception& e) {
              if (!bad) {
                bad = Error{"store: " + c.where() + ": feed item " + std::to_string(item.seq) +
                            " of " + agent_id + ": " + e.displayText()};
              }
            }
            items.push_back(std::move(item));
          }));
      if (bad) return tl::unexpected(*bad);
      return items;
    });
  }

  Result<std::vector<HubToken>> tokens(const ViewScope& scope) override {
    return read([&](StoreConnection& c) -> Result<std::vector<HubToken>> {
      std::vector<HubToken> out;
      std::vector<std::string> agencies;  // of each row of `out`
      CKS_TRY(
          c.run("SELECT t.agent_id, t.serial, t.manufacturer, t.label, t.model, t.pin_state, "
                "t.present, t.first_seen, t.last_seen, "
                "(SELECT count(*) FROM hub_token_certificates tc WHERE tc.token_id = t.id AND "
                "tc.on_token = 1), a.host, t.agency_code "
                "FROM hub_tokens t JOIN agents a ON a.agent_id = t.agent_id "
                "WHERE (?1 = '' OR t.agency_code = ?1) AND (?2 = '' OR t.agent_id = ?2) "
                "AND (?2 <> '' OR a.revoked = 0) "
                "ORDER BY t.present DESC, t.label, t.serial, t.agent_id",
                {scope.agency_code, scope.agent_id}, [&](const SqlRow& row) {
                  agencies.push_back(row.text(11));
                  HubToken ht;
                  ht.agent_id = row.text(0);
                  InventoryToken& t = ht.token;
                  t.token = {row.text(1), row.text(2), row.text(3), row.text(4), PinState::Unknown};
                  (void)parsePinState(row.text(5), t.token.pin_state);
                  t.present = row.integer(6) != 0;
                  t.first_seen = timeOf(row.text(7));
                  t.last_seen = timeOf(row.text(8));
                  t.cert_count = int(row.integer(9));
                  t.last_host = row.text(10);
                  out.push_back(std::move(ht));
                }));
      if (!scope.agent_id.empty()) return out;
      return oncePerAgency(std::move(out), agencies, [](const HubToken& t) {
        return std::make_pair(t.token.token.serial, t.token.token.manufacturer);
      });
    });
  }

  Result<std::vector<HubCertificate>> certificates(const ViewScope& scope) override {
    return read([&](StoreConnection& c) -> Result<std::vector<HubCertificate>> {
      std::vector<HubCertificate> out;
      std::vector<std::string> agencies;  // of each row of `out`
      // Each certificate is shown with the token it is on now, else the one it was last seen
      // on (the agent's rule, store/inventory.cc); equal sightings: the smaller serial.
      CKS_TRY(c.run(
          "SELECT c.agent_id, c.fingerprint, c.parse_error, c.subject, c.issuer, "
          "c.common_name, c.organization, c.organizational_units, c.locality, c.state, "
          "c.country, c.email, c.serial, c.not_before, c.not_after, c.key_usage, c.kind, "
          "c.first_seen, c.last_seen, coalesce(t.serial, ''), coalesce(t.label, ''), "
          "CASE WHEN t.present = 1 AND tc.on_token = 1 THEN 1 ELSE 0 END, c.agency_code "
          "FROM hub_certificates c "
          "LEFT JOIN hub_token_certificates tc ON tc.certificate_id = c.id AND tc.token_id = ("
          "  SELECT tc2.token_id FROM hub_token_certificates tc2 "
          "  JOIN hub_tokens t2 ON t2.id = tc2.token_id WHERE tc2.certificate_id = c.id"
          "  ORDER BY CASE WHEN t2.present = 1 AND tc2.on_token = 1 THEN 1 ELSE 0 END DESC, "
          "  tc2.last_seen DESC, t2.serial ASC LIMIT 1) "
          "LEFT JOIN hub_tokens t ON t.id = tc.token_id "
          "JOIN agents a ON a.agent_id = c.agent_id "
          "WHERE (?1 = '' OR c.agency_code = ?1) AND (?2 = '' OR c.agent_id = ?2) "
          "AND (?2 <> '' OR a.revoked = 0) "
          "ORDER BY c.not_after, c.common_name, c.agent_id",
          {scope.agency_code, scope.agent_id}, [&](const SqlRow& row) {
            agencies.push_back(row.text(22));
            HubCertificate hc;
            hc.agent_id = row.text(0);
            InventoryCertificate& ic = hc.certificate;
            Certificate& cert = ic.certificate;
            cert.fingerprint_sha256 = row.text(1);
            cert.parse_error = row.text(2);
            cert.subject = row.text(3);
            cert.issuer = row.text(4);
            cert.common_name = row.text(5);
            cert.organization = row.text(6);
            cert.organizational_units = split(row.text(7), '\n');
            cert.locality = row.text(8);
            cert.state = row.text(9);
            cert.country = row.text(10);
            cert.email = row.text(11);
            cert.serial = row.text(12);
            cert.not_before = timeOf(row.text(13));
            cert.not_after = timeOf(row.text(14));
            cert.key_usage = split(row.text(15), ',');
            (void)parseSubscriberKind(row.text(16), cert.kind);
            ic.first_seen = timeOf(row.text(17));
            ic.last_seen = timeOf(row.text(18));
            ic.token_serial = row.text(19);
            ic.token_label = row.text(20);
            ic.present = row.integer(21) != 0;
            out.push_back(std::move(hc));
          }));
      // Every token that holds each certificate (a copy on several tokens, seen by any PC of
      // the agency): the agent's token_serials, the same on both sides.
      std::map<std::string, std::set<std::string>> holders;  // agent or agency, fingerprint
      const auto holder_key = [&](const std::string& agent, const std::string& agency,
                                  const std::string& fingerprint) {
        return (scope.agent_id.empty() ? agency : agent) + '\n' + fingerprint;
      };
      CKS_TRY(c.run(
          "SELECT c.agent_id, c.agency_code, c.fingerprint, t.serial "
          "FROM hub_token_certificates tc JOIN hub_certificates c ON c.id = tc.certificate_id "
          "JOIN hub_tokens t ON t.id = tc.token_id JOIN agents a ON a.agent_id = c.agent_id "
          "WHERE tc.on_token = 1 AND (?1 = '' OR c.agency_code = ?1) "
          "AND (?2 = '' OR c.agent_id = ?2) AND (?2 <> '' OR a.revoked = 0)",
          {scope.agency_code, scope.agent_id}, [&](const SqlRow& row) {
            holders[holder_key(row.text(0), row.text(1), row.text(2))].insert(row.text(3));
          }));
      for (size_t i = 0; i < out.size(); ++i) {
        auto& ic = out[i].certificate;
        const auto found = holders.find(
            holder_key(out[i].agent_id, agencies[i], ic.certificate.fingerprint_sha256));
        if (found != holders.end()) {
          ic.token_serials.assign(found->second.begin(), found->second.end());
        }
      }
      if (!scope.agent_id.empty()) return out;
      return oncePerAgency(std::move(out), agencies, [](const HubCertificate& hc) {
        return hc.certificate.certificate.fingerprint_sha256;
      });
    });
  }

  Result<std::string> integrityCheck() override {
    return read([](StoreConnection& c) { return c.integrityCheck(); });
  }

 private:
  // Runs `work` in one transaction on a pooled connection and commits what it returns. A
  // transaction the database aborted for a concurrent one (hub_store_connection.h: Transient)
  // is run again from the start, and so is one that could not even begin on a pooled
  // connection the server had dropped; anything else is rolled back and returned.
  template <typename Work>
  auto transaction(Work&& work) -> decltype(work(std::declval<StoreConnection&>())) {
    for (int attempt = 1;; ++attempt) {
      auto lease = pool_->acquire();
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

  // Runs `work`, which only reads, on a pooled connection; again on a fresh one when the
  // pooled one turns out to be lost.
  template <typename Work>
  auto read(Work&& work) -> decltype(work(std::declval<StoreConnection&>())) {
    for (int attempt = 1;; ++attempt) {
      auto lease = pool_->acquire();
      if (!lease) return tl::unexpected(lease.error());
      auto result = work(**lease);
      if (!result && (*lease)->lastFailure() == SqlFailure::ConnectionLost && attempt < kAttempts) {
        continue;
      }
      return result;
    }
  }

  static constexpr std::string_view kAgencyColumns =
      "SELECT code, name, coalesce(type, 'other'), coalesce(parent, '') FROM agencies";

  static Agency agencyOf(const SqlRow& row) {
    AgencyType type = AgencyType::Other;
    (void)parseAgencyType(row.text(2), type);  // written by this hub from names it knows
    return {row.text(0), row.text(1), type, row.text(3)};
  }

  static Result<std::optional<Agency>> agencyOn(StoreConnection& c, const std::string& code) {
    std::optional<Agency> found;
    CKS_TRY(c.run(std::string(kAgencyColumns) + " WHERE code = ?1", {code},
                  [&](const SqlRow& row) { found = agencyOf(row); }));
    return found;
  }

  // Gives the agency its new name; every agent of it learns the name on its next pull.
  static Status rename(StoreConnection& c, const std::string& code, const std::string& name,
                       const std::string& at) {
    CKS_TRY(
        c.run("UPDATE agencies SET name = ?2, updated_at = ?3 WHERE code = ?1", {code, name, at}));
    std::vector<std::string> ids;
    CKS_TRY(c.run("SELECT agent_id FROM agents WHERE agency_code = ?1", {code},
                  [&](const SqlRow& row) { ids.push_back(row.text(0)); }));
    for (const auto& id : ids) CKS_TRY(addFeedItem(c, id, "agency", agencyBody(code, name), at));
    return ok();
  }

  Result<std::vector<AgentRecord>> agentList(const std::string& agent_id) {
    return read([&](StoreConnection& c) -> Result<std::vector<AgentRecord>> {
      std::vector<AgentRecord> out;
      CKS_TRY(c.run(
          "SELECT a.agent_id, a.agency_code, g.name, a.host, a.agent_version, a.enrolled_at, "
          "a.last_contact, a.clock_offset_seconds, a.backlog, a.revoked, "
          "coalesce((SELECT acked FROM lane_state l WHERE l.agent_id = a.agent_id AND "
          "l.lane = 'normal'), 0), "
          "coalesce((SELECT acked FROM lane_state l WHERE l.agent_id = a.agent_id AND "
          "l.lane = 'urgent'), 0) "
          "FROM agents a JOIN agencies g ON g.code = a.agency_code "
          "WHERE ?1 = '' OR a.agent_id = ?1 ORDER BY a.agency_code, a.enrolled_at, a.agent_id",
          {agent_id}, [&](const SqlRow& row) {
            AgentRecord a;
            a.agent_id = row.text(0);
            a.agency_code = row.text(1);
            a.agency_name = row.text(2);
            a.host = row.text(3);
            a.agent_version = row.text(4);
            a.enrolled_at = timeOf(row.text(5));
            if (!row.isNull(6)) a.last_contact = timeOf(row.text(6));
            if (!row.isNull(7)) a.clock_offset_seconds = row.integer(7);
            a.backlog = row.integer(8);
            a.revoked = row.integer(9) != 0;
            a.normal_acked = row.integer(10);
            a.urgent_acked = row.integer(11);
            out.push_back(std::move(a));
          }));
      return out;
    });
  }

  static Result<std::int64_t> laneAcked(StoreConnection& c, const std::string& agent_id,
                                        const std::string& lane) {
    std::int64_t acked = 0;
    CKS_TRY(c.run("SELECT acked FROM lane_state WHERE agent_id = ?1 AND lane = ?2",
                  {agent_id, lane}, [&](const SqlRow& row) { acked = row.integer(0); }));
    return acked;
  }

  static Result<std::optional<std::string>> storedUuid(StoreConnection& c,
                                                       const std::string& agent_id,
                                                       const std::string& lane, std::int64_t seq) {
    std::optional<std::string> uuid;
    CKS_TRY(c.run("SELECT uuid FROM entries WHERE agent_id = ?1 AND lane = ?2 AND seq = ?3",
                  {agent_id, lane, seq}, [&](const SqlRow& row) { uuid = row.text(0); }));
    return uuid;
  }

  static Status addFeedItem(StoreConnection& c, const std::string& agent_id,
                            const std::string& kind, const std::string& body,
                            const std::string& at) {
    return queueFeedItem(c, agent_id, kind, body, at);
  }

  // The requests `filter` names, with their journals, on `c`.
  static Result<std::vector<HubRequest>> loadRequests(StoreConnection& c,
                                                      const RequestFilter& filter) {
    std::vector<HubRequest> out;
    CKS_TRY(c.run(
        "SELECT r.id, r.agency_code, g.name, r.agent_id, r.kind, r.state, r.form, r.subscriber, "
        "r.fingerprint, r.token_serial, r.change_case, r.revocation_reason, r.fields, "
        "r.filed_handled_by, r.handled_by, r.supersedes, r.created_at, r.received_at, "
        "r.due_date, r.reason, r.reference "
        "FROM hub_requests r JOIN agencies g ON g.code = r.agency_code "
        "WHERE (?1 = '' OR r.agency_code = ?1) AND (?2 = '' OR r.state = ?2) AND "
        "(?3 = '' OR r.id = ?3) "
        "ORDER BY CASE WHEN r.due_date IS NULL THEN 1 ELSE 0 END, r.due_date, r.received_at, "
        "r.created_at, r.id",
        {filter.agency_code, filter.state ? std::string(toString(*filter.state)) : "", filter.id},
        [&](const SqlRow& row) {
          HubRequest h;
          Request& r = h.request;
          // Written by this hub from wire names it knows.
          r.id = row.text(0);
          h.agency_code = row.text(1);
          h.agency_name = row.text(2);
          h.agent_id = row.text(3);
          (void)parseRequestKind(row.text(4), r.kind);
          (void)parseRequestState(row.text(5), r.state);
          (void)parseForm(row.text(6), h.form);
          (void)parseSubscriberKind(row.text(7), r.subscriber);
          r.fingerprint_sha256 = row.text(8);
          r.token_serial = row.text(9);
          if (ChangeCase value{}; !row.isNull(10) && parseChangeCase(row.text(10), value)) {
            r.change_case = value;
          }
          if (RevocationReason value{};
              !row.isNull(11) && parseRevocationReason(row.text(11), value)) {
            r.revocation_reason = value;
          }
          r.fields = paramsOf(row.text(12));
          (void)parseHandledBy(row.text(13), h.filed_handled_by);
          (void)parseHandledBy(row.text(14), r.handled_by);
          h.supersedes = listOf(row.text(15));
          r.created_at = timeOf(row.text(16));
          if (!row.isNull(17)) r.received_at = timeOf(row.text(17));
          if (!row.isNull(18)) h.due_date = parseDate(row.text(18));
          r.reason = row.text(19);
          h.reference = row.text(20);
          out.push_back(std::move(h));
        }));
    if (out.empty()) return out;
    std::map<std::string, HubRequest*> by_id;
    for (auto& h : out) by_id[h.request.id] = &h;
    CKS_TRY(c.run(
        "SELECT e.request_id, e.event, e.at, e.actor, e.reason, e.reference "
        "FROM hub_request_events e JOIN hub_requests r ON r.id = e.request_id AND "
        "r.agency_code = e.agency_code "
        "WHERE (?1 = '' OR r.agency_code = ?1) AND (?2 = '' OR r.state = ?2) AND "
        "(?3 = '' OR r.id = ?3) ORDER BY e.id",
        {filter.agency_code, filter.state ? std::string(toString(*filter.state)) : "", filter.id},
        [&](const SqlRow& row) {
          const auto found = by_id.find(row.text(0));
          if (found == by_id.end()) return;
          found->second->history.push_back(
              {row.text(1), timeOf(row.text(2)), row.text(3), row.text(4), row.text(5)});
        }));
    return out;
  }

  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace

namespace {

Result<std::unique_ptr<HubStore>> storeOver(Result<std::unique_ptr<ConnectionPool>> pool) {
  if (!pool) return tl::unexpected(pool.error());
  auto store = std::make_unique<SqlHubStore>(std::move(*pool));
  CKS_TRY(store->typeAgenciesFromBefore());
  return std::unique_ptr<HubStore>(std::move(store));
}

}  // namespace

Result<std::unique_ptr<HubStore>> openSqliteHubStore(const std::string& path) {
  return storeOver(openSqlitePool(path, sqliteMigrations()));
}

Result<std::unique_ptr<HubStore>> openPostgresHubStore(const std::string& url) {
  return storeOver(openPostgresPool(url, postgresMigrations()));
}

Result<std::unique_ptr<HubStore>> openHubStore(const StoreLocation& location) {
  if (location.kind == StoreLocation::Kind::Postgresql) return openPostgresHubStore(location.url);
  std::error_code error;
  const auto folder = std::filesystem::path(location.path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder, error);
  if (error) return fail("store: create ", folder.string(), ": ", error.message());
  return openSqliteHubStore(location.path);
}

Result<bool> hubStoreExists(const StoreLocation& location) {
  if (location.kind == StoreLocation::Kind::Postgresql) {
    return postgresHubSchemaExists(location.url);
  }
  std::error_code error;
  return std::filesystem::exists(location.path, error);
}

ProvinceReport aggregateProvince(int year, const std::vector<Agency>& agencies,
                                 std::vector<StoredReport> latest, TimePoint now) {
  std::vector<ExpectedAgency> expected;
  for (const auto& agency : agencies) {
    expected.push_back({agency.code, agency.name, agency.type.value_or(AgencyType::Other)});
  }
  std::vector<SubmittedReport> submitted;
  for (auto& stored : latest) {
    submitted.push_back({std::move(stored.report), stored.version, stored.submitted_at});
  }
  return aggregateReports(year, expected, submitted, now);
}

}  // namespace cks::hub
