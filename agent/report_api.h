// The local API's yearly-report endpoints (docs/local-api.md, "Reports"; docs/report.md, "Agent
// side"): the draft computed from the inventory, the requests and the officer's figures; the
// officer's figures set; a version frozen and queued for the province. Also when the report is
// due (the configuration, or the dates the province pushed) and the report_due alert that
// follows from it. Answers are JSON bodies with their HTTP status, so the HTTP layer only
// routes. Thread-safe: state lives in the store.
#pragma once

#include <optional>
#include <string>

#include "agent/agent_config.h"
#include "agent/request_api.h"
#include "core/alert_rules.h"
#include "core/clock.h"
#include "core/messages.h"
#include "core/report.h"
#include "core/working_days.h"
#include "store/inventory.h"

namespace cks::agent {

// The years a report may be for (cksctl refuses others with exit 2, the API with 400).
inline constexpr int kFirstReportYear = 2000;
inline constexpr int kLastReportYear = 2100;

// The sync state key (+ the year) under which the dates the province pushed for one year are
// kept (feed item report_deadline): {"deadline": "YYYY-MM-DD", "remind_from": "YYYY-MM-DD"}.
inline constexpr const char* kReportDeadlineKeyPrefix = "report.deadline.";

// When the report of `year` is due, in Vietnam calendar days.
struct ReportDueDates {
  int year = 0;
  Date remind_from{};
  Date deadline{};
  bool from_province = false;  // pushed through the feed, else the configuration's
};

// The dates for `year`: those the province pushed for it, else [report] of the configuration.
[[nodiscard]] Result<ReportDueDates> reportDueDates(const AgentConfig& config,
                                                    store::Inventory& inventory, int year);

// The report_due condition at `now` (hub-corrected): the report of the latest year whose
// reminder has begun (this year's or last year's), while no version of it was submitted and
// unless its deadline was over before the agent's first scan. The year is the alert's
// threshold, so each year's reminder is an alert of its own.
[[nodiscard]] Result<std::optional<AlertCondition>> reportDueCondition(const AgentConfig& config,
                                                                       store::Inventory& inventory,
                                                                       TimePoint now);

// The years an agency may report on at `now` (hub-corrected): from the year of its first record
// (store::Reports::firstRecord; this year in an empty store) to next year, Vietnam time. A typo
// such as 2062 must not reach the province as a report or a draft.
struct ReportYears {
  int first = 0;
  int last = 0;
  [[nodiscard]] bool contains(int year) const { return year >= first && year <= last; }
};
[[nodiscard]] Result<ReportYears> acceptedReportYears(store::Inventory& inventory, TimePoint now);

class ReportApi {
 public:
  ReportApi(const AgentConfig& config, store::Inventory& inventory)
      : config_(config), inventory_(inventory) {}

  // 400 {"error": "year_out_of_range", "message", "year", "first_year", "last_year"} when
  // `year` is outside acceptedReportYears at `now`; nullopt when it is inside.
  [[nodiscard]] std::optional<ApiReply> refuseYear(int year, TimePoint now);

  // The draft of `year` as of `now`: the inventory, the requests with the instant each
  // finished, the officer's saved figures, the agency from the sync state (else this PC's name),
  // the Vietnamese working-day calendar and the configured expiry and not-seen windows.
  [[nodiscard]] Result<YearlyReport> draft(int year, TimePoint now);

  // GET /v1/reports/Y/draft: 200 with the report (sync::reportJson).
  [[nodiscard]] ApiReply draftReply(int year, TimePoint now);
  // GET /v1/reports/Y: {"year", "due": {"remind_from", "deadline", "from_province"}, "entries",
  // "versions": [{"version", "submitted_at", "as_of"}], "latest": {"version", "submitted_at",
  // "report"} or null}.
  [[nodiscard]] ApiReply show(int year);
  // POST /v1/reports/Y/entries with {"set": ["FIELD=VALUE", …]}: 200 {"year", "entries"}, the
  // figures saved at `now` (and the province told a draft is in progress); 422 with every
  // refusal in `language` and nothing saved when any is refused; 400 for another body.
  [[nodiscard]] ApiReply set(int year, const std::string& body, Language language, TimePoint now);
  // POST /v1/reports/Y/submit: the draft at `now` frozen as the next version and queued
  // (store::Reports::submit). 201 {"year", "version", "submitted_at", "report"}.
  [[nodiscard]] ApiReply submit(int year, TimePoint now);

 private:
  const AgentConfig& config_;
  store::Inventory& inventory_;
};

}  // namespace cks::agent
