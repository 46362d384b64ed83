#include "hub/store/internal/report_figures.h"

#include <cstdio>
#include <functional>
#include <span>
#include <utility>

#include "hub/store/internal/sql.h"
#include "sync/protocol/report_json.h"

namespace cks::hub::sql {
namespace {

// One count column of hub_report_figures and the figure it holds.
struct Count {
  std::string column;
  std::function<int&(ReportFigures&)> figure;
};

// Every count column, in the order of schema 12.
const std::vector<Count>& counts() {
  static const std::vector<Count> all = [] {
    std::vector<Count> out;
    const auto total = [&](const char* column, int ReportTotals::*member) {
      out.push_back({column, [member](ReportFigures& f) -> int& { return f.totals.*member; }});
    };
    total("certificates_valid", &ReportTotals::certificates_valid);
    total("certificates_expiring", &ReportTotals::certificates_expiring);
    total("certificates_expired", &ReportTotals::certificates_expired);
    total("certificates_revoked", &ReportTotals::certificates_revoked);
    total("tokens", &ReportTotals::tokens);
    total("tokens_locked", &ReportTotals::tokens_locked);
    total("tokens_not_seen", &ReportTotals::tokens_not_seen);
    total("tokens_lost_or_damaged", &ReportTotals::tokens_lost_or_damaged);
    total("requests_filed", &ReportTotals::requests_filed);
    total("requests_completed", &ReportTotals::requests_completed);
    total("requests_pending", &ReportTotals::requests_pending);
    total("renewals_due_next_year", &ReportTotals::renewals_due_next_year);
    total("revocation_candidates", &ReportTotals::revocation_candidates);
    total("expected_new_certificates", &ReportTotals::expected_new_certificates);
    total("expected_revocations", &ReportTotals::expected_revocations);
    total("tokens_to_replace", &ReportTotals::tokens_to_replace);
    static constexpr std::pair<const char*, int KindCounts::*> kKinds[] = {
        {"individual", &KindCounts::individual},
        {"organization", &KindCounts::organization},
        {"device", &KindCounts::device},
        {"unknown", &KindCounts::unknown}};
    for (const auto& [kind, member] : std::span(kKinds).first(3)) {
      out.push_back({std::string("expected_new_") + kind,
                     [member](ReportFigures& f) -> int& { return f.expected_new.*member; }});
    }
    for (size_t month = 0; month < 12; ++month) {
      for (const auto& [kind, member] : kKinds) {
        char column[40];
        std::snprintf(column, sizeof column, "renewals_%02zu_%s", month + 1, kind);
        out.push_back({column, [month, member](ReportFigures& f) -> int& {
                         return f.renewals_by_month[month].*member;
                       }});
      }
    }
    return out;
  }();
  return all;
}

}  // namespace

Status keepFigures(StoreConnection& c, std::int64_t version, ReportFigures figures) {
  static const std::string insert = [] {
    std::string columns = "agency_code, year, version, agency_name, difficulties, proposals";
    std::string values = "?1, ?2, ?3, ?4, ?5, ?6";
    int parameter = 6;
    for (const Count& count : counts()) {
      columns += ", " + count.column;
      values += ", ?" + std::to_string(++parameter);
    }
    return "INSERT INTO hub_report_figures (" + columns + ") VALUES (" + values +
           ") ON CONFLICT (agency_code, year, version) DO NOTHING";
  }();
  std::vector<SqlValue> params = {figures.agency_code, figures.year,         version,
                                  figures.agency_name, figures.difficulties, figures.proposals};
  for (const Count& count : counts()) params.emplace_back(count.figure(figures));
  return c.run(insert, params).map([](auto) {});
}

const std::string& figureColumns() {
  static const std::string columns = [] {
    std::string out = "r.agency_code, r.year, r.as_of, f.agency_name, f.difficulties, f.proposals";
    for (const Count& count : counts()) out += ", f." + count.column;
    return out;
  }();
  return columns;
}

std::optional<ReportFigures> figuresFrom(const SqlRow& row, int first) {
  if (row.isNull(first + 3)) return std::nullopt;
  ReportFigures figures;
  figures.agency_code = row.text(first);
  figures.year = int(row.integer(first + 1));
  figures.as_of = timeOf(row.text(first + 2));
  figures.agency_name = row.text(first + 3);
  figures.difficulties = row.text(first + 4);
  figures.proposals = row.text(first + 5);
  int column = first + 6;
  for (const Count& count : counts()) count.figure(figures) = int(row.integer(column++));
  return figures;
}

Status figuresFromBefore(StoreConnection& c) {
  std::int64_t made = 1;
  CKS_TRY(c.run("SELECT made FROM hub_choices WHERE name = 'report_figures'", {},
                [&](const SqlRow& row) { made = row.integer(0); }));
  if (made != 0) return ok();
  // Parsed as read, so that only the figures are held, not every body.
  std::vector<std::pair<std::int64_t, ReportFigures>> kept;
  CKS_TRY(
      c.run("SELECT r.version, r.body FROM hub_reports r WHERE NOT EXISTS (SELECT 1 FROM "
            "hub_report_figures f WHERE f.agency_code = r.agency_code AND f.year = r.year AND "
            "f.version = r.version)",
            {}, [&](const SqlRow& row) {
              auto report = sync::parseReport(row.text(1));
              if (report) kept.emplace_back(row.integer(0), figuresOf(*report));
            }));
  for (auto& [version, figures] : kept) CKS_TRY(keepFigures(c, version, std::move(figures)));
  return c.run("UPDATE hub_choices SET made = 1 WHERE name = 'report_figures'").map([](auto) {});
}

}  // namespace cks::hub::sql
