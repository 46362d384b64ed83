#include "hub/store/report_archive.h"

#include <optional>

#include "hub/store/internal/keyset.h"
#include "hub/store/internal/report_figures.h"
#include "hub/store/internal/sql.h"
#include "sync/protocol/report_json.h"

namespace cks::hub {

using sql::timeOf;

namespace {

// `select` (reading `table` as r) narrowed to `filter`: its year, its agency (the column
// `agency`) when one is named, and each agency's latest version only when asked.
sql::Statement versionsOf(std::string_view select, const std::string& table,
                          const std::string& agency, const ReportFilter& filter) {
  sql::Statement statement(select);
  statement += "WHERE r.year = " + statement.bind(std::int64_t{filter.year}) + " ";
  if (!filter.agency_code.empty()) {
    statement += "AND r." + agency + " = " + statement.bind(filter.agency_code) + " ";
  }
  if (filter.latest_only) {
    statement += "AND r.version = (SELECT max(m.version) FROM " + table + " m WHERE m." + agency +
                 " = r." + agency + " AND m.year = r.year) ";
  }
  statement += "ORDER BY r." + agency + ", r.version";
  return statement;
}

}  // namespace

Result<std::vector<StoredReport>> ReportArchive::reports(const ReportFilter& filter) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<StoredReport>> {
    std::vector<StoredReport> out;
    std::optional<Error> unreadable;
    const auto statement = versionsOf(
        "SELECT r.agency_code, g.name, r.agent_id, r.version, r.submitted_at, r.received_at, "
        "r.body FROM hub_reports r JOIN agencies g ON g.code = r.agency_code ",
        "hub_reports", "agency_code", filter);
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
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

Result<std::vector<ReportVersion>> ReportArchive::reportVersions(const ReportFilter& filter) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<ReportVersion>> {
    std::vector<ReportVersion> out;
    const auto statement = versionsOf(
        "SELECT r.agency_code, r.agent_id, r.version, r.as_of, r.submitted_at, r.received_at "
        "FROM hub_reports r ",
        "hub_reports", "agency_code", filter);
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      out.push_back({row.text(0), row.text(1), int(row.integer(2)), timeOf(row.text(3)),
                     timeOf(row.text(4)), timeOf(row.text(5))});
    }));
    return out;
  });
}

Result<std::vector<SubmittedFigures>> ReportArchive::reportFigures(const ReportFilter& filter) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<SubmittedFigures>> {
    std::vector<SubmittedFigures> out;
    std::optional<Error> unreadable;
    // A report without kept figures (its body did not parse when schema 12 filled the table)
    // is read from its body, which says what is wrong with it.
    const auto statement = versionsOf(
        "SELECT r.version, r.submitted_at, CASE WHEN f.agency_code IS NULL THEN r.body END, " +
            sql::figureColumns() +
            " FROM hub_reports r LEFT JOIN hub_report_figures f ON f.agency_code = "
            "r.agency_code AND f.year = r.year AND f.version = r.version ",
        "hub_reports", "agency_code", filter);
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      auto figures = sql::figuresFrom(row, 3);
      if (!figures) {
        auto report = sync::parseReport(row.text(2));
        if (!report) {
          if (!unreadable) {
            unreadable = report.error().wrap("store: report " + row.text(3) + " version " +
                                             std::to_string(row.integer(0)));
          }
          return;
        }
        figures = figuresOf(*report);
      }
      out.push_back({std::move(*figures), int(row.integer(0)), timeOf(row.text(1))});
    }));
    if (unreadable) return tl::unexpected(*unreadable);
    return out;
  });
}

Status ReportArchive::figuresFromBefore() {
  return sql::transaction(pool_, [](StoreConnection& c) { return sql::figuresFromBefore(c); });
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

Result<ReportCounts> ReportArchive::reportCounts(int year) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<ReportCounts> {
    ReportCounts counts;
    CKS_TRY(c.run("SELECT count(DISTINCT agency_code) FROM hub_reports WHERE year = ?1",
                  {std::int64_t{year}},
                  [&](const SqlRow& row) { counts.submitted = row.integer(0); }));
    CKS_TRY(c.run(
        "SELECT count(*) FROM hub_report_drafts d WHERE d.year = ?1 AND NOT EXISTS "
        "(SELECT 1 FROM hub_reports r WHERE r.year = d.year AND "
        "r.agency_code = d.agency_code)",
        {std::int64_t{year}}, [&](const SqlRow& row) { counts.draft_only = row.integer(0); }));
    return counts;
  });
}

Result<std::vector<StoredProvinceReport>> ReportArchive::provinceReports(
    const ReportFilter& filter) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<StoredProvinceReport>> {
    std::vector<StoredProvinceReport> out;
    const auto statement = versionsOf(
        "SELECT r.province_code, g.name, r.version, r.submitted_at, r.received_at, "
        "r.generated_at, r.body FROM hub_province_reports r "
        "JOIN agencies g ON g.code = r.province_code ",
        "hub_province_reports", "province_code", filter);
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      out.push_back({row.text(0), row.text(1), int(row.integer(2)), timeOf(row.text(3)),
                     timeOf(row.text(4)), timeOf(row.text(5)), row.text(6)});
    }));
    return out;
  });
}

ProvinceReport aggregateProvince(int year, const std::vector<Agency>& agencies,
                                 const std::vector<SubmittedFigures>& latest, TimePoint now) {
  std::vector<ExpectedAgency> expected;
  for (const auto& agency : agencies) {
    expected.push_back({agency.code, agency.name, agency.type.value_or(AgencyType::Other)});
  }
  return aggregateFigures(year, expected, latest, now);
}

}  // namespace cks::hub
