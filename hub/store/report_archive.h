// The store's report archive: every version of each agency's yearly report, the agencies with
// a draft in progress, and at a national hub the provinces' aggregates. Thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/report.h"
#include "core/result.h"
#include "hub/store/connection.h"
#include "hub/store/records.h"

namespace cks::hub {

class ReportArchive {
 public:
  explicit ReportArchive(ConnectionPool& pool) : pool_(pool) {}

  // The yearly reports `filter` names, by agency code then version.
  [[nodiscard]] Result<std::vector<StoredReport>> reports(const ReportFilter& filter);
  // The same versions' dates, no body read.
  [[nodiscard]] Result<std::vector<ReportVersion>> reportVersions(const ReportFilter& filter);
  // The figures the province's aggregate takes of the same reports, kept when each was stored
  // (schema 12), no body parsed: what aggregateProvince reads.
  [[nodiscard]] Result<std::vector<SubmittedFigures>> reportFigures(const ReportFilter& filter);
  // The agencies whose officer saved figures of `year`'s report, with the latest save, by code
  // (a draft in progress: report_draft_saved).
  [[nodiscard]] Result<std::vector<std::pair<std::string, TimePoint>>> reportDrafts(int year);
  // How many agencies submitted `year`'s report, and how many only saved a draft of it.
  [[nodiscard]] Result<ReportCounts> reportCounts(int year);
  // At a national hub: the provinces' aggregates of `filter.year` (agency_code: one province),
  // by province code then version.
  [[nodiscard]] Result<std::vector<StoredProvinceReport>> provinceReports(
      const ReportFilter& filter);
  // Keeps the figures of the reports stored before schema 12, once (HubStore's open).
  [[nodiscard]] Status figuresFromBefore();

 private:
  ConnectionPool& pool_;
};

// The province's aggregate of `year` (core's aggregateFigures) over `latest`, the figures of the
// latest version of each agency's report (reportFigures({year, "", true})), against `agencies`,
// every agency the hub knows, typed as its directory says: what `admin report province` prints,
// the console shows and `admin report submit` sends upward.
[[nodiscard]] ProvinceReport aggregateProvince(int year, const std::vector<Agency>& agencies,
                                               const std::vector<SubmittedFigures>& latest,
                                               TimePoint now);

}  // namespace cks::hub
