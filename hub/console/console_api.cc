#include "hub/console/console_api.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "core/labels.h"
#include "core/messages.h"
#include "core/text.h"
#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "hub/hub_config.h"
#include "hub/hub_messages.h"
#include "hub/province/agency_service.h"
#include "hub/province/alert_service.h"
#include "hub/province/dashboard_service.h"
#include "hub/province/documents.h"
#include "hub/province/enrolment_service.h"
#include "hub/province/inventory_service.h"
#include "hub/province/merger_service.h"
#include "hub/province/report_service.h"
#include "hub/province/request_service.h"
#include "hub/province/staff_service.h"
#include "hub/province/view_json.h"
#include "hub/report_upward.h"
#include "print/report_documents.h"
#include "print/request_forms.h"
#include "print/table_workbook.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/report_json.h"

namespace cks::hub {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The prefixes of the domain labels (core/labels.h) the pages show, served with their texts.
constexpr std::string_view kShownLabels[] = {"alertstate.",    "certstatus.",
                                             "kind.",          "merger.action.",
                                             "pin.",           "report.agency_type.",
                                             "request.kind.",  "request.handled_by.",
                                             "request.state.", "severity."};

// What a route's handler works with.
struct Call {
  const ConsoleRequest& request;
  const ConsoleSession& session;
  std::vector<std::string> args;  // the path's {…} segments, in order
  Language language;
  ProvinceContext province;
  int expiring_days;  // [expiry] days: the window of a certificate's "expiring" state
  const EnrolmentTarget& enrolment;
  const HubConfig& config;
};

using Handler = std::function<ConsoleAnswer(const Call&)>;

// The most days ?stale_days of the dashboard takes (ten years).
constexpr int kMostStaleDays = 3650;

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

bool flag(const Object::Ptr& object, const std::string& name) {
  return object->has(name) && object->get(name).isBoolean() && object->getValue<bool>(name);
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

// ?`name` as `parse` reads it (a domain value's wire name); nullopt when not given;
// InvalidArgument with the catalogue's `message` (the value its {0}) for one it does not read.
template <typename Value, typename Parse>
Result<std::optional<Value>> namedParam(const Call& call, const std::string& name, Parse parse,
                                        std::string_view message) {
  const std::string typed = param(call, name);
  if (typed.empty()) return std::optional<Value>();
  Value value{};
  if (!parse(typed, value)) {
    return tl::unexpected(Error{text(call.language, message, {typed}), ErrorCode::InvalidArgument});
  }
  return std::optional<Value>(value);
}

bool parseTrueFalse(std::string_view typed, bool& out) {
  if (typed != "true" && typed != "false") return false;
  out = typed == "true";
  return true;
}

// The token query ?agency, ?pin_state (a PIN state's wire name) and ?present (true|false);
// InvalidArgument otherwise.
Result<TokenQuery> tokenQueryOf(const Call& call, const PageRequest& page) {
  TokenQuery query{{param(call, "agency"), ""}, page};
  auto pin_state = namedParam<PinState>(call, "pin_state", parsePinState, "console.bad_pin_state");
  if (!pin_state) return tl::unexpected(pin_state.error());
  query.pin_state = *pin_state;
  auto present = namedParam<bool>(call, "present", parseTrueFalse, "console.bad_present");
  if (!present) return tl::unexpected(present.error());
  query.present = *present;
  return query;
}

// The certificate query ?agency, ?search (kLeastSearchCharacters or more), ?days, ?kind and
// ?status (wire names) and ?sort name; InvalidArgument otherwise.
Result<CertificateQuery> certificateQueryOf(const Call& call, const PageRequest& page) {
  CertificateQuery query;
  query.scope.agency_code = param(call, "agency");
  query.search = param(call, "search");
  // Shorter, the text index cannot serve it: a scan of every certificate.
  if (!query.search.empty() && characterCount(query.search) < kLeastSearchCharacters) {
    return tl::unexpected(Error{text(call.language, "console.short_search",
                                     {query.search, std::to_string(kLeastSearchCharacters)}),
                                ErrorCode::InvalidArgument});
  }
  query.page = page;
  if (const std::string days = param(call, "days"); !days.empty()) {
    int value = -1;
    const auto [end, problem] = std::from_chars(days.data(), days.data() + days.size(), value);
    if (problem != std::errc() || end != days.data() + days.size() || value < 0 ||
        value > kMostExpiringDays) {
      return tl::unexpected(
          Error{text(call.language, "console.bad_days", {days, std::to_string(kMostExpiringDays)}),
                ErrorCode::InvalidArgument});
    }
    query.expiring_within_days = value;
  }
  auto kind = namedParam<SubscriberKind>(call, "kind", parseSubscriberKind, "console.bad_kind");
  if (!kind) return tl::unexpected(kind.error());
  query.kind = *kind;
  auto status =
      namedParam<CertificateStatus>(call, "status", parseCertificateStatus, "console.bad_status");
  if (!status) return tl::unexpected(status.error());
  query.status = *status;
  // "expiring" as the rows say it (certificateRowJson).
  query.expiring_days = call.expiring_days;
  const std::string sort = param(call, "sort");
  if (sort == "common_name") {
    query.sort = CertificateSort::CommonName;
  } else if (sort == "agency") {
    query.sort = CertificateSort::Agency;
  } else if (!sort.empty() && sort != "not_after") {
    return tl::unexpected(
        Error{text(call.language, "console.bad_sort", {sort}), ErrorCode::InvalidArgument});
  }
  return query;
}

// The admin CLI's shape (its key set is a contract), and which agency and PC saw it: a
// province-wide list needs both.
Object::Ptr certificateRowJson(const Call& call, const CertificateSighting& sighting) {
  auto o = certificateJson(sighting, call.province.clock.now(), call.expiring_days);
  o->set("agency", sighting.seen.agency_code);
  o->set("host", sighting.host);
  return o;
}

Object::Ptr tokenRowJson(const HubToken& token) {
  auto o = tokenJson(token);
  o->set("agency", token.agency_code);
  return o;
}

ConsoleAnswer exportAnswer(const Call& call, std::string_view name);

ConsoleAnswer certificates(const Call& call) {
  if (!param(call, "format").empty()) return exportAnswer(call, "certificates");
  auto page = pageOf(call);
  if (!page) return errorAnswer(page.error());
  auto query = certificateQueryOf(call, *page);
  if (!query) return errorAnswer(query.error());
  auto found = InventoryService(call.province).certificatePage(*query);
  if (!found) return errorAnswer(found.error());
  return pageAnswer(*found, [&](const CertificateSighting& sighting) {
    return certificateRowJson(call, sighting);
  });
}

ConsoleAnswer tokens(const Call& call) {
  if (!param(call, "format").empty()) return exportAnswer(call, "tokens");
  auto page = pageOf(call);
  if (!page) return errorAnswer(page.error());
  auto query = tokenQueryOf(call, *page);
  if (!query) return errorAnswer(query.error());
  auto found = InventoryService(call.province).tokenPage(*query);
  if (!found) return errorAnswer(found.error());
  return pageAnswer(*found, tokenRowJson);
}

ConsoleAnswer alerts(const Call& call) {
  auto page = pageOf(call);
  if (!page) return errorAnswer(page.error());
  const bool resolved = param(call, "resolved") == "true";
  auto severity = namedParam<Severity>(call, "severity", parseSeverity, "console.bad_severity");
  if (!severity) return errorAnswer(severity.error());
  auto found =
      AlertService(call.province).page({param(call, "agency"), resolved, *page, *severity});
  if (!found) return errorAnswer(found.error());
  const TimePoint now = call.province.clock.now();
  return pageAnswer(*found,
                    [&](const AlertLine& line) { return alertJson(line, call.language, now); });
}

// A request as the admin CLI shows it, and whom it is for (RequestService::holder).
Result<Object::Ptr> requestWithHolder(const Call& call, const RequestLine& line) {
  auto holder = RequestService(call.province).holder(line.held);
  if (!holder) return tl::unexpected(holder.error());
  auto o = requestJson(line);
  o->set("holder", *holder);
  return o;
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
  if (param(call, "overdue") == "true") {
    // Of this page, the overdue ones: a page may then be shorter than its limit.
    std::erase_if(found->items, [](const RequestLine& line) { return !line.overdue; });
  }
  Page<Object::Ptr> rendered;
  rendered.next_cursor = found->next_cursor;
  for (const auto& line : found->items) {
    auto o = requestWithHolder(call, line);
    if (!o) return errorAnswer(o.error());
    rendered.items.push_back(*o);
  }
  return pageAnswer(rendered, [](const Object::Ptr& o) { return o; });
}

ConsoleAnswer request(const Call& call) {
  auto found = RequestService(call.province).request(call.args.at(0));
  if (!found) return errorAnswer(found.error());
  auto o = requestWithHolder(call, *found);
  if (!o) return errorAnswer(o.error());
  return ok(**o);
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
  auto o = requestWithHolder(call, *after);
  if (!o) return errorAnswer(o.error());
  return ok(**o);
}

// The path's year (its first {} segment): 2000 to 2100; InvalidArgument otherwise.
Result<int> yearOf(const Call& call) {
  int year = 0;
  const std::string& typed = call.args.at(0);
  const auto [end, problem] = std::from_chars(typed.data(), typed.data() + typed.size(), year);
  if (problem != std::errc() || end != typed.data() + typed.size() || year < 2000 || year > 2100) {
    return tl::unexpected(
        Error{text(call.language, "console.bad_year", {typed}), ErrorCode::InvalidArgument});
  }
  return year;
}

ConsoleAnswer reports(const Call& call) {
  const auto parsed = yearOf(call);
  if (!parsed) return errorAnswer(parsed.error());
  const int year = *parsed;
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

// ---- Agencies, agents, enrolment codes and users (issue 14 items 2, 8, 10) --------------------

// {"items": […], "next_cursor": null}: a list the hub keeps small (agents, codes, accounts).
template <typename Lines, typename Json>
ConsoleAnswer wholeList(const Lines& lines, Json render) {
  Object body;
  body.set("items", arrayOf(lines, render));
  body.set("next_cursor", Poco::Dynamic::Var());
  return ok(body);
}

// An agency's page: its directory entry, its PCs with their last contact, and the list calls
// of its tokens, certificates, alerts, requests, reports and audit lines.
ConsoleAnswer agency(const Call& call) {
  auto found = AgencyService(call.province).known(call.args.at(0));
  if (!found) return errorAnswer(found.error());
  auto pcs = EnrolmentService(call.province).agentsOf(found->code);
  if (!pcs) return errorAnswer(pcs.error());
  auto body = agencyJson(*found);
  body->set("agents", arrayOf(*pcs, agentJson));
  Object counts;
  counts.set("agents", int(pcs->size()));
  counts.set("agents_revoked", int(std::count_if(pcs->begin(), pcs->end(),
                                                 [](const AgentRecord& a) { return a.revoked; })));
  body->set("counts", counts);
  const std::string agency = "?agency=" + found->code;
  Object links;
  for (const char* list : {"tokens", "certificates", "alerts", "requests", "audit"}) {
    links.set(list, "/api/v1/" + std::string(list) + agency);
  }
  // The yearly report's status of every agency, this one's among them.
  links.set("reports", "/api/v1/reports/" + formatIsoUtc(call.province.clock.now()).substr(0, 4));
  body->set("links", links);
  return ok(*body);
}

// The directory file's text as `admin agencies import FILE.csv` reads it: all rows or none.
ConsoleAnswer agencyImport(const Call& call) {
  auto body = bodyObject(call.request.body, call.language);
  if (!body) return errorAnswer(body.error());
  const std::string file = member(*body, "file");
  // An Excel workbook comes as base64 ("xlsx"), a CSV file as its text ("csv").
  std::string content = member(*body, "csv");
  if (const std::string xlsx = member(*body, "xlsx"); !xlsx.empty()) {
    try {
      std::istringstream encoded(xlsx);
      Poco::Base64Decoder decoder(encoded);
      content.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const Poco::Exception&) {
      return errorAnswer(400, "invalid_argument", text(call.language, "console.bad_body"));
    }
  }
  auto imported = AgencyService(call.province).importFile(content, file.empty() ? "console" : file);
  if (!imported) return errorAnswer(imported.error());
  if (!imported->problems.empty()) {
    Object refusal;
    refusal.set("error", "invalid_argument");
    refusal.set("message", text(call.language, "console.import_problems",
                                {std::to_string(imported->problems.size())}));
    refusal.set("problems", arrayOf(imported->problems, [&](const DirectoryProblem& p) {
                  auto arg = [&](size_t i) -> std::string_view {
                    return i < p.args.size() ? std::string_view(p.args[i]) : std::string_view();
                  };
                  Object::Ptr line = new Object;
                  line->set("line", p.line);
                  line->set("message", hubMessage(call.language, p.key, {arg(0), arg(1)}));
                  return line;
                }));
    return json(400, refusal);
  }
  Object answer;
  answer.set("rows", imported->rows);
  answer.set("added", imported->counts.added);
  answer.set("renamed", imported->counts.renamed);
  answer.set("updated", imported->counts.updated);
  answer.set("unchanged", imported->counts.unchanged);
  return ok(answer);
}

ConsoleAnswer agents(const Call& call) {
  const std::string agency = param(call, "agency");
  const EnrolmentService enrolment(call.province);
  auto list = agency.empty() ? enrolment.agents() : enrolment.agentsOf(agency);
  if (!list) return errorAnswer(list.error());
  return wholeList(*list, agentJson);
}

ConsoleAnswer agentRevoke(const Call& call) {
  const EnrolmentService enrolment(call.province);
  if (auto revoked = enrolment.revokeAgent(call.args.at(0)); !revoked) {
    return errorAnswer(revoked.error());
  }
  auto after = enrolment.agent(call.args.at(0));
  if (!after) return errorAnswer(after.error());
  return ok(*agentJson(*after));
}

ConsoleAnswer codes(const Call& call) {
  auto list = EnrolmentService(call.province).codes();
  if (!list) return errorAnswer(list.error());
  return wholeList(*list, codeJson);
}

// A new code as `admin enroll-code` issues it, told once, with what the commune needs to enrol.
ConsoleAnswer codeIssue(const Call& call) {
  auto body = bodyObject(call.request.body, call.language);
  if (!body) return errorAnswer(body.error());
  CodeRequest request;
  request.agency_code = member(*body, "agency");
  request.name = member(*body, "name");
  request.rename = flag(*body, "rename");
  if (const std::string type = member(*body, "type"); !type.empty()) {
    AgencyType parsed{};
    if (!parseAgencyType(type, parsed)) {
      return errorAnswer(400, "invalid_argument", text(call.language, "bad_type", {type}));
    }
    request.type = parsed;
  }
  if (const std::string ttl = member(*body, "ttl"); !ttl.empty()) {
    if (!parseSeconds(ttl, request.ttl) || !EnrolmentService::validTtl(request.ttl)) {
      return errorAnswer(400, "invalid_argument", text(call.language, "bad_ttl", {ttl}));
    }
  }
  auto issued = EnrolmentService(call.province).issueCode(request);
  if (!issued) return errorAnswer(issued.error());
  Object answer;
  answer.set("code", issued->code);
  answer.set("agency", agencyJson(issued->agency));
  answer.set("expires_at", formatIsoUtc(issued->expires_at));
  answer.set("type_unknown", issued->type_unknown);
  answer.set("hub_url", call.enrolment.hub_url);
  answer.set("hub_ca_fingerprint", call.enrolment.ca_fingerprint);
  answer.set("hub_ca_pem", call.enrolment.ca_pem);
  return ok(answer);
}

ConsoleAnswer codeRevoke(const Call& call) {
  auto revoked = EnrolmentService(call.province).revokeCode(call.args.at(0));
  if (!revoked) return errorAnswer(revoked.error());
  auto answer = codeJson(revoked->code);
  answer->set("already_revoked", revoked->already_revoked);
  return ok(*answer);
}

// An account and its one-time password, the only time it is seen.
ConsoleAnswer issuedPassword(const Call& call, const IssuedPassword& issued) {
  Object answer;
  answer.set("account", staffAccountJson(issued.account, call.province.clock.now()));
  answer.set("password", issued.password);
  return ok(answer);
}

ConsoleAnswer userAdd(const Call& call) {
  auto body = bodyObject(call.request.body, call.language);
  if (!body) return errorAnswer(body.error());
  const std::string role_text = member(*body, "role");
  StaffRole role{};
  if (!parseStaffRole(role_text, role)) {
    return errorAnswer(400, "invalid_argument", text(call.language, "user.bad_role", {role_text}));
  }
  auto issued = StaffService(call.province).addUser(member(*body, "name"), role);
  if (!issued) return errorAnswer(issued.error());
  return issuedPassword(call, *issued);
}

ConsoleAnswer userDisable(const Call& call) {
  const StaffService staff(call.province);
  if (auto done = staff.disable(call.args.at(0)); !done) return errorAnswer(done.error());
  auto after = staff.user(call.args.at(0));
  if (!after) return errorAnswer(after.error());
  return ok(*staffAccountJson(*after, call.province.clock.now()));
}

ConsoleAnswer userReset(const Call& call) {
  auto issued = StaffService(call.province).reset(call.args.at(0));
  if (!issued) return errorAnswer(issued.error());
  return issuedPassword(call, *issued);
}

// ---- The desk: request forms, mergers, yearly reports, exports (issue 14, items 3, 5–7) ----

ConsoleAnswer fileAnswer(std::string bytes, std::string content_type, std::string name) {
  ConsoleAnswer answer;
  answer.body = std::move(bytes);
  answer.content_type = std::move(content_type);
  answer.download_name = std::move(name);
  return answer;
}

constexpr std::string_view kPdf = "application/pdf";
constexpr std::string_view kXlsx =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// print/ works one thread at a time (print/fonts.h): one lock for the whole hub's console.
std::mutex& printLock() {
  static std::mutex lock;
  return lock;
}

// A document print/ writes to a file: written to a scratch file of its own, read back and
// removed.
Result<std::string> printed(const std::function<Status(const std::string& path)>& write,
                            std::string_view extension) {
  const std::lock_guard lock(printLock());
  std::error_code failed;
  const auto path = std::filesystem::temp_directory_path(failed) /
                    ("cks-console-" + newUuid() + std::string(extension));
  if (failed) return tl::unexpected(Error{failed.message(), ErrorCode::Internal});
  const Status written = write(path.string());
  std::string bytes;
  if (written) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream read;
    read << file.rdbuf();
    bytes = read.str();
  }
  std::filesystem::remove(path, failed);
  if (!written) return tl::unexpected(Error{written.error().message, ErrorCode::Internal});
  return bytes;
}

// A CSV field: quoted when it must be, and a leading = + - @ defused so that a spreadsheet
// never runs what an agency wrote as a formula.
std::string csvField(std::string value) {
  if (!value.empty() && std::string_view("=+-@").find(value.front()) != std::string_view::npos) {
    value.insert(0, "'");
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// A field of an exported row as people read it: a domain value by its label in the
// reader's language (a spreadsheet never shows "expiring"), anything else as the list gives it.
std::string fieldText(const Object::Ptr& item, const std::string& field, Language language) {
  if (!item->has(field)) return "";
  const auto value = item->get(field);
  if (value.isEmpty()) return "";
  const std::string shown = value.convert<std::string>();
  static const std::map<std::string, std::string, std::less<>> kLabelled = {
      {"kind", "kind."}, {"pin_state", "pin."}, {"status", "certstatus."}};
  const auto labelled = kLabelled.find(field);
  if (labelled == kLabelled.end()) return shown;
  static const auto keys = messageKeys();
  static const std::set<std::string_view> known(keys.begin(), keys.end());
  const std::string key = labelled->second + shown;
  return known.count(key) != 0 ? message(language, key) : shown;
}

// ?format=csv|xlsx of the certificates or the tokens: every row the list's filters match, not
// one page, in the columns below (the list's field names).
ConsoleAnswer exportAnswer(const Call& call, std::string_view name) {
  const std::string format = param(call, "format");
  if (format != "csv" && format != "xlsx") {
    return errorAnswer(400, "invalid_argument",
                       text(call.language, "console.bad_format", {format}));
  }
  const bool certificate_list = name == "certificates";
  static const std::vector<std::string> kCertificateColumns = {
      "common_name", "organization", "agency",    "host",   "serial",      "fingerprint_sha256",
      "kind",        "not_after",    "days_left", "status", "token_serial"};
  static const std::vector<std::string> kTokenColumns = {
      "agency",    "serial",  "label",     "manufacturer", "model",
      "pin_state", "present", "last_host", "cert_count",   "last_seen"};
  const auto& columns = certificate_list ? kCertificateColumns : kTokenColumns;
  std::vector<Object::Ptr> items;
  PageRequest page{kMostPageRows, ""};
  do {
    if (certificate_list) {
      auto query = certificateQueryOf(call, page);
      if (!query) return errorAnswer(query.error());
      auto found = InventoryService(call.province).certificatePage(*query);
      if (!found) return errorAnswer(found.error());
      for (const auto& sighting : found->items) items.push_back(certificateRowJson(call, sighting));
      page.cursor = found->next_cursor;
    } else {
      auto query = tokenQueryOf(call, page);
      if (!query) return errorAnswer(query.error());
      auto found = InventoryService(call.province).tokenPage(*query);
      if (!found) return errorAnswer(found.error());
      for (const auto& token : found->items) items.push_back(tokenRowJson(token));
      page.cursor = found->next_cursor;
    }
  } while (!page.cursor.empty());
  const std::string file_name = std::string(name) + "." + format;
  // The columns' names in the reader's language; the values keep the list's order.
  std::vector<std::string> headers;
  for (const auto& column : columns)
    headers.push_back(text(call.language, "console.col." + column));
  if (format == "csv") {
    // UTF-8 with a BOM: Excel then reads Vietnamese as written.
    std::string csv = "\xEF\xBB\xBF";
    for (size_t i = 0; i < headers.size(); ++i) csv += (i ? "," : "") + csvField(headers[i]);
    csv += "\r\n";
    for (const auto& item : items) {
      for (size_t i = 0; i < columns.size(); ++i) {
        csv += (i ? "," : "") + csvField(fieldText(item, columns[i], call.language));
      }
      csv += "\r\n";
    }
    return fileAnswer(std::move(csv), "text/csv; charset=utf-8", file_name);
  }
  print::TableWorkbook table;
  table.sheet = std::string(name);
  table.title = text(call.language, "console.ui." + std::string(name));
  table.as_of = text(call.language, "console.as_of",
                     {formatLocalDateTime(call.province.clock.now(), vietnamTimeZone()),
                      std::to_string(items.size())});
  table.headers = headers;
  for (const auto& item : items) {
    std::vector<std::string> row;
    for (const auto& column : columns) row.push_back(fieldText(item, column, call.language));
    table.rows.push_back(std::move(row));
  }
  const std::lock_guard lock(printLock());
  auto bytes = print::renderTableWorkbook(table, std::filesystem::temp_directory_path().string());
  if (!bytes) return errorAnswer(500, "internal", bytes.error().message);
  return fileAnswer(std::move(*bytes), std::string(kXlsx), file_name);
}

// GET /api/v1/requests/{id}/form.pdf: the request's official form (Mẫu 01–06), as the agency
// prints it, from what the hub holds: the agency as [province] names it, the certificates its
// agents reported.
ConsoleAnswer requestForm(const Call& call) {
  auto found = RequestService(call.province).request(call.args.at(0));
  if (!found) return errorAnswer(found.error());
  const HubRequest& held = found->held;
  std::map<std::string, print::RequestedCertificateInfo> certificates;
  CertificateQuery query;
  query.scope.agency_code = held.agency_code;
  query.page = {kMostPageRows, ""};
  do {
    auto page = InventoryService(call.province).certificatePage(query);
    if (!page) return errorAnswer(page.error());
    for (const auto& sighting : page->items) {
      const auto& certificate = sighting.seen.certificate;
      certificates[certificate.certificate.fingerprint_sha256] =
          print::certificateInfoOf(certificate);
    }
    query.page.cursor = page->next_cursor;
  } while (!query.page.cursor.empty());
  print::FormHeader header =
      agencyFormHeader(call.config.province, held.agency_code, held.agency_name, call.language);
  if (held.request.handled_by != HandledBy::Province) {
    header.addressee = label(HandledBy::Provider, Language::Vietnamese);
  }
  auto pdf = printed(
      [&](const std::string& path) {
        return print::writeRequestForm({held.request}, header, certificates, call.language,
                                       call.province.clock.now(), path);
      },
      ".pdf");
  if (!pdf) return errorAnswer(400, "invalid_argument", pdf.error().message);
  return fileAnswer(
      std::move(*pdf), std::string(kPdf),
      "mau-" + std::string(toString(held.form)) + "-" + held.request.id.substr(0, 8) + ".pdf");
}

// POST /api/v1/mergers {"from": [{"code", "name"}…], "into": {"code", "name"}, "keep",
// "decision"}: as `admin merger publish`.
ConsoleAnswer publishMerger(const Call& call) {
  auto body = bodyObject(call.request.body, call.language);
  if (!body) return errorAnswer(body.error());
  const auto unitOf = [](const Object::Ptr& unit) {
    return unit ? MergerUnit{member(unit, "code"), member(unit, "name")} : MergerUnit{};
  };
  MergerNotice notice;
  notice.into = unitOf((*body)->getObject("into"));
  notice.keep = member(*body, "keep");
  notice.decision = member(*body, "decision");
  if (const auto from = (*body)->getArray("from")) {
    for (size_t i = 0; i < from->size(); ++i) {
      notice.from.push_back(unitOf(from->getObject(static_cast<unsigned>(i))));
    }
  }
  auto published = MergerService(call.province).publish(notice);
  if (!published) return errorAnswer(published.error());
  return json(201, *mergerJson(*published));
}

// GET /api/v1/mergers: every merger published, the latest first, each unit with its batch
// (as `admin merger list --json`); the province has a few, so one answer, not pages.
ConsoleAnswer mergers(const Call& call) {
  auto list = MergerService(call.province).list();
  if (!list) return errorAnswer(list.error());
  Object body;
  body.set("items", arrayOf(*list, mergerProgressJson));
  return ok(body);
}

// GET /api/v1/mergers/{id}: one merger and its units' batches.
ConsoleAnswer merger(const Call& call) {
  auto found = MergerService(call.province).merger(call.args.at(0));
  if (!found) return errorAnswer(found.error());
  return ok(*mergerProgressJson(*found));
}

// GET /api/v1/reports/{year}/agencies/{code}: the agency's latest report of the year in full
// (its figures, lists and remarks, as the agent sent it), with its version and dates.
ConsoleAnswer agencyReport(const Call& call) {
  const auto year = yearOf(call);
  if (!year) return errorAnswer(year.error());
  auto status = ReportService(call.province).status(*year);
  if (!status) return errorAnswer(status.error());
  const std::string& code = call.args.at(1);
  for (const auto& line : status->agencies) {
    if (line.agency.code != code) continue;
    auto body = reportStatusJson(line, *year);
    auto full = ReportService(call.province).report(*year, code);
    if (!full) return errorAnswer(full.error());
    body->set("report",
              *full ? Poco::Dynamic::Var(sync::reportJson((*full)->report)) : Poco::Dynamic::Var());
    return ok(*body);
  }
  return errorAnswer(404, "not_found", text(call.language, "console.no_agency", {code}));
}

// GET /api/v1/reports/{year}/province[.xlsx|.pdf]: the aggregate, as `admin report province`.
ConsoleAnswer provinceReport(const Call& call, std::string_view extension) {
  const auto year = yearOf(call);
  if (!year) return errorAnswer(year.error());
  auto aggregate = ReportService(call.province).province(*year);
  if (!aggregate) return errorAnswer(aggregate.error());
  if (extension.empty()) return ok(*sync::provinceReportJson(*aggregate));
  const print::ReportIssuer issuer = provinceIssuer(call.config.province, call.language);
  auto bytes = printed(
      [&](const std::string& path) {
        return extension == ".xlsx"
                   ? print::writeProvinceReportXlsx(*aggregate, call.language, path, issuer)
                   : print::writeProvinceReportPdf(*aggregate, call.language,
                                                   aggregate->generated_at, path, issuer);
      },
      extension);
  if (!bytes) return errorAnswer(bytes.error());
  return fileAnswer(std::move(*bytes), std::string(extension == ".xlsx" ? kXlsx : kPdf),
                    "bao-cao-tinh-" + std::to_string(*year) + std::string(extension));
}

// POST /api/v1/reports/{year}/deadline {"deadline": "YYYY-MM-DD", "remind_from": optional}.
ConsoleAnswer reportDeadline(const Call& call) {
  const auto year = yearOf(call);
  if (!year) return errorAnswer(year.error());
  auto body = bodyObject(call.request.body, call.language);
  if (!body) return errorAnswer(body.error());
  const auto dateOf = [&](const std::string& field) -> Result<std::optional<Date>> {
    const std::string typed = member(*body, field);
    if (typed.empty()) return std::optional<Date>();
    if (auto date = parseDate(typed)) return std::optional<Date>(*date);
    return tl::unexpected(
        Error{text(call.language, "console.bad_date", {field, typed}), ErrorCode::InvalidArgument});
  };
  const auto deadline = dateOf("deadline");
  if (!deadline) return errorAnswer(deadline.error());
  if (!*deadline) {
    return errorAnswer(400, "invalid_argument",
                       text(call.language, "console.bad_date", {"deadline", ""}));
  }
  const auto remind_from = dateOf("remind_from");
  if (!remind_from) return errorAnswer(remind_from.error());
  auto notice = ReportService(call.province).announceDeadline(*year, **deadline, *remind_from);
  if (!notice) return errorAnswer(notice.error());
  return ok(*deadlineJson(*notice));
}

// POST /api/v1/reports/{year}/submit: the aggregate up to the national hub, as `admin report
// submit`. 409 before the hub enrolled with a national hub; 503 when it did not answer (the
// version stays queued for the next sync).
ConsoleAnswer submitReport(const Call& call) {
  const auto year = yearOf(call);
  if (!year) return errorAnswer(year.error());
  auto queued = queueReportUpward(call.config.upstream, call.province, *year);
  if (!queued) return errorAnswer(queued.error());
  const sync::SyncReport report = queued->link->sync(call.province.clock);
  if (report.outcome != sync::SyncReport::Outcome::Ok) {
    return errorAnswer(
        503, "unavailable",
        text(call.language, "report.submit.queued",
             {std::to_string(*year), std::to_string(queued->version), report.message}));
  }
  Object body;
  body.set("year", *year);
  body.set("version", queued->version);
  body.set("agencies_reported", queued->province.agencies_reported);
  body.set("agencies_expected", queued->province.agencies_expected);
  body.set("url", queued->url);
  return ok(body);
}

// ---- Dashboard (issue 14) ---------------------------------------------------------------------

// ?stale_days (1…3650, default 7) and ?year (2000…2100, default the current year).
ConsoleAnswer dashboard(const Call& call) {
  const auto number = [](const std::string& typed, int low, int high) -> std::optional<int> {
    int value = 0;
    const auto [end, problem] = std::from_chars(typed.data(), typed.data() + typed.size(), value);
    if (problem != std::errc() || end != typed.data() + typed.size() || value < low ||
        value > high) {
      return std::nullopt;
    }
    return value;
  };
  int stale_days = DashboardService::kDefaultStaleDays;
  if (const std::string typed = param(call, "stale_days"); !typed.empty()) {
    const auto value = number(typed, 1, kMostStaleDays);
    if (!value) {
      return errorAnswer(
          400, "invalid_argument",
          text(call.language, "console.bad_stale_days", {typed, std::to_string(kMostStaleDays)}));
    }
    stale_days = *value;
  }
  std::optional<int> year;
  if (const std::string typed = param(call, "year"); !typed.empty()) {
    year = number(typed, 2000, 2100);
    if (!year) {
      return errorAnswer(400, "invalid_argument", text(call.language, "console.bad_year", {typed}));
    }
  }
  auto figures = DashboardService(call.province).dashboard(stale_days, year);
  if (!figures) return errorAnswer(figures.error());
  return ok(*dashboardJson(*figures));
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
      // Agencies, agents, enrolment codes and users (issue 14 items 2, 8, 10).
      {"GET", "/api/v1/agencies/{}", StaffRole::Viewer, agency},
      {"POST", "/api/v1/agencies/import", StaffRole::Admin, agencyImport},
      {"GET", "/api/v1/agents", StaffRole::Viewer, agents},
      {"POST", "/api/v1/agents/{}/revoke", StaffRole::Admin, agentRevoke},
      {"GET", "/api/v1/codes", StaffRole::Admin, codes},
      {"POST", "/api/v1/codes", StaffRole::Admin, codeIssue},
      {"POST", "/api/v1/codes/{}/revoke", StaffRole::Admin, codeRevoke},
      {"POST", "/api/v1/users", StaffRole::Admin, userAdd},
      {"POST", "/api/v1/users/{}/disable", StaffRole::Admin, userDisable},
      {"POST", "/api/v1/users/{}/reset", StaffRole::Admin, userReset},
      // The desk: request forms, mergers, yearly reports (exports: ?format on the lists above).
      {"GET", "/api/v1/requests/{}/form.pdf", StaffRole::Viewer, requestForm},
      {"POST", "/api/v1/mergers", StaffRole::Officer, publishMerger},
      {"GET", "/api/v1/mergers", StaffRole::Viewer, mergers},
      {"GET", "/api/v1/mergers/{}", StaffRole::Viewer, merger},
      {"GET", "/api/v1/reports/{}/agencies/{}", StaffRole::Viewer, agencyReport},
      {"GET", "/api/v1/reports/{}/province", StaffRole::Viewer,
       [](const Call& call) { return provinceReport(call, ""); }},
      {"GET", "/api/v1/reports/{}/province.xlsx", StaffRole::Viewer,
       [](const Call& call) { return provinceReport(call, ".xlsx"); }},
      {"GET", "/api/v1/reports/{}/province.pdf", StaffRole::Viewer,
       [](const Call& call) { return provinceReport(call, ".pdf"); }},
      {"POST", "/api/v1/reports/{}/deadline", StaffRole::Officer, reportDeadline},
      {"POST", "/api/v1/reports/{}/submit", StaffRole::Officer, submitReport},
      // Dashboard (issue 14).
      {"GET", "/api/v1/dashboard", StaffRole::Viewer, dashboard},
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
    // The console's texts, which the login page needs before anyone logs in, and the labels
    // of the domain's values that the pages show (a state's wire name is never shown).
    Object body;
    for (const std::string_view key : hubMessageKeys()) {
      // Each placeholder filled with itself: the pages fill them (console.js, t()).
      if (key.rfind("console.", 0) == 0 || key.rfind("user.role.", 0) == 0 ||
          key.rfind("user.state.", 0) == 0) {
        body.set(std::string(key),
                 text(language, key,
                      {"{0}", "{1}", "{2}", "{3}", "{4}", "{5}", "{6}", "{7}", "{8}", "{9}"}));
      }
    }
    for (const std::string_view key : messageKeys()) {
      for (const std::string_view prefix : kShownLabels) {
        if (key.rfind(prefix, 0) == 0) body.set(std::string(key), message(language, key));
      }
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
    const Call call{request,        *session,   {},     language, province(session->name),
                    expiring_days_, enrolment_, config_};
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
    const Call call{request,        *session,   std::move(args), language, province(session->name),
                    expiring_days_, enrolment_, config_};
    return route.handler(call);
  }
  if (path_known) {
    return errorAnswer(405, "invalid_argument",
                       text(language, "console.method", {request.method, request.path}));
  }
  return errorAnswer(404, "not_found", text(language, "console.no_such_path", {request.path}));
}

}  // namespace cks::hub
