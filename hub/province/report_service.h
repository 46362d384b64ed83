// The yearly reports at the hub (docs/report.md): which agency has submitted, has a draft or is
// missing; the province's aggregate; the deadline told to every agent; and, at a national hub,
// the provinces' aggregates and their totals. Typed in, typed out (province_context.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.h"
#include "core/result.h"
#include "core/working_days.h"
#include "hub/province/province_context.h"
#include "hub/store/hub_store.h"
#include "sync/protocol/report_entries.h"

namespace cks::hub {

// An agency's report of a year: submitted (the hub holds a version); a draft (its officer has
// saved figures, nothing submitted yet; the draft itself stays on the agent); or missing.
enum class ReportState { Submitted, Draft, Missing };

// "submitted", "draft", "missing".
[[nodiscard]] std::string_view toString(ReportState state);

struct AgencyReportStatus {
  Agency agency;
  ReportState state = ReportState::Missing;
  std::optional<ReportVersion> latest;  // Submitted: the latest version (its body: report())
  int versions = 0;
  std::optional<TimePoint> draft_saved_at;
  std::optional<std::int64_t> staleness_days;  // Submitted: days since its figures' as_of
};

struct ReportStatus {
  int year = 0;
  std::vector<AgencyReportStatus> agencies;  // every agency the hub knows, by code
  int submitted = 0;
};

struct DeadlineNotice {
  int year = 0;
  Date deadline{};
  Date remind_from{};
  int agents = 0;  // the agents told
};

// One province's latest aggregate at a national hub, its contract fields decoded.
struct ProvinceLine {
  StoredProvinceReport stored;
  sync::ProvinceReportSubmitted aggregate;
};

struct NationalReport {
  int year = 0;
  sync::ProvinceTotals totals;  // summed over `provinces`
  std::vector<ProvinceLine> provinces;
};

// Without a reminder date, the officer is reminded this long before the deadline.
inline constexpr int kDefaultReminderDays = 30;

class ReportService {
 public:
  explicit ReportService(ProvinceContext context) : context_(context) {}

  // Whether `year` is one reports may be about (2000 to 2200); InvalidArgument otherwise.
  [[nodiscard]] Status checkYear(int year) const;

  // Every agency the hub knows and the state of its report of `year` (no report body read: a
  // province's thousands of reports are listed in the time of their dates).
  [[nodiscard]] Result<ReportStatus> status(int year) const;
  // The latest version of `agency_code`'s report of `year` in full (figures, lists, remarks);
  // nullopt when it has submitted none.
  [[nodiscard]] Result<std::optional<StoredReport>> report(int year,
                                                           const std::string& agency_code) const;
  // The province's aggregate of the latest version of every agency's report of `year`; the
  // agencies the hub knows are the ones expected (typed as the directory says).
  [[nodiscard]] Result<ProvinceReport> province(int year) const;
  // Tells every agent the deadline of `year`'s report (feed item report_deadline); each one
  // reminds its officer from `remind_from` (default: kDefaultReminderDays before) until the
  // report is submitted. InvalidArgument: a reminder after the deadline.
  [[nodiscard]] Result<DeadlineNotice> announceDeadline(int year, Date deadline,
                                                        std::optional<Date> remind_from) const;
  // At a national hub: the latest aggregate each province submitted for `year`, and the
  // contract figures summed.
  [[nodiscard]] Result<NationalReport> national(int year) const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
