#include "hub/province/report_service.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>

#include "core/time_format.h"
#include "hub/province/staff_service.h"
#include "sync/protocol/feed_items.h"

namespace cks::hub {

std::string_view toString(ReportState state) {
  switch (state) {
    case ReportState::Submitted:
      return "submitted";
    case ReportState::Draft:
      return "draft";
    case ReportState::Missing:
      break;
  }
  return "missing";
}

Status ReportService::checkYear(int year) const {
  if (year < 2000 || year > 2200) {
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "report.bad_year", {std::to_string(year)}));
  }
  return ok();
}

Result<ReportStatus> ReportService::status(int year) const {
  auto agencies = context_.registry.agencies();
  if (!agencies) return tl::unexpected(agencies.error());
  auto versions = context_.reports.reportVersions({year, "", false});
  if (!versions) return tl::unexpected(versions.error());
  auto saved_drafts = context_.reports.reportDrafts(year);
  if (!saved_drafts) return tl::unexpected(saved_drafts.error());
  const std::map<std::string, TimePoint> drafts(saved_drafts->begin(), saved_drafts->end());
  std::map<std::string, const ReportVersion*> latest;
  std::map<std::string, int> counts;
  for (const auto& stored : *versions) {
    latest[stored.agency_code] = &stored;  // ordered by version: the last one is the latest
    ++counts[stored.agency_code];
  }
  const TimePoint now = context_.clock.now();
  ReportStatus view{year, {}, 0};
  for (const auto& agency : *agencies) {
    AgencyReportStatus line{agency, ReportState::Missing, std::nullopt,
                            0,      std::nullopt,         std::nullopt};
    if (const auto draft = drafts.find(agency.code); draft != drafts.end()) {
      line.state = ReportState::Draft;
      line.draft_saved_at = draft->second;
    }
    if (const auto found = latest.find(agency.code); found != latest.end()) {
      line.state = ReportState::Submitted;
      line.latest = *found->second;
      line.versions = counts[agency.code];
      line.staleness_days = std::max(0L, daysBetween(found->second->as_of, now));
      ++view.submitted;
    }
    view.agencies.push_back(std::move(line));
  }
  return view;
}

Result<std::optional<StoredReport>> ReportService::report(int year,
                                                          const std::string& agency_code) const {
  auto latest = context_.reports.reports({year, agency_code, true});
  if (!latest) return tl::unexpected(latest.error());
  if (latest->empty()) return std::optional<StoredReport>();
  return std::optional(std::move(latest->back()));
}

Result<ProvinceReport> ReportService::province(int year) const {
  auto agencies = context_.registry.agencies();
  if (!agencies) return tl::unexpected(agencies.error());
  auto latest = context_.reports.reportFigures({year, "", true});
  if (!latest) return tl::unexpected(latest.error());
  return aggregateProvince(year, *agencies, *latest, context_.clock.now());
}

Result<DeadlineNotice> ReportService::announceDeadline(int year, Date deadline,
                                                       std::optional<Date> remind_from) const {
  DeadlineNotice notice{
      year, deadline, remind_from.value_or(deadline - std::chrono::days(kDefaultReminderDays)), 0};
  if (notice.remind_from > deadline) {
    return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument,
                                           "report.remind_after_deadline",
                                           {formatDate(notice.remind_from), formatDate(deadline)}));
  }
  auto agencies = context_.registry.agencies();
  if (!agencies) return tl::unexpected(agencies.error());
  std::vector<std::string> codes;
  for (const auto& agency : *agencies) codes.push_back(agency.code);
  auto told = context_.registry.tellAgencies(
      codes, "report_deadline",
      sync::encodeItem(sync::ReportDeadlineItem{year, deadline, notice.remind_from}),
      context_.clock.now());
  if (!told) return tl::unexpected(told.error());
  notice.agents = *told;
  CKS_TRY(StaffService(context_).record(
      "report.deadline", "", std::to_string(year),
      formatDate(deadline) + ", reminders from " + formatDate(notice.remind_from)));
  return notice;
}

Result<NationalReport> ReportService::national(int year) const {
  auto provinces = context_.reports.provinceReports({year, "", true});
  if (!provinces) return tl::unexpected(provinces.error());
  NationalReport view{year, {}, {}};
  for (auto& stored : *provinces) {
    // The aggregate as the province sent it, read by the protocol's own codec.
    const std::string where = "store: province report " + stored.province_code;
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    try {
      Poco::JSON::Parser parser;
      body->set("report", parser.parse(stored.report_json));
    } catch (const Poco::Exception& e) {
      return fail(where, ": ", e.displayText());
    }
    body->set("version", stored.version);
    body->set("submitted_at", formatIsoUtc(stored.submitted_at));
    body->set("province", stored.province_code);
    auto aggregate = sync::readProvinceReportSubmitted(body, where);
    if (!aggregate) return tl::unexpected(aggregate.error());
    sync::ProvinceTotals& sum = view.totals;
    const sync::ProvinceTotals& t = aggregate->totals;
    sum.certificates_valid += t.certificates_valid;
    sum.certificates_expired += t.certificates_expired;
    sum.tokens += t.tokens;
    sum.tokens_locked += t.tokens_locked;
    sum.renewals_due_next_year += t.renewals_due_next_year;
    view.provinces.push_back({std::move(stored), std::move(*aggregate)});
  }
  return view;
}

}  // namespace cks::hub
