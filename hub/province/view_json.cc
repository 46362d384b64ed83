#include "hub/province/view_json.h"

#include "core/time_format.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/merger_json.h"

namespace cks::hub {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr orderedObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Var timeOrNull(const std::optional<TimePoint>& at) { return at ? Var(formatIsoUtc(*at)) : Var(); }

// Empty text as null.
Var textOrNull(const std::string& value) { return value.empty() ? Var() : Var(value); }

Var optionalText(const std::optional<std::string>& value) { return value ? Var(*value) : Var(); }

template <typename Enum>
Var nameOrNull(const std::optional<Enum>& value) {
  return value ? Var(std::string(toString(*value))) : Var();
}

}  // namespace

Object::Ptr agentJson(const AgentRecord& a) {
  auto o = orderedObject();
  o->set("agency_code", a.agency_code);
  o->set("agency_name", a.agency_name);
  o->set("agent_id", a.agent_id);
  o->set("host", a.host);
  o->set("last_contact", timeOrNull(a.last_contact));
  o->set("last_seq", static_cast<Poco::Int64>(a.normal_acked));
  o->set("urgent_acked", static_cast<Poco::Int64>(a.urgent_acked));
  o->set("clock_offset_seconds",
         a.clock_offset_seconds ? Var(Poco::Int64(*a.clock_offset_seconds)) : Var());
  o->set("agent_version", a.agent_version);
  o->set("backlog", static_cast<Poco::Int64>(a.backlog));
  o->set("enrolled_at", formatIsoUtc(a.enrolled_at));
  o->set("revoked", a.revoked);
  return o;
}

Object::Ptr agencyJson(const Agency& a) {
  auto o = orderedObject();
  o->set("code", a.code);
  o->set("name", a.name);
  o->set("type", std::string(toString(a.type.value_or(AgencyType::Other))));
  o->set("parent", textOrNull(a.parent));
  return o;
}

Object::Ptr codeJson(const CodeLine& code) {
  const EnrollCodeRecord& c = code.record;
  auto o = orderedObject();
  o->set("id", code.id);
  o->set("agency", c.agency_code);
  o->set("agency_name", c.agency_name);
  o->set("created_at", formatIsoUtc(c.created_at));
  o->set("expires_at", formatIsoUtc(c.expires_at));
  o->set("used", c.used_at.has_value());
  o->set("used_at", timeOrNull(c.used_at));
  o->set("used_by", textOrNull(c.used_by));
  o->set("revoked_at", timeOrNull(c.revoked_at));
  o->set("state", code.state);
  return o;
}

Object::Ptr certificateJson(const CertificateSighting& sighting, TimePoint now, int expiring_days) {
  auto o = sync::certificateJson(sighting.seen.certificate, now, expiring_days);
  o->set("agent_id", sighting.seen.agent_id);  // extension: which agent reported it
  return o;
}

Object::Ptr tokenJson(const HubToken& token) {
  auto o = sync::tokenJson(token.token);
  o->set("agent_id", token.agent_id);  // extension: which agent reported it
  return o;
}

Object::Ptr revocationSourceJson(const RevocationSourceView& line) {
  const CrlSourceRecord& s = line.source;
  const auto& held = line.held;
  auto o = new Object;
  o->set("url", s.url);
  o->set("configured", s.configured);
  o->set("issuer", s.issuer.empty() ? Var() : Var(s.issuer));
  o->set("this_update", timeOrNull(held ? std::optional(held->list.this_update) : std::nullopt));
  o->set("next_update", timeOrNull(held ? held->list.next_update : std::nullopt));
  o->set("crl_number", held && !held->list.crl_number.empty() ? Var(held->list.crl_number) : Var());
  o->set("entries", held ? Var(held->entries) : Var());
  o->set("revoked_certificates", held ? Var(line.revoked_certificates) : Var());
  o->set("last_fetch", timeOrNull(s.last_fetch));
  o->set("outcome", s.outcome ? Var(std::string(toString(*s.outcome))) : Var());
  o->set("detail", s.detail.empty() ? Var() : Var(s.detail));
  o->set("next_fetch", timeOrNull(s.next_fetch));
  return o;
}

Object::Ptr expiringJson(const ExpiringCertificate& e, TimePoint now) {
  const auto& c = e.certificate.certificate;
  auto o = orderedObject();
  o->set("agency", e.agency_code);
  o->set("agency_name", e.agency_name);
  o->set("fingerprint_sha256", c.fingerprint_sha256);
  o->set("common_name", c.common_name);
  o->set("organization", c.organization);
  o->set("kind", std::string(toString(c.kind)));
  o->set("not_after", formatIsoUtc(c.not_after));
  o->set("days_left", static_cast<Poco::Int64>(c.daysLeft(now)));
  o->set("token_serial", e.certificate.token_serial);
  o->set("present", e.certificate.present);
  return o;
}

Object::Ptr alertJson(const AlertLine& line, Language language, TimePoint at) {
  const AlertChange& a = line.held.alert;
  auto o = orderedObject();
  o->set("agency", line.held.agency_code);
  o->set("agency_name", line.held.agency_name);
  o->set("agent_id", line.held.agent_id);
  o->set("id", a.uuid);
  o->set("kind", std::string(toString(a.kind)));
  o->set("severity", std::string(toString(a.severity)));
  o->set("fingerprint_sha256", optionalText(a.fingerprint));
  o->set("token_serial", optionalText(a.token_serial));
  o->set("module", optionalText(a.module));
  o->set("threshold_days", a.threshold_days ? Var(*a.threshold_days) : Var());
  o->set("message", alertMessage(language, a.text(), at));
  o->set("raised_at", formatIsoUtc(a.raised_at));
  o->set("changed_at", formatIsoUtc(a.changed_at));
  o->set("state", std::string(toString(line.state)));
  o->set("snoozed_until", line.state == AlertState::Snoozed ? timeOrNull(a.snoozed_until) : Var());
  o->set("resolution", optionalText(a.resolution));
  return o;
}

Object::Ptr requestJson(const RequestLine& line) {
  const HubRequest& h = line.held;
  const Request& r = h.request;
  auto o = orderedObject();
  o->set("id", r.id);
  o->set("agency", h.agency_code);
  o->set("agency_name", h.agency_name);
  o->set("agent_id", h.agent_id);
  o->set("kind", std::string(toString(r.kind)));
  o->set("state", std::string(toString(r.state)));
  o->set("form", std::string(toString(h.form)));
  o->set("subscriber",
         r.kind == RequestKind::NewCertificate ? Var(std::string(toString(r.subscriber))) : Var());
  o->set("fingerprint_sha256", textOrNull(r.fingerprint_sha256));
  o->set("token_serial", textOrNull(r.token_serial));
  o->set("change_case", nameOrNull(r.change_case));
  o->set("revocation_reason", nameOrNull(r.revocation_reason));
  o->set("created_at", formatIsoUtc(r.created_at));
  o->set("received_at", timeOrNull(r.received_at));
  o->set("due_date", h.due_date ? Var(formatDate(*h.due_date)) : Var());
  o->set("overdue", line.overdue);
  o->set("handled_by", std::string(toString(r.handled_by)));
  // The rejection or cancellation reason; for a revocation not (yet) refused, why it is
  // revoked (docs/requests.md).
  std::string reason = r.reason;
  if (reason.empty() && r.revocation_reason) reason = toString(*r.revocation_reason);
  o->set("reason", textOrNull(reason));
  o->set("reference", textOrNull(h.reference));
  Object::Ptr fields = new Object;
  for (const auto& [key, value] : r.fields) fields->set(key, value);
  o->set("fields", fields);
  Poco::JSON::Array supersedes;
  for (const auto& id : h.supersedes) supersedes.add(id);
  o->set("supersedes", supersedes);
  Poco::JSON::Array history;
  for (const auto& e : h.history) {
    auto event = orderedObject();
    event->set("event", e.event);
    event->set("at", formatIsoUtc(e.at));
    event->set("by", e.by);
    event->set("reason", textOrNull(e.reason));
    event->set("reference", textOrNull(e.reference));
    history.add(event);
  }
  o->set("history", history);
  return o;
}

Object::Ptr mergerJson(const PublishedMerger& published) {
  auto o = orderedObject();
  o->set("merger", sync::mergerJson(published.merger));
  o->set("agents", published.agents);
  return o;
}

Object::Ptr mergerProgressJson(const MergerProgress& progress) {
  auto o = orderedObject();
  o->set("merger", sync::mergerJson(progress.kept.merger));
  o->set("agents", progress.kept.agents);
  o->set("published_by", progress.kept.published_by);
  o->set("published_at", formatIsoUtc(progress.kept.published_at));
  int arrived = 0;
  Array::Ptr units = new Array;
  for (const MergerUnitProgress& unit : progress.units) {
    auto u = orderedObject();
    u->set("code", unit.unit.code);
    u->set("name", unit.unit.name);
    u->set("merged", unit.merged);
    u->set("new", unit.formed);
    if (unit.batch) {
      ++arrived;
      auto batch = orderedObject();
      batch->set("requests", unit.batch->requests);
      batch->set("arrived_at", timeOrNull(unit.batch->arrived_at));
      Array::Ptr counts = new Array;
      for (const BatchCount& count : unit.batch->counts) {
        auto c = orderedObject();
        c->set("kind", std::string(toString(count.kind)));
        c->set("state", std::string(toString(count.state)));
        c->set("count", count.count);
        counts->add(c);
      }
      batch->set("counts", counts);
      u->set("batch", batch);
    } else {
      u->set("batch", Var());
    }
    units->add(u);
  }
  o->set("units_arrived", arrived);
  o->set("units", units);
  return o;
}

Object::Ptr reportStatusJson(const AgencyReportStatus& status, int year) {
  const std::optional<ReportVersion>& stored = status.latest;
  auto o = orderedObject();
  o->set("agency", status.agency.code);
  o->set("agency_name", status.agency.name);
  o->set("type", std::string(toString(status.agency.type.value_or(AgencyType::Other))));
  o->set("year", year);
  o->set("state", std::string(toString(status.state)));
  o->set("version", stored ? Var(stored->version) : Var());
  o->set("versions", status.versions);
  o->set("as_of", timeOrNull(stored ? std::optional(stored->as_of) : std::nullopt));
  o->set("submitted_at", timeOrNull(stored ? std::optional(stored->submitted_at) : std::nullopt));
  o->set("received_at", timeOrNull(stored ? std::optional(stored->received_at) : std::nullopt));
  o->set("staleness_days",
         status.staleness_days ? Var(Poco::Int64(*status.staleness_days)) : Var());
  o->set("draft_saved_at", timeOrNull(status.draft_saved_at));
  return o;
}

Object::Ptr deadlineJson(const DeadlineNotice& notice) {
  auto o = orderedObject();
  o->set("year", notice.year);
  o->set("deadline", formatDate(notice.deadline));
  o->set("remind_from", formatDate(notice.remind_from));
  o->set("agents", notice.agents);
  return o;
}

namespace {

Object::Ptr totalsJson(const sync::ProvinceTotals& t) {
  auto o = orderedObject();
  o->set("certificates_valid", Poco::Int64(t.certificates_valid));
  o->set("certificates_expired", Poco::Int64(t.certificates_expired));
  o->set("tokens", Poco::Int64(t.tokens));
  o->set("tokens_locked", Poco::Int64(t.tokens_locked));
  o->set("renewals_due_next_year", Poco::Int64(t.renewals_due_next_year));
  return o;
}

}  // namespace

Object::Ptr nationalJson(const NationalReport& report) {
  auto o = orderedObject();
  o->set("year", report.year);
  o->set("provinces_reported", int(report.provinces.size()));
  o->set("totals", totalsJson(report.totals));
  Poco::JSON::Array lines;
  for (const auto& p : report.provinces) {
    auto line = orderedObject();
    line->set("province", p.stored.province_code);
    line->set("province_name", p.stored.province_name);
    line->set("version", p.stored.version);
    line->set("submitted_at", formatIsoUtc(p.stored.submitted_at));
    line->set("received_at", formatIsoUtc(p.stored.received_at));
    line->set("generated_at", formatIsoUtc(p.stored.generated_at));
    line->set("agencies_expected", p.aggregate.agencies_expected);
    line->set("agencies_reported", p.aggregate.agencies_reported);
    Poco::JSON::Array missing;
    for (const auto& code : p.aggregate.missing) missing.add(code);
    line->set("missing", missing);
    line->set("totals", totalsJson(p.aggregate.totals));
    lines.add(line);
  }
  o->set("by_province", lines);
  return o;
}

Object::Ptr staffAccountJson(const StaffAccount& a, TimePoint now) {
  auto o = orderedObject();
  o->set("name", a.name);
  o->set("role", std::string(toString(a.role)));
  o->set("state", std::string(staffState(a, now)));
  o->set("must_change_password", a.must_change_password);
  o->set("created_at", formatIsoUtc(a.created_at));
  o->set("last_login", timeOrNull(a.last_login));
  o->set("failed_logins", static_cast<Poco::Int64>(a.failed_logins));
  o->set("locked_until", timeOrNull(a.locked_until));
  // The certificate that logs in to the console: null when none is bound.
  if (a.certificate_fingerprint.empty()) {
    o->set("certificate", Poco::Dynamic::Var());
  } else {
    auto certificate = orderedObject();
    certificate->set("fingerprint_sha256", a.certificate_fingerprint);
    certificate->set("subject", a.certificate_subject);
    o->set("certificate", certificate);
  }
  return o;
}

Object::Ptr auditEntryJson(const AuditEntry& e) {
  auto o = orderedObject();
  o->set("seq", static_cast<Poco::Int64>(e.seq));
  o->set("at", formatIsoUtc(e.at));
  o->set("actor", e.actor);
  o->set("action", e.action);
  o->set("agency_code", textOrNull(e.agency_code));
  o->set("target", e.target);
  o->set("detail", e.detail);
  o->set("hash", e.hash);
  return o;
}

namespace {

Object::Ptr figure(std::int64_t count, const std::string& link) {
  auto o = orderedObject();
  o->set("count", static_cast<Poco::Int64>(count));
  o->set("link", link.empty() ? Var() : Var(link));
  return o;
}

}  // namespace

Object::Ptr dashboardJson(const Dashboard& d) {
  auto o = orderedObject();
  o->set("now", formatIsoUtc(d.now));
  Object::Ptr as_of = orderedObject();
  as_of->set("oldest", timeOrNull(d.coverage.oldest_contact));
  as_of->set("newest", timeOrNull(d.coverage.newest_contact));
  o->set("as_of", as_of);

  Object::Ptr agencies = orderedObject();
  agencies->set("with_agent", figure(d.coverage.with_agent, "/api/v1/agencies"));
  agencies->set("without_agent",
                figure(d.coverage.agencies - d.coverage.with_agent, "/api/v1/agencies"));
  o->set("agencies", agencies);
  Object::Ptr stale = figure(d.coverage.stale_agents, "");
  stale->set("days", d.stale_days);
  o->set("stale_agents", stale);

  Object::Ptr certificates = orderedObject();
  certificates->set("expiring_30", figure(d.inventory.expiring_30, "/api/v1/certificates?days=30"));
  certificates->set("expiring_90", figure(d.inventory.expiring_90, "/api/v1/certificates?days=90"));
  // The expired ones, soonest expiry first (those taken off their token too: the list has no
  // filter by token).
  certificates->set("expired_on_token",
                    figure(d.inventory.expired_on_token, "/api/v1/certificates?status=expired"));
  o->set("certificates", certificates);
  Object::Ptr tokens = orderedObject();
  tokens->set("locked", figure(d.inventory.locked_tokens, "/api/v1/tokens?pin_state=locked"));
  o->set("tokens", tokens);

  Object::Ptr requests = orderedObject();
  requests->set("open", figure(d.open_requests, "/api/v1/requests"));
  requests->set("overdue", figure(d.overdue_requests, "/api/v1/requests?overdue=true"));
  Object::Ptr by_state = orderedObject();
  for (const auto& line : d.requests) {
    const std::string state(toString(line.state));
    auto one = figure(line.count, "/api/v1/requests?state=" + state);
    one->set("overdue", static_cast<Poco::Int64>(line.overdue));
    by_state->set(state, one);
  }
  requests->set("by_state", by_state);
  o->set("requests", requests);

  Object::Ptr reports = orderedObject();
  const std::string link = "/api/v1/reports/" + std::to_string(d.year);
  reports->set("year", d.year);
  reports->set("submitted", figure(d.reports.submitted, link));
  reports->set("draft", figure(d.reports.draft_only, link));
  reports->set("missing", figure(d.reports_missing, link));
  o->set("reports", reports);
  return o;
}

}  // namespace cks::hub
