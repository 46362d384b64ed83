#include "agent/report_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "agent/agency_profile.h"
#include "core/time_format.h"
#include "store/outbox.h"
#include "store/reports.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/report_json.h"

namespace cks::agent {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr parsed(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
}

Object::Ptr entriesObject(const OfficerEntries& entries) {
  return parsed(store::officerEntriesJson(entries));
}

}  // namespace

Result<ReportDueDates> reportDueDates(const AgentConfig& config, store::Inventory& inventory,
                                      int year) {
  ReportDueDates dates;
  dates.year = year;
  dates.remind_from = Date(std::chrono::year(year) / config.report.remind_from);
  dates.deadline = Date(std::chrono::year(year) / config.report.deadline);
  auto pushed = store::Outbox(inventory).state(kReportDeadlineKeyPrefix + std::to_string(year));
  if (!pushed) return tl::unexpected(pushed.error());
  if (*pushed) {
    // Written by the feed from an item it had checked: readable unless the store is damaged,
    // and then the configuration's dates stand.
    try {
      const auto o = parsed(**pushed);
      const auto remind_from = parseDate(o->optValue<std::string>("remind_from", ""));
      const auto deadline = parseDate(o->optValue<std::string>("deadline", ""));
      if (remind_from && deadline) {
        dates.remind_from = *remind_from;
        dates.deadline = *deadline;
        dates.from_province = true;
      }
    } catch (const Poco::Exception&) {
    }
  }
  return dates;
}

Result<std::optional<AlertCondition>> reportDueCondition(const AgentConfig& config,
                                                         store::Inventory& inventory,
                                                         TimePoint now) {
  if (!config.report.reminder) return std::optional<AlertCondition>();
  store::Reports reports(inventory);
  auto since = reports.watchingSince();
  if (!since) return tl::unexpected(since.error());
  if (!*since) return std::optional<AlertCondition>();
  const int this_year = int(std::chrono::year_month_day(vietnamDate(now)).year());
  std::optional<ReportDueDates> due;
  for (const int year : {this_year - 1, this_year}) {
    auto dates = reportDueDates(config, inventory, year);
    if (!dates) return tl::unexpected(dates.error());
    if (vietnamMidnight(dates->remind_from) <= now) due = *dates;
  }
  // A report whose deadline was over before the agent's first scan was the agency's business
  // before cks (a new agent must not greet the officer with last year's report).
  if (!due || vietnamMidnight(due->deadline + std::chrono::days(1)) <= **since) {
    return std::optional<AlertCondition>();
  }
  auto versions = reports.versions(due->year);
  if (!versions) return tl::unexpected(versions.error());
  if (!versions->empty()) return std::optional<AlertCondition>();
  auto condition = AlertCondition::about(AlertKind::ReportDue, "", "");
  condition.threshold_days = due->year;
  condition.params = {{"year", std::to_string(due->year)}, {"deadline", formatDate(due->deadline)}};
  return std::optional<AlertCondition>(std::move(condition));
}

Result<ReportYears> acceptedReportYears(store::Inventory& inventory, TimePoint now) {
  const auto yearOf = [](TimePoint at) {
    return int(std::chrono::year_month_day(vietnamDate(at)).year());
  };
  auto first = store::Reports(inventory).firstRecord();
  if (!first) return tl::unexpected(first.error());
  const int this_year = yearOf(now);
  ReportYears years{this_year, this_year + 1};
  // A record dated after now (a PC whose clock ran ahead) does not narrow the range.
  if (*first) years.first = std::min(this_year, std::max(kFirstReportYear, yearOf(**first)));
  return years;
}

std::optional<ApiReply> ReportApi::refuseYear(int year, TimePoint now) {
  auto years = acceptedReportYears(inventory_, now);
  if (!years) return storeError(years.error());
  if (years->contains(year)) return std::nullopt;
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("error", "year_out_of_range");
  o.set("message", "year " + std::to_string(year) + ": this agency reports on " +
                       std::to_string(years->first) + " to " + std::to_string(years->last) +
                       " (from its first record to next year)");
  o.set("year", year);
  o.set("first_year", years->first);
  o.set("last_year", years->last);
  return ApiReply{400, sync::stringify(o)};
}

Result<YearlyReport> ReportApi::draft(int year, TimePoint now) {
  ReportInputs inputs;
  store::Outbox state(inventory_);
  auto identity = agencyIdentity(config_, state);
  if (!identity) return tl::unexpected(identity.error());
  // The report's JSON needs a code and a name; the documents show the unknown ones as such.
  inputs.agency_code = identity->code.empty() ? config_.host_name : identity->code;
  inputs.agency_name = identity->name.empty() ? config_.host_name : identity->name;
  inputs.year = year;
  inputs.as_of = now;
  auto certificates = inventory_.certificates();
  if (!certificates) return tl::unexpected(certificates.error());
  inputs.certificates = std::move(*certificates);
  auto tokens = inventory_.tokens();
  if (!tokens) return tl::unexpected(tokens.error());
  inputs.tokens = std::move(*tokens);
  store::Reports reports(inventory_);
  auto requests = reports.requests();
  if (!requests) return tl::unexpected(requests.error());
  inputs.requests = std::move(*requests);
  auto entries = reports.entries(year);
  if (!entries) return tl::unexpected(entries.error());
  inputs.officer = std::move(*entries);
  inputs.calendar = WorkingDayCalendar::vietnam();
  inputs.expiring_within_days = config_.expiring_days;
  inputs.not_seen_days = int(config_.alerts.token_not_seen.count());
  return draftReport(inputs);
}

ApiReply ReportApi::draftReply(int year, TimePoint now) {
  auto report = draft(year, now);
  if (!report) return storeError(report.error());
  return {200, sync::stringify(sync::reportJson(*report))};
}

ApiReply ReportApi::show(int year) {
  store::Reports reports(inventory_);
  auto entries = reports.entries(year);
  if (!entries) return storeError(entries.error());
  auto versions = reports.versions(year);
  if (!versions) return storeError(versions.error());
  auto due = reportDueDates(config_, inventory_, year);
  if (!due) return storeError(due.error());
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("year", year);
  Object::Ptr dates = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  dates->set("remind_from", formatDate(due->remind_from));
  dates->set("deadline", formatDate(due->deadline));
  dates->set("from_province", due->from_province);
  o.set("due", dates);
  o.set("entries", entriesObject(*entries));
  Array::Ptr list = new Array;
  for (const auto& version : *versions) {
    Object::Ptr v = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    v->set("version", version.version);
    v->set("submitted_at", formatIsoUtc(version.submitted_at));
    v->set("as_of", formatIsoUtc(version.as_of));
    list->add(v);
  }
  o.set("versions", list);
  if (versions->empty()) {
    o.set("latest", Poco::Dynamic::Var());
  } else {
    const auto& last = versions->back();
    Object::Ptr latest = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    latest->set("version", last.version);
    latest->set("submitted_at", formatIsoUtc(last.submitted_at));
    try {
      latest->set("report", parsed(last.report_json));
    } catch (const Poco::Exception& e) {
      return apiError(503, "store",
                      "report " + std::to_string(year) + " version " +
                          std::to_string(last.version) + ": " + e.displayText());
    }
    o.set("latest", latest);
  }
  return {200, sync::stringify(o)};
}

ApiReply ReportApi::set(int year, const std::string& body, Language language, TimePoint now) {
  std::vector<std::string> assignments;
  try {
    const auto o = parsed(body.empty() ? "{}" : body);
    const auto list = o ? o->getArray("set") : nullptr;
    if (!list)
      return apiError(400, "bad_request", "body: expected {\"set\": [\"FIELD=VALUE\", …]}");
    for (size_t i = 0; i < list->size(); ++i) {
      assignments.push_back(list->getElement<std::string>(unsigned(i)));
    }
  } catch (const Poco::Exception& e) {
    return apiError(400, "bad_request", "body: " + e.displayText());
  }
  store::Reports reports(inventory_);
  auto entries = reports.entries(year);
  if (!entries) return storeError(entries.error());
  std::vector<Refusal> refusals;
  for (const auto& assignment : assignments) {
    if (auto refused = applyReportAssignment(*entries, assignment)) {
      refusals.push_back(std::move(*refused));
    }
  }
  // All or nothing: the officer fixes the refused value and sends the line again.
  if (!refusals.empty()) return apiRefused(refusals, language);
  if (auto saved = reports.saveEntries(year, *entries, now); !saved) {
    return storeError(saved.error());
  }
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("year", year);
  o.set("entries", entriesObject(*entries));
  return {200, sync::stringify(o)};
}

ApiReply ReportApi::submit(int year, TimePoint now) {
  auto report = draft(year, now);
  if (!report) return storeError(report.error());
  const auto json = sync::reportJson(*report);
  auto stored = store::Reports(inventory_).submit(*report, sync::stringify(json), now);
  if (!stored) return storeError(stored.error());
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("year", year);
  o.set("version", stored->version);
  o.set("submitted_at", formatIsoUtc(stored->submitted_at));
  o.set("report", json);
  return {201, sync::stringify(o)};
}

}  // namespace cks::agent
