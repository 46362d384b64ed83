#include "agent/local_api.h"

#include <algorithm>
#include <optional>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "agent/agency_profile.h"
#include "agent/api_secret.h"
#include "agent/merger_api.h"
#include "agent/report_api.h"
#include "agent/request_api.h"
#include "core/time_format.h"
#include "sync/protocol/inventory_json.h"

namespace cks::agent {
namespace {

using sync::certificateJson;
using sync::stringify;
using sync::tokenJson;

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

Poco::JSON::Object::Ptr moduleJson(const store::ModuleStatus& m) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("path", m.path);
  o->set("outcome", m.outcome);
  o->set("detail", m.detail);
  o->set("since", formatIsoUtc(m.since));
  o->set("last_checked", formatIsoUtc(m.last_checked));
  return o;
}

// The alert object of docs/alerts.md; `message` in `language`, counted from `now`.
Poco::JSON::Object::Ptr alertJson(const store::AlertRecord& alert, Language language,
                                  TimePoint now) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto optional = [](const std::string& value) {
    return value.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(value);
  };
  o->set("id", alert.id);
  o->set("kind", std::string(toString(alert.kind)));
  o->set("severity", std::string(toString(alert.severity)));
  o->set("fingerprint_sha256", optional(alert.fingerprint));
  o->set("token_serial", optional(alert.token_serial));
  o->set("threshold_days",
         alert.threshold_days ? Poco::Dynamic::Var(*alert.threshold_days) : Poco::Dynamic::Var());
  o->set("message", alertMessage(language, alert.text(), now));
  o->set("raised_at", formatIsoUtc(alert.raised_at));
  o->set("state", std::string(toString(alert.state)));
  o->set("uuid", alert.uuid);
  o->set("module", optional(alert.module));
  o->set("changed_at", formatIsoUtc(alert.changed_at));
  o->set("snoozed_until", alert.snoozed_until
                              ? Poco::Dynamic::Var(formatIsoUtc(*alert.snoozed_until))
                              : Poco::Dynamic::Var());
  o->set("resolution", optional(alert.resolution));
  Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
  for (const auto& [key, value] : alert.params) params->set(key, value);
  o->set("params", params);
  return o;
}

// The number after `prefix` and before `suffix` in `path` ("/v1/alerts/12/ack" → 12).
std::optional<std::int64_t> idBetween(const std::string& path, const std::string& prefix,
                                      const std::string& suffix) {
  if (path.size() <= prefix.size() + suffix.size() || path.rfind(prefix, 0) != 0 ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  const std::string digits =
      path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  if (digits.empty() || digits.size() > 18 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(digits);
}

void send(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& body) {
  response.setStatus(status);
  response.setContentType("application/json; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.sendBuffer(body.data(), body.size());
}

void sendError(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
               const std::string& code, const std::string& message) {
  Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
  error.set("error", code);
  error.set("message", message);
  send(response, status, stringify(error));
}

class ApiHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiHandler(const LocalApiContext& context) : context_(context) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      const std::string auth = request.get("Authorization", "");
      const std::string prefix = "Bearer ";
      if (auth.compare(0, prefix.size(), prefix) != 0 ||
          !secretsEqual(auth.substr(prefix.size()), context_.secret)) {
        response.set("WWW-Authenticate", "Bearer");
        sendError(response, HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized",
                  "missing or wrong bearer secret (see [api] secret_file)");
        return;
      }
      const Poco::URI uri(request.getURI());
      const std::string& path = uri.getPath();
      const std::string& method = request.getMethod();
      if (method == "GET" && path == "/v1/status") return status(response);
      if (method == "GET" && path == "/v1/tokens") return tokens(response);
      if (method == "GET" && path == "/v1/certificates") return certificates(uri, response);
      if (method == "POST" && path == "/v1/scan") return scan(response);
      if (method == "POST" && path == "/v1/sync") return syncNow(response);
      if (method == "POST" && path == "/v1/enroll") return enroll(request, response);
      if (method == "GET" && path == "/v1/alerts") return alerts(uri, response);
      if (method == "GET" && path == "/v1/events") return events(uri, response);
      if (path == "/v1/requests" || path.rfind("/v1/requests/", 0) == 0) {
        return requests(method, path, request, uri, response);
      }
      if (path.rfind("/v1/mergers/", 0) == 0) return mergers(method, path, request, uri, response);
      if (path.rfind("/v1/reports/", 0) == 0) return reports(method, path, request, uri, response);
      if (method == "POST") {
        if (const auto id = idBetween(path, "/v1/alerts/", "/ack")) {
          return changeAlert(*id, std::nullopt, uri, response);
        }
        if (const auto id = idBetween(path, "/v1/alerts/", "/snooze")) {
          return snooze(*id, request, uri, response);
        }
      }
      sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                method + " " + path + " is not an endpoint of the local API");
    } catch (const std::exception& e) {
      sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal", e.what());
    }
  }

 private:
  template <typename T>
  bool unwrap(Result<T>& result, HTTPServerResponse& response) {
    if (result) return true;
    const ApiReply reply = storeError(result.error());
    send(response, HTTPResponse::HTTPStatus(reply.status), reply.body);
    return false;
  }

  void status(HTTPServerResponse& response) {
    auto last_scan = context_.inventory.lastScan();
    auto modules = context_.inventory.modules();
    auto tokens = context_.inventory.tokens();
    auto certs = context_.inventory.certificates();
    if (!unwrap(last_scan, response) || !unwrap(modules, response) || !unwrap(tokens, response) ||
        !unwrap(certs, response)) {
      return;
    }
    const TimePoint now = context_.clock.now();
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("agent_version", CKS_VERSION);
    o.set("host", context_.config.host_name);
    o.set("started_at", formatIsoUtc(context_.started_at));
    o.set("now", formatIsoUtc(now));
    o.set("last_scan",
          *last_scan ? Poco::Dynamic::Var(formatIsoUtc(**last_scan)) : Poco::Dynamic::Var());
    o.set("scan_interval_seconds", static_cast<Poco::Int64>(context_.config.scan_interval.count()));
    // Only the modules this configuration scans (the store remembers earlier ones too).
    Poco::JSON::Array module_list;
    for (const auto& module : *modules) {
      const auto& configured = context_.config.modules;
      if (context_.config.use_p11kit ||
          std::find(configured.begin(), configured.end(), module.path) != configured.end()) {
        module_list.add(moduleJson(module));
      }
    }
    o.set("modules", module_list);
    int present = 0, expiring = 0, expired = 0;
    for (const auto& t : *tokens) present += t.present ? 1 : 0;
    for (const auto& c : *certs) {
      const auto s = c.certificate.statusAt(now, context_.config.expiring_days);
      expiring += s == CertificateStatus::Expiring ? 1 : 0;
      expired += s == CertificateStatus::Expired ? 1 : 0;
    }
    Poco::JSON::Object counts(Poco::JSON_PRESERVE_KEY_ORDER);
    counts.set("tokens_known", int(tokens->size()));
    counts.set("tokens_present", present);
    counts.set("certificates", int(certs->size()));
    counts.set("certificates_expiring", expiring);
    counts.set("certificates_expired", expired);
    o.set("counts", counts);
    o.set("expiring_days", context_.config.expiring_days);
    o.set("hub", hubStatus());
    auto agency = agencyStatus();
    if (!unwrap(agency, response)) return;
    o.set("agency", *agency);
    o.set("alerts", alertCounts());
    o.set("language", context_.config.language == Language::English ? "en" : "vi");
    send(response, HTTPResponse::HTTP_OK, stringify(o));
  }

  void tokens(HTTPServerResponse& response) {
    auto tokens = context_.inventory.tokens();
    if (!unwrap(tokens, response)) return;
    Poco::JSON::Array list;
    for (const auto& token : *tokens) list.add(tokenJson(token));
    send(response, HTTPResponse::HTTP_OK, stringify(list));
  }

  void certificates(const Poco::URI& uri, HTTPServerResponse& response) {
    int within = -1;
    for (const auto& [name, value] : uri.getQueryParameters()) {
      if (name != "expiring") continue;
      try {
        within = std::stoi(value);
      } catch (const std::exception&) {
        within = -2;
      }
      if (within < 0) {
        return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                         "expiring: \"" + value + "\" is not a number of days");
      }
    }
    auto certs = context_.inventory.certificates();
    if (!unwrap(certs, response)) return;
    const TimePoint now = context_.clock.now();
    Poco::JSON::Array list;
    for (const auto& cert : *certs) {
      if (within >= 0) {
        // "Expiring within N days": still valid now, and gone within N days.
        const auto& c = cert.certificate;
        if (!c.parsed() || now < c.not_before || now >= c.not_after || c.daysLeft(now) > within) {
          continue;
        }
      }
      list.add(certificateJson(cert, now, context_.config.expiring_days));
    }
    send(response, HTTPResponse::HTTP_OK, stringify(list));
  }

  void scan(HTTPServerResponse& response) {
    auto summary = context_.scanner.scan(&context_.stopping);
    if (!summary) {
      return sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "scan",
                       summary.error().message);
    }
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("tokens_present", summary->changes.tokens_present);
    o.set("certificates_present", summary->changes.certificates_present);
    o.set("changes", summary->changes.journal_entries);
    o.set("took_ms", static_cast<Poco::Int64>(summary->took.count()));
    send(response, HTTPResponse::HTTP_OK, stringify(o));
  }

  static Poco::JSON::Object::Ptr syncResultJson(const SyncResult& result) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("outcome", result.outcome);
    o->set("message", result.message);
    o->set("pushed", result.pushed);
    o->set("remaining", result.remaining);
    if (!result.hub_error.empty()) o->set("hub_error", result.hub_error);
    o->set("clock_offset_seconds", result.clock_offset_seconds
                                       ? Poco::Dynamic::Var(*result.clock_offset_seconds)
                                       : Poco::Dynamic::Var());
    return o;
  }

  // Open alerts by severity, the worst of them, and when the rules last ran.
  Poco::JSON::Object::Ptr alertCounts() {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    const TimePoint now = context_.alerts.correctedNow();
    auto open = context_.alerts.alerts().list(false, now);
    int counts[3] = {0, 0, 0};
    if (open) {
      for (const auto& alert : *open) {
        if (alert.state == AlertState::Open) ++counts[int(alert.severity)];
      }
    }
    o->set("open", counts[0] + counts[1] + counts[2]);
    o->set("critical", counts[int(Severity::Critical)]);
    o->set("warning", counts[int(Severity::Warning)]);
    o->set("info", counts[int(Severity::Info)]);
    const auto evaluated = context_.alerts.lastEvaluated();
    o->set("evaluated_at",
           evaluated ? Poco::Dynamic::Var(formatIsoUtc(*evaluated)) : Poco::Dynamic::Var());
    return o;
  }

  // Who the agency is on its documents (agent/agency_profile.h): every field, empty when
  // unknown, `missing` naming those, and the signer from [agency].
  Result<Poco::JSON::Object::Ptr> agencyStatus() {
    store::Outbox state(context_.inventory);
    auto identity = agencyIdentity(context_.config, state);
    if (!identity) return tl::unexpected(identity.error());
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto field : identityFieldNames()) {
      o->set(std::string(field), identityField(*identity, field));
    }
    Poco::JSON::Array::Ptr missing = new Poco::JSON::Array;
    for (const auto& field : missingIdentityFields(*identity)) missing->add(field);
    o->set("missing", missing);
    o->set("signer_title", context_.config.signer_title);
    o->set("signer",
           context_.config.signer.empty() ? context_.config.form_signer : context_.config.signer);
    return o;
  }

  Poco::JSON::Object::Ptr hubStatus() {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    const auto enrollment = context_.hub.enrollment();
    o->set("enrolled", enrollment.has_value());
    if (enrollment) {
      o->set("url", enrollment->hub_url);
      o->set("agent_id", enrollment->agent_id);
      o->set("agency_code", enrollment->agency_code);
      o->set("agency_name", enrollment->agency_name);
    }
    const auto backlog = context_.hub.backlog();
    o->set("backlog", backlog ? *backlog : -1);
    const auto offset = context_.hub.clockOffsetSeconds();
    o->set("clock_offset_seconds", offset ? Poco::Dynamic::Var(*offset) : Poco::Dynamic::Var());
    const auto last = context_.hub.lastResult();
    o->set("last_sync", last ? Poco::Dynamic::Var(syncResultJson(*last)) : Poco::Dynamic::Var());
    // The hub refuses this PC (revoked): every sync fails until it enrols again (--force).
    if (const auto refusal = context_.hub.refusal()) {
      Poco::JSON::Object::Ptr refused = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      refused->set("since", formatIsoUtc(refusal->since));
      refused->set("message", refusal->message);
      o->set("refused", refused);
    } else {
      o->set("refused", Poco::Dynamic::Var());
    }
    return o;
  }

  void syncNow(HTTPServerResponse& response) {
    send(response, HTTPResponse::HTTP_OK, stringify(syncResultJson(context_.hub.syncNow())));
  }

  void enroll(HTTPServerRequest& request, HTTPServerResponse& response) {
    if (request.getContentLength() > (1 << 20)) {
      return sendError(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
                       "an enrolment request is a few kilobytes");
    }
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    std::string hub_url, code, hub_ca;
    bool force = false;
    try {
      Poco::JSON::Parser parser;
      const auto o = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
      hub_url = o->optValue<std::string>("hub", "");
      code = o->optValue<std::string>("code", "");
      hub_ca = o->optValue<std::string>("hub_ca", "");
      force = o->optValue<bool>("force", false);
    } catch (const Poco::Exception& e) {
      return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                       "body: " + e.displayText());
    }
    if (hub_url.rfind("https://", 0) != 0 || code.empty() || hub_ca.empty()) {
      return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                       "need \"hub\" (https://…), \"code\" and \"hub_ca\" (PEM)");
    }
    auto enrolled = context_.hub.enroll(hub_url, code, hub_ca, force);
    if (!enrolled) {
      const auto& result = enrolled.error();
      const auto status = result.outcome == "unreachable" ? HTTPResponse::HTTP_BAD_GATEWAY
                          : result.outcome == "refused"   ? HTTPResponse::HTTP_FORBIDDEN
                                                          : HTTPResponse::HTTP_CONFLICT;
      // cksctl words the reason in the officer's language; the message is the technical detail.
      Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
      error.set("error", result.outcome);
      error.set("reason", result.reason);
      error.set("message", result.message);
      if (!result.enrolled_hub.empty()) error.set("hub", result.enrolled_hub);
      return send(response, status, stringify(error));
    }
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("hub", enrolled->hub_url);
    o.set("agent_id", enrolled->agent_id);
    o.set("agency_code", enrolled->agency_code);
    o.set("agency_name", enrolled->agency_name);
    send(response, HTTPResponse::HTTP_OK, stringify(o));
  }

  // ?lang=en|vi, else the agent's language.
  Language language(const Poco::URI& uri) {
    Language language = context_.config.language;
    for (const auto& [name, value] : uri.getQueryParameters()) {
      if (name == "lang") (void)parseLanguage(value, language);
    }
    return language;
  }

  void alerts(const Poco::URI& uri, HTTPServerResponse& response) {
    // Default: state open only (the `cksctl alerts` contract); unresolved=1 adds acknowledged
    // and snoozed ones (the tray marks them seen); all=1 adds resolved ones too.
    bool all = false;
    bool unresolved = false;
    for (const auto& [name, value] : uri.getQueryParameters()) {
      const bool yes = value != "0" && value != "false";
      if (name == "all") all = yes;
      if (name == "unresolved") unresolved = yes;
    }
    const TimePoint now = context_.alerts.correctedNow();
    auto list = context_.alerts.alerts().list(all, now);
    if (!unwrap(list, response)) return;
    Poco::JSON::Array out;
    for (const auto& alert : *list) {
      if (!all && !unresolved && alert.state != AlertState::Open) continue;
      out.add(alertJson(alert, language(uri), now));
    }
    send(response, HTTPResponse::HTTP_OK, stringify(out));
  }

  // Acknowledge (no `until`) or snooze until `until`.
  void changeAlert(std::int64_t id, std::optional<TimePoint> until, const Poco::URI& uri,
                   HTTPServerResponse& response) {
    const TimePoint now = context_.alerts.correctedNow();
    auto& store = context_.alerts.alerts();
    auto changed = until ? store.snooze(id, *until, now) : store.acknowledge(id, now);
    if (!changed && changed.error().code == ErrorCode::FailedPrecondition) {
      return sendError(response, HTTPResponse::HTTPStatus(httpStatus(changed.error().code)),
                       "resolved", changed.error().message);
    }
    if (!unwrap(changed, response)) return;  // busy or locked store: 503, try again
    if (!*changed) {
      return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                       "no alert " + std::to_string(id) + " (see GET /v1/alerts?all=1)");
    }
    context_.alerts.eventsWritten();
    context_.hub.changed();
    send(response, HTTPResponse::HTTP_OK, stringify(alertJson(**changed, language(uri), now)));
  }

  void snooze(std::int64_t id, HTTPServerRequest& request, const Poco::URI& uri,
              HTTPServerResponse& response) {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body, 4096);
    int days = 0;
    try {
      const auto o = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
      days = o->optValue<int>("days", 0);
    } catch (const Poco::Exception& e) {
      return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                       "body: " + e.displayText() + " (expected {\"days\": N})");
    }
    if (days < 1 || days > 365) {
      return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                       "days: expected a number of days from 1 to 365");
    }
    changeAlert(id, context_.alerts.correctedNow() + std::chrono::days(days), uri, response);
  }

  // /v1/requests[/ID[/cancel]] (docs/local-api.md, "Requests").
  void requests(const std::string& method, const std::string& path, HTTPServerRequest& request,
                const Poco::URI& uri, HTTPServerResponse& response) {
    RequestApi api(context_.config, context_.inventory);
    const std::string rest = path.size() > 13 ? path.substr(13) : std::string();
    const std::string cancel_suffix = "/cancel";
    const bool cancel =
        rest.size() > cancel_suffix.size() &&
        rest.compare(rest.size() - cancel_suffix.size(), cancel_suffix.size(), cancel_suffix) == 0;
    const std::string id = cancel ? rest.substr(0, rest.size() - cancel_suffix.size()) : rest;
    if (id.find('/') != std::string::npos) {
      return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                       method + " " + path + " is not an endpoint of the local API");
    }
    ApiReply reply;
    if (method == "POST" && (rest.empty() || cancel)) {
      if (request.getContentLength() > (1 << 16)) {
        return sendError(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
                         "a request is a few kilobytes");
      }
      std::string body;
      Poco::StreamCopier::copyToString(request.stream(), body, 1 << 16);
      const TimePoint now = context_.alerts.correctedNow();
      reply =
          cancel ? api.cancel(id, body, language(uri), now) : api.file(body, language(uri), now);
      if (reply.status == 200 || reply.status == 201) context_.hub.changed();
    } else if (method == "GET" && rest.empty()) {
      reply = api.list();
    } else if (method == "GET" && !cancel) {
      reply = api.show(id);
    } else {
      return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                       method + " " + path + " is not an endpoint of the local API");
    }
    send(response, HTTPResponse::HTTPStatus(reply.status), reply.body);
  }

  // /v1/mergers/plan, /v1/mergers/apply, /v1/mergers/published (docs/requests.md, "Merger
  // batches"). A plan of a few hundred certificates is some hundred kilobytes.
  void mergers(const std::string& method, const std::string& path, HTTPServerRequest& request,
               const Poco::URI& uri, HTTPServerResponse& response) {
    MergerApi api(context_.config, context_.inventory);
    ApiReply reply;
    if (method == "GET" && path == "/v1/mergers/published") {
      reply = api.published();
    } else if (method == "POST" && (path == "/v1/mergers/plan" || path == "/v1/mergers/apply")) {
      constexpr std::streamsize kLimit = 16 << 20;
      if (request.getContentLength() > kLimit) {
        return sendError(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
                         "a merger plan is at most 16 MiB");
      }
      std::string body;
      Poco::StreamCopier::copyToString(request.stream(), body, kLimit);
      const TimePoint now = context_.alerts.correctedNow();
      if (path == "/v1/mergers/plan") {
        reply = api.plan(body, language(uri), now);
      } else {
        reply = api.apply(body, language(uri), now);
        if (reply.status == 201) context_.hub.changed();
      }
    } else {
      return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                       method + " " + path + " is not an endpoint of the local API");
    }
    send(response, HTTPResponse::HTTPStatus(reply.status), reply.body);
  }

  // /v1/reports/Y, /v1/reports/Y/draft, /v1/reports/Y/entries, /v1/reports/Y/submit
  // (docs/local-api.md, "Reports").
  void reports(const std::string& method, const std::string& path, HTTPServerRequest& request,
               const Poco::URI& uri, HTTPServerResponse& response) {
    const std::string rest = path.substr(std::string("/v1/reports/").size());
    const std::string year_text = rest.substr(0, rest.find('/'));
    const std::string action =
        rest.size() > year_text.size() ? rest.substr(year_text.size() + 1) : std::string();
    int year = 0;
    const bool digits = !year_text.empty() && year_text.size() <= 4 &&
                        year_text.find_first_not_of("0123456789") == std::string::npos;
    if (digits) year = std::stoi(year_text);
    if (!digits || year < kFirstReportYear || year > kLastReportYear) {
      return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_year",
                       "the year in " + path + " must be from 2000 to 2100");
    }
    ReportApi api(context_.config, context_.inventory);
    if (auto refused = api.refuseYear(year, context_.alerts.correctedNow())) {
      return send(response, HTTPResponse::HTTPStatus(refused->status), refused->body);
    }
    ApiReply reply;
    if (method == "GET" && action.empty()) {
      reply = api.show(year);
    } else if (method == "GET" && action == "draft") {
      reply = api.draftReply(year, context_.alerts.correctedNow());
    } else if (method == "POST" && action == "entries") {
      if (request.getContentLength() > (1 << 16)) {
        return sendError(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
                         "the officer's figures are a few kilobytes");
      }
      std::string body;
      Poco::StreamCopier::copyToString(request.stream(), body, 1 << 16);
      reply = api.set(year, body, language(uri), context_.alerts.correctedNow());
      if (reply.status == 200) context_.hub.changed();
    } else if (method == "POST" && action == "submit") {
      reply = api.submit(year, context_.alerts.correctedNow());
      if (reply.status == 201) {
        context_.hub.changed();
        // The reminder of this year resolves now, not at the next minute.
        (void)context_.alerts.evaluate();
      }
    } else {
      return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                       method + " " + path + " is not an endpoint of the local API");
    }
    send(response, HTTPResponse::HTTPStatus(reply.status), reply.body);
  }

  // The event stream: long poll (docs/alerts.md).
  void events(const Poco::URI& uri, HTTPServerResponse& response) {
    std::optional<std::int64_t> after;
    int wait_seconds = 25;
    for (const auto& [name, value] : uri.getQueryParameters()) {
      try {
        if (name == "after") after = std::stoll(value);
        if (name == "wait") wait_seconds = std::clamp(std::stoi(value), 0, 60);
      } catch (const std::exception&) {
        return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                         name + ": \"" + value + "\" is not a number");
      }
    }
    auto& store = context_.alerts.alerts();
    auto last = store.lastEventSeq();
    if (!unwrap(last, response)) return;
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Array list;
    if (after) {
      // A cursor from before the store was replaced: everything from the start.
      if (*after > *last) after = 0;
      if (*after == *last && wait_seconds > 0 && !context_.stopping) {
        (void)context_.alerts.waitForEvents(*after, std::chrono::seconds(wait_seconds));
      }
      const TimePoint now = context_.alerts.correctedNow();
      auto events = store.eventsAfter(*after, 500, now);
      if (!unwrap(events, response)) return;
      for (const auto& event : *events) {
        Poco::JSON::Object::Ptr e = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        e->set("seq", event.seq);
        e->set("type", event.type);
        e->set("at", formatIsoUtc(event.at));
        e->set("alert", alertJson(event.alert, language(uri), now));
        list.add(e);
      }
      o.set("cursor", events->empty() ? *after : events->back().seq);
    } else {
      o.set("cursor", *last);
    }
    o.set("events", list);
    send(response, HTTPResponse::HTTP_OK, stringify(o));
  }

  const LocalApiContext& context_;
};

class ApiHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiHandlerFactory(const LocalApiContext& context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new ApiHandler(context_);
  }

 private:
  const LocalApiContext& context_;
};

}  // namespace

Result<std::unique_ptr<LocalApi>> LocalApi::start(LocalApiContext context) {
  std::unique_ptr<LocalApi> api(
      new LocalApi(std::make_unique<LocalApiContext>(std::move(context))));
  const auto port = static_cast<Poco::UInt16>(api->context_->config.api_port);
  try {
    // Loopback only: the API is for programs on this PC, never the network. Poco's
    // ServerSocket(address) sets SO_REUSEPORT too, which let a second agent listen on the same
    // port and take half of the requests: reuse the address (restart during TIME_WAIT), never
    // the port.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", port), true, false);
    socket.listen(16);
    auto params = new Poco::Net::HTTPServerParams;
    // Each cks-tray holds one thread in a long poll of the event stream.
    params->setMaxThreads(16);
    params->setMaxQueued(32);
    params->setKeepAlive(false);
    params->setTimeout(Poco::Timespan(10, 0));
    api->server_ = std::make_unique<Poco::Net::HTTPServer>(new ApiHandlerFactory(*api->context_),
                                                           socket, params);
    api->server_->start();
  } catch (const Poco::Exception& e) {
    return fail("local api: listen on 127.0.0.1:", std::to_string(port), ": ", e.displayText(),
                " (is another cks-agent running? change [api] port)");
  }
  return api;
}

LocalApi::~LocalApi() { stop(); }

void LocalApi::stop() {
  if (server_) {
    server_->stopAll(true);
    server_.reset();
  }
}

}  // namespace cks::agent
