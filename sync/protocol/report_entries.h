// A yearly report as an agent pushes it (entry kind report_submitted, docs/report.md "Province
// side"): {"version": N, "submitted_at": "…Z", "report": {…the agency's report…}}; a draft in
// progress (report_draft_saved); and a province's aggregate as a province hub pushes it upward
// to a national hub (entry kind province_report_submitted, docs/report.md "Upward to the
// nation"). Encoded by the agent's store and the hub's upstream link, decoded field by field
// (the report with parseReport) so that a bad body is refused with its path before anything is
// stored. Plain data and pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/report.h"
#include "core/result.h"

namespace cks::sync {

// The most versions one agency may submit for one year: a guard against a runaway agent.
inline constexpr int kMostReportVersions = 10000;

struct ReportSubmitted {
  int version = 1;  // 1 for the first submission of the year, one more for each resubmission
  TimePoint submitted_at{};
  YearlyReport report;
  std::string report_json;  // sync::reportJson(report) as text: what the hub keeps
};

// Reads a report_submitted entry's body; `path` names the body in messages
// ("entries[3].body"): "entries[3].body.report: report: inventory.tokens.locked: expected a
// whole number ≥ 0". Whose report it is (the agency) is checked by the store, which knows the
// pushing agent's agency.
// The report is spliced in as `report_json` holds it (already JSON): the hub reads back exactly
// what the officer froze.
[[nodiscard]] std::string encodeBody(const ReportSubmitted& submitted);
[[nodiscard]] Result<ReportSubmitted> readReportSubmitted(const Poco::JSON::Object::Ptr& body,
                                                          const std::string& path);

// The agency's officer saved figures of the year's report (entry kind report_draft_saved):
// {"year": Y, "saved_at": "…Z"}. The report itself stays on the agent until it is submitted;
// the province only learns that a draft is in progress.
struct ReportDraftSaved {
  int year = 0;
  TimePoint saved_at{};
};

[[nodiscard]] std::string encodeBody(const ReportDraftSaved& saved);
[[nodiscard]] Result<ReportDraftSaved> readReportDraftSaved(const Poco::JSON::Object::Ptr& body,
                                                            const std::string& path);

// The contract figures of a province's aggregate (docs/report.md, the province's JSON).
struct ProvinceTotals {
  int certificates_valid = 0;
  int certificates_expired = 0;
  int tokens = 0;
  int tokens_locked = 0;
  int renewals_due_next_year = 0;
};

// A province's aggregate as its hub submits it upward:
// {"version": N, "submitted_at": "…", "province": "H55", "report": {…provinceReportJson…}}.
struct ProvinceReportSubmitted {
  int version = 1;
  TimePoint submitted_at{};
  std::string province;  // the province hub's agency code at the national hub
  int year = 0;
  TimePoint generated_at{};
  int agencies_expected = 0;
  int agencies_reported = 0;
  std::vector<std::string> missing;
  ProvinceTotals totals;
  std::string report_json;  // the aggregate as received: what the national hub keeps
};

// Reads a province_report_submitted entry's body: the contract fields of the aggregate are
// checked (year, generated_at, agencies_expected, agencies_reported, missing, totals, by_agency
// with agency and version); what else it carries is kept as is. Whose aggregate it is (the
// province) is checked by the store against the pushing agent's agency.
// The aggregate is spliced in as `report_json` holds it.
[[nodiscard]] std::string encodeBody(const ProvinceReportSubmitted& submitted);
[[nodiscard]] Result<ProvinceReportSubmitted> readProvinceReportSubmitted(
    const Poco::JSON::Object::Ptr& body, const std::string& path);

}  // namespace cks::sync
