#include "hub/store/report_archive.h"

#include <optional>

#include "hub/store/internal/sql.h"
#include "sync/protocol/report_json.h"

namespace cks::hub {

using sql::flag;
using sql::timeOf;

Result<std::vector<StoredReport>> ReportArchive::reports(const ReportFilter& filter) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<StoredReport>> {
    std::vector<StoredReport> out;
    std::optional<Error> unreadable;
    CKS_TRY(
        c.run("SELECT r.agency_code, g.name, r.agent_id, r.version, r.submitted_at, r.received_at, "
              "r.body FROM hub_reports r JOIN agencies g ON g.code = r.agency_code "
              "WHERE r.year = ?1 AND (?2 = '' OR r.agency_code = ?2) AND (?3 = 0 OR r.version = "
              "(SELECT max(m.version) FROM hub_reports m WHERE m.agency_code = r.agency_code AND "
              "m.year = r.year)) ORDER BY r.agency_code, r.version",
              {std::int64_t{filter.year}, filter.agency_code, flag(filter.latest_only)},
              [&](const SqlRow& row) {
                auto report = sync::parseReport(row.text(6));
                if (!report) {
                  // Written by this hub from a report it parsed: only a damaged row gets here.
                  if (!unreadable) {
                    unreadable = report.error().wrap("store: report " + row.text(0) + " version " +
                                                     std::to_string(row.integer(3)));
                  }
                  return;
                }
                out.push_back({row.text(0), row.text(1), row.text(2), int(row.integer(3)),
                               timeOf(row.text(4)), timeOf(row.text(5)), std::move(*report)});
              }));
    if (unreadable) return tl::unexpected(*unreadable);
    return out;
  });
}

Result<std::vector<std::pair<std::string, TimePoint>>> ReportArchive::reportDrafts(int year) {
  return sql::read(
      pool_, [&](StoreConnection& c) -> Result<std::vector<std::pair<std::string, TimePoint>>> {
        std::vector<std::pair<std::string, TimePoint>> out;
        CKS_TRY(
            c.run("SELECT agency_code, saved_at FROM hub_report_drafts WHERE year = ?1 "
                  "ORDER BY agency_code",
                  {std::int64_t{year}},
                  [&](const SqlRow& row) { out.emplace_back(row.text(0), timeOf(row.text(1))); }));
        return out;
      });
}

Result<std::vector<StoredProvinceReport>> ReportArchive::provinceReports(
    const ReportFilter& filter) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<StoredProvinceReport>> {
    std::vector<StoredProvinceReport> out;
    CKS_TRY(
        c.run("SELECT r.province_code, g.name, r.version, r.submitted_at, r.received_at, "
              "r.generated_at, r.body FROM hub_province_reports r "
              "JOIN agencies g ON g.code = r.province_code "
              "WHERE r.year = ?1 AND (?2 = '' OR r.province_code = ?2) AND (?3 = 0 OR r.version = "
              "(SELECT max(m.version) FROM hub_province_reports m WHERE m.province_code = "
              "r.province_code AND m.year = r.year)) ORDER BY r.province_code, r.version",
              {std::int64_t{filter.year}, filter.agency_code, flag(filter.latest_only)},
              [&](const SqlRow& row) {
                out.push_back({row.text(0), row.text(1), int(row.integer(2)), timeOf(row.text(3)),
                               timeOf(row.text(4)), timeOf(row.text(5)), row.text(6)});
              }));
    return out;
  });
}

ProvinceReport aggregateProvince(int year, const std::vector<Agency>& agencies,
                                 std::vector<StoredReport> latest, TimePoint now) {
  std::vector<ExpectedAgency> expected;
  for (const auto& agency : agencies) {
    expected.push_back({agency.code, agency.name, agency.type.value_or(AgencyType::Other)});
  }
  std::vector<SubmittedReport> submitted;
  for (auto& stored : latest) {
    submitted.push_back({std::move(stored.report), stored.version, stored.submitted_at});
  }
  return aggregateReports(year, expected, submitted, now);
}

}  // namespace cks::hub
