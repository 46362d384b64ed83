#include "hub/console/console_api.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/labels.h"
#include "core/messages.h"
#include "core/text.h"
#include "core/time_format.h"
#include "hub/hub_messages.h"
#include "hub/province/agency_service.h"
#include "hub/province/alert_service.h"
#include "hub/province/inventory_service.h"
#include "hub/province/report_service.h"
#include "hub/province/request_service.h"
#include "hub/province/staff_service.h"
#include "hub/province/view_json.h"
#include "sync/protocol/json_text.h"

namespace cks::hub {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// What a route's handler works with.
struct Call {
  const ConsoleRequest& request;
  const ConsoleSession& session;
  std::vector<std::string> args;  // the path's {…} segments, in order
  Language language;
  ProvinceContext province;
  int expiring_days;  // [expiry] days: the window of a certificate's "expiring" state
};

using Handler = std::function<ConsoleAnswer(const Call&)>;

struct Route {
  std::string_view method;
  std::string_view pattern;  // "/api/v1/requests/{}/steps": {} is one segment
  StaffRole needed;
  Handler handler;
};

ConsoleAnswer json(int status, const Object& body) {
  ConsoleAnswer answer;
  answer.status = status;
  answer.body = sync::stringify(body);
  return answer;
}
ConsoleAnswer ok(const Object& body) { return json(200, body); }

ConsoleAnswer errorAnswer(int status, std::string_view kind, const std::string& message) {
  Object body;
  body.set("error", std::string(kind));
  body.set("message", message);
  return json(status, body);
}

ConsoleAnswer errorAnswer(const Error& error) {
  return errorAnswer(httpStatus(error.code), errorKindName(error.code), error.message);
}

std::string text(Language language, std::string_view key,
                 std::initializer_list<std::string_view> args = {}) {
  return hubMessage(language, key, args);
}

// The request's language: ?lang=en for English, else Vietnamese.
Language languageOf(const ConsoleRequest& request) {
  const auto lang = request.query.find("lang");
  return lang != request.query.end() && lang->second == "en" ? Language::English
                                                             : Language::Vietnamese;
}

std::string param(const Call& call, const std::string& name) {
  const auto found = call.request.query.find(name);
  return found == call.request.query.end() ? "" : found->second;
}

// The JSON object a request's body holds; InvalidArgument otherwise.
Result<Object::Ptr> bodyObject(const std::string& body, Language language) {
  try {
    auto parsed = Poco::JSON::Parser().parse(body);
    if (auto object = parsed.extract<Object::Ptr>()) return object;
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {
  }
  return tl::unexpected(Error{text(language, "console.bad_body"), ErrorCode::InvalidArgument});
}

std::string member(const Object::Ptr& object, const std::string& name) {
  return object->has(name) && object->get(name).isString() ? object->getValue<std::string>(name)
                                                           : "";
}

// ?limit and ?cursor; InvalidArgument for a limit that is not 1…kMostPageRows.
Result<PageRequest> pageOf(const Call& call) {
  PageRequest page;
  page.cursor = param(call, "cursor");
  const std::string limit = param(call, "limit");
  if (limit.empty()) return page;
  int rows = 0;
  const auto [end, problem] = std::from_chars(limit.data(), limit.data() + limit.size(), rows);
  if (problem != std::errc() || end != limit.data() + limit.size() || rows < 1 ||
      rows > kMostPageRows) {
    return tl::unexpected(
        Error{text(call.language, "console.bad_limit", {limit, std::to_string(kMostPageRows)}),
              ErrorCode::InvalidArgument});
  }
  page.limit = rows;
  return page;
}

// {"items": […], "next_cursor": "…" or null at the end}.
template <typename Item, typename Json>
ConsoleAnswer pageAnswer(const Page<Item>& page, Json render) {
  Object body;
  body.set("items", arrayOf(page.items, render));
  if (page.next_cursor.empty()) {
    body.set("next_cursor", Poco::Dynamic::Var());
  } else {
    body.set("next_cursor", page.next_cursor);
  }
  return ok(body);
}

Object::Ptr sessionJson(const ConsoleSession& session) {
  Object::Ptr body = new Object;
  body->set("name", session.name);
  body->set("role", std::string(toString(session.role)));
  body->set("csrf_token", session.csrf_token);
  body->set("must_change_password", session.must_change_password);
  return body;
}

// ---- Routes ----------------------------------------------------------------------------------

ConsoleAnswer session(const Call& call) { return ok(*sessionJson(call.session)); }

ConsoleAnswer agencies(const Call& call) {
  auto page = pageOf(call);
  if (!page) return errorAnswer(page.error());
  auto all = AgencyService(call.province).list();
  if (!all) return errorAnswer(all.error());
  // The directory is small (a province's few thousand agencies): paged here, by code, the
  // cursor being the last code shown.
  const std::string search = param(call, "search");
  std::vector<Agency> rows;
  for (auto& agency : *all) {
    if (!page->cursor.empty() && agency.code <= page->cursor) continue;
    if (!search.empty() && agency.code.find(search) == std::string::npos &&
        agency.name.find(search) == std::string::npos) {
      continue;
    }
    rows.push_back(std::move(agency));
  }
  std::sort(rows.begin(), rows.end(),
            [](const Agency& a, const Agency& b) { return a.code < b.code; });
  const size_t limit = size_t(page->limit == 0 ? kMostPageRows : page->limit);
  Page<Agency> out;
  if (rows.size() > limit) {
    rows.resize(limit);
    out.next_cursor = rows.back().code;
  }
  out.items = std::move(rows);
  return pageAnswer(out, agencyJson);
}

ConsoleAnswer certificates(const Call& call) {
  auto page = pageOf(call);
  if (!page) return errorAnswer(page.error());
  CertificateQuery query;
  query.scope.agency_code = param(call, "agency");
  query.search = param(call, "search");
  query.page = *page;
  if (const std::string days = param(call, "days"); !days.empty()) {
    int value = -1;
    const auto [end, problem] = std::from_chars(days.data(), days.data() + days.size(), value);
    if (problem != std::errc() || end != days.data() + days.size() || value < 0 ||
        value > kMostExpiringDays) {
      return errorAnswer(
          400, "invalid_argument",
          text(call.language, "console.bad_days", {days, std::to_string(kMostExpiringDays)}));
    }
    query.expiring_within_days = value;
  }
  const std::string sort = param(call, "sort");
  if (sort == "common_name") {
    query.sort = CertificateSort::CommonName;
  } else if (sort == "agency") {
    query.sort = CertificateSort::Agency;
  } else if (!sort.empty() && sort != "not_after") {
    return errorAnswer(400, "invalid_argument", text(call.language, "console.bad_sort", {sort}));
  }
  auto found = InventoryService(call.province).certificatePage(query);
  if (!found) return errorAnswer(found.error());
  const TimePoint now = call.province.clock.now();
  // The admin CLI's shape (its key set is a contract), and which agency and PC saw it: a
  // province-wide list needs both.
  return pageAnswer(*found, [&](const CertificateSighting& sighting) {
    auto o = certificateJson(sighting, now, call.expiring_days);
    o->set("agency", sighting.seen.agency_code);
    o->set("host", sighting.host);
    return o;
  });
}

ConsoleAnswer tokens(const Call& call) {
  auto page = pageOf(call);
  if (!page) return errorAnswer(page.error());
  auto found = InventoryService(call.province).tokenPage({{param(call, "agency"), ""}, *page});
  if (!found) return errorAnswer(found.error());
  return pageAnswer(*found, [](const HubToken& token) {
    auto o = tokenJson(token);
    o->set("agency", token.agency_code);
    return o;
  });
}

ConsoleAnswer alerts(const Call& call) {
  auto page = pageOf(call);
  if (!page) return errorAnswer(page.error());
  const bool resolved = param(call, "resolved") == "true";
  auto found = AlertService(call.province).page({param(call, "agency"), resolved, *page});
  if (!found) return errorAnswer(found.error());
  const TimePoint now = call.province.clock.now();
  return pageAnswer(*found,
                    [&](const AlertLine& line) { return alertJson(line, call.language, now); });
}

ConsoleAnswer requests(const Call& call) {
  auto page = pageOf(call);
  if (!page) return errorAnswer(page.error());
  RequestFilter filter{param(call, "agency"), std::nullopt, "", *page};
  if (const std::string state = param(call, "state"); !state.empty()) {
    RequestState parsed{};
    if (!parseRequestState(state, parsed)) {
      return errorAnswer(400, "invalid_argument",
                         text(call.language, "console.bad_state", {state}));
    }
    filter.state = parsed;
  }
  auto found = RequestService(call.province).page(filter);
  if (!found) return errorAnswer(found.error());
  return pageAnswer(*found, requestJson);
}

ConsoleAnswer request(const Call& call) {
  auto found = RequestService(call.province).request(call.args.at(0));
  if (!found) return errorAnswer(found.error());
  return ok(*requestJson(*found));
}

ConsoleAnswer requestStep(const Call& call) {
  auto body = bodyObject(call.request.body, call.language);
  if (!body) return errorAnswer(body.error());
  RequestStep step;
  step.id = call.args.at(0);
  const std::string to = member(*body, "to");
  if (!parseRequestState(to, step.to)) {
    return errorAnswer(400, "invalid_argument", text(call.language, "console.bad_state", {to}));
  }
  step.by = call.session.name;
  step.reason = member(*body, "reason");
  step.reference = member(*body, "reference");
  // Only the whole id: a page always has it, and a prefix could name another request.
  auto whole = RequestService(call.province).request(step.id);
  if (!whole) return errorAnswer(whole.error());
  auto moved = RequestService(call.province).move(step);
  if (!moved) return errorAnswer(moved.error());
  auto after = RequestService(call.province).request(moved->id);
  if (!after) return errorAnswer(after.error());
  return ok(*requestJson(*after));
}

ConsoleAnswer reports(const Call& call) {
  int year = 0;
  const std::string& typed = call.args.at(0);
  const auto [end, problem] = std::from_chars(typed.data(), typed.data() + typed.size(), year);
  if (problem != std::errc() || end != typed.data() + typed.size() || year < 2000 || year > 2100) {
    return errorAnswer(400, "invalid_argument", text(call.language, "console.bad_year", {typed}));
  }
  auto status = ReportService(call.province).status(year);
  if (!status) return errorAnswer(status.error());
  Object body;
  body.set("year", year);
  body.set("submitted", status->submitted);
  body.set("items", arrayOf(status->agencies, [&](const AgencyReportStatus& line) {
             return reportStatusJson(line, year);
           }));
  return ok(body);
}

ConsoleAnswer audit(const Call& call) {
  auto page = pageOf(call);
  if (!page) return errorAnswer(page.error());
  auto found =
      StaffService(call.province)
          .audit({param(call, "actor"), param(call, "agency"), param(call, "action"), *page});
  if (!found) return errorAnswer(found.error());
  return pageAnswer(*found, auditEntryJson);
}

ConsoleAnswer auditVerify(const Call& call) {
  auto verified = StaffService(call.province).verifyAudit();
  if (!verified) return errorAnswer(verified.error());
  Object body;
  body.set("entries", verified->entries);
  body.set("intact", !verified->first_broken.has_value());
  if (verified->first_broken) {
    body.set("first_broken", *verified->first_broken);
  } else {
    body.set("first_broken", Poco::Dynamic::Var());
  }
  return ok(body);
}

ConsoleAnswer users(const Call& call) {
  auto all = StaffService(call.province).users();
  if (!all) return errorAnswer(all.error());
  Object body;
  const TimePoint now = call.province.clock.now();
  body.set("items", arrayOf(*all, [&](const StaffAccount& account) {
             return staffAccountJson(account, now);
           }));
  body.set("next_cursor", Poco::Dynamic::Var());
  return ok(body);
}

const std::vector<Route>& routes() {
  static const std::vector<Route> table{
      {"GET", "/api/v1/session", StaffRole::Viewer, session},
      {"GET", "/api/v1/agencies", StaffRole::Viewer, agencies},
      {"GET", "/api/v1/certificates", StaffRole::Viewer, certificates},
      {"GET", "/api/v1/tokens", StaffRole::Viewer, tokens},
      {"GET", "/api/v1/alerts", StaffRole::Viewer, alerts},
      {"GET", "/api/v1/requests", StaffRole::Viewer, requests},
      {"GET", "/api/v1/requests/{}", StaffRole::Viewer, request},
      {"POST", "/api/v1/requests/{}/steps", StaffRole::Officer, requestStep},
      {"GET", "/api/v1/reports/{}", StaffRole::Viewer, reports},
      {"GET", "/api/v1/audit", StaffRole::Viewer, audit},
      {"GET", "/api/v1/audit/verify", StaffRole::Viewer, auditVerify},
      {"GET", "/api/v1/users", StaffRole::Admin, users},
  };
  return table;
}

// Whether `path` fits `pattern`, its {} segments appended to `args`.
bool matches(std::string_view pattern, const std::string& path, std::vector<std::string>& args) {
  const auto want = split(std::string(pattern), '/');
  const auto got = split(path, '/');
  if (want.size() != got.size()) return false;
  std::vector<std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "{}") {
      if (got[i].empty()) return false;
      found.push_back(got[i]);
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  args = std::move(found);
  return true;
}

bool changes(const std::string& method) { return method != "GET" && method != "HEAD"; }

}  // namespace

ConsoleAnswer ConsoleApi::openSession(const StaffAccount& account,
                                      const std::string& certificate_fingerprint) const {
  const std::string token = sessions_.open(account, certificate_fingerprint);
  auto opened = sessions_.use(token);
  ConsoleAnswer answer = ok(*sessionJson(*opened));
  answer.session_cookie = token;
  return answer;
}

ConsoleAnswer ConsoleApi::handle(const ConsoleRequest& request) const {
  const Language language = languageOf(request);
  const auto province = [&](const std::string& actor) {
    return provinceContext(store_, clock_, language, actor);
  };
  if (request.path == "/login" && request.method == "POST") {
    auto body = bodyObject(request.body, language);
    if (!body) return errorAnswer(body.error());
    auto account =
        StaffService(province("")).authenticate(member(*body, "name"), member(*body, "password"));
    if (!account) {
      // A wrong name or password is 401, as a missing session is; a locked or disabled
      // account keeps the kind's status (403 / 409) and says why.
      if (account.error().code == ErrorCode::PermissionDenied) {
        return errorAnswer(401, "unauthenticated", account.error().message);
      }
      return errorAnswer(account.error());
    }
    return openSession(*account, "");
  }
  if (request.path == "/login/certificate" && request.method == "POST") {
    auto account = StaffService(province("")).authenticateCertificate(request.client_certificate);
    if (!account) {
      if (account.error().code != ErrorCode::PermissionDenied) return errorAnswer(account.error());
      // No certificate at all: say how to present one; else the service's reason.
      return errorAnswer(401, "unauthenticated",
                         request.client_certificate.empty()
                             ? text(language, "console.certificate_needed")
                             : account.error().message);
    }
    return openSession(*account, request.client_certificate);
  }
  if (request.path == "/logout" && request.method == "POST") {
    sessions_.close(request.session_token);
    ConsoleAnswer answer = ok(Object());
    answer.session_cookie = "";
    return answer;
  }
  if (request.path == "/messages" && request.method == "GET") {
    // The console's texts, which the login page needs before anyone logs in.
    Object body;
    for (const std::string_view key : hubMessageKeys()) {
      if (key.rfind("console.", 0) == 0) body.set(std::string(key), text(language, key));
    }
    return ok(body);
  }
  if (request.path.rfind("/api/v1/", 0) != 0) {
    return errorAnswer(404, "not_found", text(language, "console.no_such_path", {request.path}));
  }

  auto session = sessions_.use(request.session_token);
  if (!session) {
    return errorAnswer(401, "unauthenticated", text(language, "console.login_needed"));
  }
  if (changes(request.method) &&
      (request.csrf_token.empty() || request.csrf_token != session->csrf_token)) {
    return errorAnswer(403, "permission_denied", text(language, "console.csrf"));
  }
  // The account as it is now, not as it was at login: a disabled account's sessions end at
  // their next call, and a role changed or a password reset meanwhile counts at once.
  const auto fresh = StaffService(province(session->name)).user(session->name);
  if (!fresh && fresh.error().code != ErrorCode::NotFound) return errorAnswer(fresh.error());
  if (!fresh || fresh->disabled) {
    sessions_.closeAll(session->name);
    return errorAnswer(401, "unauthenticated", text(language, "console.login_needed"));
  }
  // A certificate session lasts while the account is bound to that certificate.
  if (!session->certificate_fingerprint.empty() &&
      fresh->certificate_fingerprint != session->certificate_fingerprint) {
    sessions_.close(request.session_token);
    return errorAnswer(401, "unauthenticated", text(language, "console.login_needed"));
  }
  session->role = fresh->role;
  session->must_change_password =
      fresh->must_change_password && session->certificate_fingerprint.empty();
  if (request.path == "/api/v1/password" && request.method == "POST") {
    const Call call{request, *session, {}, language, province(session->name), expiring_days_};
    auto body = bodyObject(call.request.body, call.language);
    if (!body) return errorAnswer(body.error());
    auto changed =
        StaffService(call.province)
            .changePassword(session->name, member(*body, "current"), member(*body, "next"));
    if (!changed) return errorAnswer(changed.error());
    sessions_.passwordChanged(request.session_token);
    auto now_session = sessions_.use(request.session_token);
    return ok(*sessionJson(now_session ? *now_session : *session));
  }
  if (session->must_change_password && request.path != "/api/v1/session") {
    return errorAnswer(403, "permission_denied", text(language, "console.change_password"));
  }
  bool path_known = false;
  for (const auto& route : routes()) {
    std::vector<std::string> args;
    if (!matches(route.pattern, request.path, args)) continue;
    path_known = true;
    if (route.method != request.method) continue;
    if (!roleAllows(session->role, route.needed)) {
      return errorAnswer(403, "permission_denied",
                         text(language, "console.role", {toString(route.needed)}));
    }
    const Call call{request,       *session, std::move(args), language, province(session->name),
                    expiring_days_};
    return route.handler(call);
  }
  if (path_known) {
    return errorAnswer(405, "invalid_argument",
                       text(language, "console.method", {request.method, request.path}));
  }
  return errorAnswer(404, "not_found", text(language, "console.no_such_path", {request.path}));
}

}  // namespace cks::hub
