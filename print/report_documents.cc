#include "print/report_documents.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "core/labels.h"
#include "core/working_days.h"
#include "platform/files.h"
#include "print/internal/document.h"
#include "print/internal/page.h"
#include "print/internal/pdf_document.h"
#include "print/internal/xlsx_document.h"

namespace cks::print {
namespace {

using internal::Cell;
using internal::Column;
using internal::Document;
using internal::Section;
using internal::Table;

constexpr SubscriberKind kKinds[] = {SubscriberKind::Individual, SubscriberKind::Organization,
                                     SubscriberKind::Device, SubscriberKind::Unknown};

// Builds the documents' text in one language.
class Writer {
 public:
  explicit Writer(Language language) : language_(language) {}

  std::string t(std::string_view key, std::initializer_list<std::string_view> args = {}) const {
    return message(language_, "print." + std::string(key), args);
  }
  std::string m(const std::string& key) const { return message(language_, key); }

  // "dd/mm/yyyy hh:mm" in Vietnam time (UTC+7), the calendar the province works in.
  static std::string vietnamTime(TimePoint at) {
    const Date day = vietnamDate(at);
    const auto since_midnight =
        std::chrono::duration_cast<std::chrono::minutes>(at - vietnamMidnight(day));
    const std::chrono::year_month_day ymd(day);
    char text[32];
    std::snprintf(text, sizeof text, "%02u/%02u/%04d %02d:%02d", unsigned(ymd.day()),
                  unsigned(ymd.month()), int(ymd.year()), int(since_midnight.count() / 60),
                  int(since_midnight.count() % 60));
    return text;
  }

  // "Đà Nẵng, ngày 05 tháng 12 năm 2026" (the request forms' line), or without the place when
  // none is known.
  std::string dateLine(const std::string& place, TimePoint now) const {
    const std::chrono::year_month_day ymd(vietnamDate(now));
    char day[4];
    char month[4];
    std::snprintf(day, sizeof day, "%02u", unsigned(ymd.day()));
    std::snprintf(month, sizeof month, "%02u", unsigned(ymd.month()));
    const std::string year = std::to_string(int(ymd.year()));
    return place.empty() ? t("date", {day, month, year})
                         : message(language_, "form.date", {place, day, month, year});
  }

  Document heading(const ReportIssuer& issuer, std::string default_name,
                   std::string_view default_signer_title, int year, TimePoint now) const {
    Document d;
    d.issuer_above = issuer.parent_body;
    d.issuer = issuer.name.empty() ? std::move(default_name) : issuer.name;
    d.issuer_line = !issuer.full_name.empty()    ? issuer.full_name
                    : issuer.parent_body.empty() ? d.issuer
                                                 : issuer.parent_body + " — " + d.issuer;
    d.national_name = m("form.national_name");
    d.national_motto = m("form.national_motto");
    d.date_line = dateLine(issuer.place, now);
    d.title = t("title", {std::to_string(year)});
    d.signature.place_date = d.date_line;
    d.signature.title =
        issuer.signer_title.empty() ? m(std::string(default_signer_title)) : issuer.signer_title;
    d.signature.note = t("signature.note");
    d.signature.name = issuer.signer_name;
    return d;
  }

  Column column(std::string_view key, double width = 1) const { return {t(key), width}; }

  // The headline figures, one line each.
  Table totalsTable(const ReportTotals& totals, std::string caption = {}) const {
    Table table{std::move(caption), {column("col.figure", 4), column("col.count", 1)}, {}};
    const std::pair<const char*, int> lines[] = {
        {"certificates_valid", totals.certificates_valid},
        {"certificates_expiring", totals.certificates_expiring},
        {"certificates_expired", totals.certificates_expired},
        {"certificates_revoked", totals.certificates_revoked},
        {"tokens", totals.tokens},
        {"tokens_locked", totals.tokens_locked},
        {"tokens_not_seen", totals.tokens_not_seen},
        {"tokens_lost_or_damaged", totals.tokens_lost_or_damaged},
        {"requests_filed", totals.requests_filed},
        {"requests_completed", totals.requests_completed},
        {"requests_pending", totals.requests_pending},
        {"renewals_due_next_year", totals.renewals_due_next_year},
        {"revocation_candidates", totals.revocation_candidates},
        {"expected_new_certificates", totals.expected_new_certificates},
        {"expected_revocations", totals.expected_revocations},
        {"tokens_to_replace", totals.tokens_to_replace},
    };
    for (const auto& [name, value] : lines) {
      table.rows.push_back({Cell::of(t("total." + std::string(name))), Cell::of(value)});
    }
    return table;
  }

  // Renewals falling due in `plan_year`, by month and kind, with a total line.
  Table renewalsTable(const std::array<KindCounts, 12>& months, int plan_year) const {
    Table table{t("caption.renewals", {std::to_string(plan_year)}), {column("col.month", 1.2)}, {}};
    for (const SubscriberKind kind : kKinds) {
      table.columns.push_back({label(kind, language_), 1});
    }
    table.columns.push_back(column("col.total"));
    KindCounts sum;
    for (int month = 0; month < 12; ++month) {
      char label[16];
      std::snprintf(label, sizeof label, "%02d/%04d", month + 1, plan_year);
      std::vector<Cell> row = {Cell::of(std::string(label))};
      for (const SubscriberKind kind : kKinds) {
        row.push_back(Cell::of(months[size_t(month)].at(kind)));
        sum.at(kind) += months[size_t(month)].at(kind);
      }
      row.push_back(Cell::of(months[size_t(month)].total()));
      table.rows.push_back(std::move(row));
    }
    table.rows.push_back(totalRow(
        t("total_line"), {sum.individual, sum.organization, sum.device, sum.unknown, sum.total()}));
    return table;
  }

  static std::vector<Cell> totalRow(std::string label, const std::vector<int>& values) {
    std::vector<Cell> row = {Cell::of(std::move(label))};
    for (const int value : values) row.push_back(Cell::of(value));
    for (auto& cell : row) cell.bold = true;
    return row;
  }

  Document agency(const YearlyReport& r, const ReportIssuer& issuer, TimePoint now) const {
    Document d = heading(issuer, r.agency_name, "form.signature.title", r.year, now);
    d.issuer_note = t("agency_code", {r.agency_code});
    d.subtitle = t("as_of", {vietnamTime(r.as_of)});
    d.author = r.agency_name;
    const ReportTotals totals = totalsOf(r);

    d.sections.push_back({t("sheet.summary"), t("section.summary"), {}, {totalsTable(totals)}});

    Table certificates{{}, {column("col.kind", 1.6)}, {}};
    for (const char* status :
         {"valid", "expiring", "expired", "revoked", "not_yet_valid", "unparseable"}) {
      certificates.columns.push_back(column("status." + std::string(status)));
    }
    certificates.columns.push_back(column("col.total"));
    auto certificateRow = [](std::string label, const CertificateCounts& c) {
      return std::vector<Cell>{Cell::of(std::move(label)), Cell::of(c.valid),
                               Cell::of(c.expiring),       Cell::of(c.expired),
                               Cell::of(c.revoked),        Cell::of(c.not_yet_valid),
                               Cell::of(c.unparseable),    Cell::of(c.total())};
    };
    for (const SubscriberKind kind : kKinds) {
      certificates.rows.push_back(
          certificateRow(label(kind, language_), r.inventory.certificates.at(kind)));
    }
    certificates.rows.push_back(certificateRow(t("total_line"), r.inventory.certificates.sum()));
    for (auto& cell : certificates.rows.back()) cell.bold = true;
    d.sections.push_back({t("sheet.certificates"),
                          t("section.certificates", {vietnamTime(r.as_of)}),
                          {},
                          {certificates}});

    Table pin{t("caption.pin"), {column("col.pin_state", 4), column("col.count", 1)}, {}};
    const PinStateCounts& tokens = r.inventory.tokens;
    for (const auto& [state, count] :
         std::initializer_list<std::pair<PinState, int>>{{PinState::Ok, tokens.ok},
                                                         {PinState::CountLow, tokens.count_low},
                                                         {PinState::FinalTry, tokens.final_try},
                                                         {PinState::Locked, tokens.locked},
                                                         {PinState::Unknown, tokens.unknown}}) {
      pin.rows.push_back({Cell::of(label(state, language_)), Cell::of(count)});
    }
    pin.rows.push_back(totalRow(t("total_line"), {tokens.total()}));
    Table usage{t("caption.token_usage"), {column("col.figure", 4), column("col.count", 1)}, {}};
    usage.rows.push_back(
        {Cell::of(t("total.tokens_not_seen")), Cell::of(int(r.inventory.tokens_not_seen.size()))});
    usage.rows.push_back({Cell::of(t("tokens_lost")), Cell::of(r.inventory.tokens_lost)});
    usage.rows.push_back({Cell::of(t("tokens_damaged")), Cell::of(r.inventory.tokens_damaged)});
    Section token_section{t("sheet.tokens"), t("section.tokens"), {}, {pin, usage}};
    if (!r.inventory.tokens_not_seen.empty()) {
      Table unseen{
          t("caption.tokens_not_seen", {std::to_string(r.year)}), {column("col.token_serial")}, {}};
      for (const auto& serial : r.inventory.tokens_not_seen)
        unseen.rows.push_back({Cell::of(serial)});
      token_section.tables.push_back(std::move(unseen));
    }
    d.sections.push_back(std::move(token_section));

    Table activity{
        {},
        {column("col.request_kind", 2.4), column("status.completed"), column("status.rejected"),
         column("status.pending"), column("status.cancelled"), column("col.total"),
         column("col.measured"), column("col.median_days", 1.2), column("col.worst_days", 1.2)},
        {}};
    auto activityRow = [&](std::string label, const RequestOutcomes& o, const CompletionTimes& c) {
      std::vector<Cell> row = {Cell::of(std::move(label)), Cell::of(o.completed),
                               Cell::of(o.rejected),       Cell::of(o.pending),
                               Cell::of(o.cancelled),      Cell::of(o.total()),
                               Cell::of(c.measured)};
      row.push_back(c.median_working_days ? Cell::of(*c.median_working_days) : Cell::of("—"));
      row.push_back(c.worst_working_days ? Cell::of(*c.worst_working_days) : Cell::of("—"));
      return row;
    };
    RequestOutcomes all;
    for (const auto& [kind, a] : r.activity.by_kind) {
      activity.rows.push_back(activityRow(label(kind, language_), a.outcomes, a.time_to_complete));
      all.completed += a.outcomes.completed;
      all.rejected += a.outcomes.rejected;
      all.pending += a.outcomes.pending;
      all.cancelled += a.outcomes.cancelled;
    }
    activity.rows.push_back(activityRow(t("total_line"), all, r.activity.time_to_complete));
    for (auto& cell : activity.rows.back()) cell.bold = true;
    d.sections.push_back({t("sheet.requests"),
                          t("section.requests", {std::to_string(r.year)}),
                          {t("note.working_days")},
                          {activity}});

    const int plan_year = r.year + 1;
    Table demand{t("caption.demand"),
                 {column("col.item", 3), column("col.count", 1), column("col.note", 3)},
                 {}};
    const OfficerEntries& o = r.officer;
    demand.rows.push_back({Cell::of(m("report.field.expected_new.individual")),
                           Cell::of(o.expected_new_individual), Cell::of(o.expected_new_note)});
    demand.rows.push_back({Cell::of(m("report.field.expected_new.organization")),
                           Cell::of(o.expected_new_organization), Cell::of("")});
    demand.rows.push_back({Cell::of(m("report.field.expected_new.device")),
                           Cell::of(o.expected_new_device), Cell::of("")});
    demand.rows.push_back({Cell::of(m("report.field.expected_revocations")),
                           Cell::of(o.expected_revocations),
                           Cell::of(o.expected_revocations_note)});
    demand.rows.push_back({Cell::of(m("report.field.tokens_to_replace")),
                           Cell::of(o.tokens_to_replace), Cell::of(o.tokens_to_replace_note)});
    demand.rows.push_back({Cell::of(t("total.revocation_candidates")),
                           Cell::of(int(r.plan.revocation_candidates.size())),
                           Cell::of(t("note.candidates", {std::to_string(r.not_seen_days)}))});
    d.sections.push_back({t("sheet.plan"),
                          t("section.plan", {std::to_string(plan_year)}),
                          {},
                          {renewalsTable(r.plan.renewals_by_month, plan_year), demand}});

    Table candidates{
        {},
        {column("col.holder", 2.4), column("col.kind", 1.2), column("col.token_serial", 1.3),
         column("col.last_seen", 1.3), column("col.fingerprint", 3)},
        {}};
    for (const auto& c : r.plan.revocation_candidates) {
      candidates.rows.push_back({Cell::of(c.common_name), Cell::of(label(c.kind, language_)),
                                 Cell::of(c.token_serial), Cell::of(vietnamTime(c.last_seen)),
                                 Cell::of(c.fingerprint_sha256)});
    }
    d.sections.push_back(
        {t("sheet.candidates"),
         t("section.candidates"),
         {candidates.rows.empty() ? t("candidates.none")
                                  : t("candidates.intro", {std::to_string(r.not_seen_days)})},
         {candidates}});

    Table remarks{{}, {column("col.item", 1), column("col.remark", 4)}, {}};
    remarks.rows.push_back(
        {Cell::of(m("report.field.remarks.difficulties")), Cell::of(o.difficulties)});
    remarks.rows.push_back({Cell::of(m("report.field.remarks.proposals")), Cell::of(o.proposals)});
    d.sections.push_back({t("sheet.remarks"), t("section.remarks"), {}, {remarks}});
    return d;
  }

  Document province(const ProvinceReport& r, const ReportIssuer& issuer, TimePoint now) const {
    Document d =
        heading(issuer, t("province_issuer"), "print.signature.province_title", r.year, now);
    d.subtitle =
        t("province_as_of", {vietnamTime(r.generated_at), std::to_string(r.agencies_reported),
                             std::to_string(r.agencies_expected)});
    d.author = d.issuer_line;

    Table completeness{
        t("caption.completeness"), {column("col.figure", 4), column("col.count", 1)}, {}};
    completeness.rows.push_back({Cell::of(t("agencies_expected")), Cell::of(r.agencies_expected)});
    completeness.rows.push_back({Cell::of(t("agencies_reported")), Cell::of(r.agencies_reported)});
    completeness.rows.push_back({Cell::of(t("agencies_missing")), Cell::of(int(r.missing.size()))});
    completeness.rows.push_back(
        {Cell::of(t("agencies_unlisted")), Cell::of(int(r.unlisted.size()))});
    d.sections.push_back({t("sheet.summary"),
                          t("section.province_summary", {std::to_string(r.year)}),
                          {},
                          {completeness, totalsTable(r.totals, t("caption.province_totals"))}});

    auto contractCells = [](const ReportTotals& totals) {
      return std::vector<Cell>{Cell::of(totals.certificates_valid),
                               Cell::of(totals.certificates_expired), Cell::of(totals.tokens),
                               Cell::of(totals.tokens_locked),
                               Cell::of(totals.renewals_due_next_year)};
    };
    auto contractColumns = [&]() {
      return std::vector<Column>{column("short.certificates_valid"),
                                 column("short.certificates_expired"), column("short.tokens"),
                                 column("short.tokens_locked"),
                                 column("short.renewals_due_next_year")};
    };

    Table by_type{{},
                  {column("col.agency_type", 2), column("col.agencies_expected"),
                   column("col.agencies_reported"), column("col.agencies_unlisted")},
                  {}};
    for (auto& c : contractColumns()) by_type.columns.push_back(std::move(c));
    for (const auto& line : r.by_type) {
      std::vector<Cell> row = {Cell::of(label(line.type, language_)),
                               Cell::of(line.agencies_expected), Cell::of(line.agencies_reported),
                               Cell::of(line.agencies_unlisted)};
      for (auto& cell : contractCells(line.totals)) row.push_back(std::move(cell));
      by_type.rows.push_back(std::move(row));
    }
    {
      std::vector<Cell> row = {Cell::of(t("total_line")), Cell::of(r.agencies_expected),
                               Cell::of(r.agencies_reported), Cell::of(int(r.unlisted.size()))};
      for (auto& cell : contractCells(r.totals)) row.push_back(std::move(cell));
      for (auto& cell : row) cell.bold = true;
      by_type.rows.push_back(std::move(row));
    }
    d.sections.push_back({t("sheet.by_type"), t("section.by_type"), {}, {by_type}});

    Table by_agency{
        {},
        // Wide enough for "31/12/2026" on one line, the time under it.
        {column("col.agency_code", 1.2), column("col.agency_name", 1.8),
         column("col.agency_type", 1.1), column("col.version", 0.6), column("col.as_of", 1.7),
         column("col.submitted_at", 1.7), column("col.staleness", 0.9)},
        {}};
    for (auto& c : contractColumns()) by_agency.columns.push_back(std::move(c));
    for (const auto& line : r.by_agency) {
      std::vector<Cell> row = {
          Cell::of(line.agency_code),
          Cell::of(line.expected ? line.agency_name : line.agency_name + " " + t("unlisted_mark")),
          Cell::of(label(line.type, language_)),
          Cell::of(line.version),
          Cell::of(vietnamTime(line.as_of)),
          Cell::of(vietnamTime(line.submitted_at)),
          Cell::of(line.staleness_days)};
      for (auto& cell : contractCells(line.totals)) row.push_back(std::move(cell));
      by_agency.rows.push_back(std::move(row));
    }
    d.sections.push_back({t("sheet.by_agency"),
                          t("section.by_agency"),
                          {by_agency.rows.empty() ? t("by_agency.none") : t("by_agency.intro")},
                          {by_agency}});

    // What each agency's officer wrote of difficulties and proposals (issue 12, point 16).
    Table remarks{{},
                  {column("col.agency_code", 1),
                   column("col.agency_name", 1.6),
                   {m("report.field.remarks.difficulties"), 2.5},
                   {m("report.field.remarks.proposals"), 2.5}},
                  {}};
    for (const auto& line : r.by_agency) {
      if (line.difficulties.empty() && line.proposals.empty()) continue;
      remarks.rows.push_back({Cell::of(line.agency_code), Cell::of(line.agency_name),
                              Cell::of(line.difficulties), Cell::of(line.proposals)});
    }
    d.sections.push_back(
        {t("sheet.agency_remarks"),
         t("section.agency_remarks"),
         {remarks.rows.empty() ? t("agency_remarks.none") : t("agency_remarks.intro")},
         {remarks}});

    const int plan_year = r.year + 1;
    Table demand{t("caption.demand_province"), {column("col.item", 4), column("col.count", 1)}, {}};
    demand.rows.push_back({Cell::of(m("report.field.expected_new.individual")),
                           Cell::of(r.plan.expected_new.individual)});
    demand.rows.push_back({Cell::of(m("report.field.expected_new.organization")),
                           Cell::of(r.plan.expected_new.organization)});
    demand.rows.push_back(
        {Cell::of(m("report.field.expected_new.device")), Cell::of(r.plan.expected_new.device)});
    demand.rows.push_back(
        {Cell::of(m("report.field.expected_revocations")), Cell::of(r.plan.expected_revocations)});
    demand.rows.push_back(
        {Cell::of(m("report.field.tokens_to_replace")), Cell::of(r.plan.tokens_to_replace)});
    demand.rows.push_back(
        {Cell::of(t("total.revocation_candidates")), Cell::of(r.plan.revocation_candidates)});
    d.sections.push_back({t("sheet.plan"),
                          t("section.plan", {std::to_string(plan_year)}),
                          {},
                          {renewalsTable(r.plan.renewals_by_month, plan_year), demand}});

    Table missing{{},
                  {column("col.agency_code", 1), column("col.agency_name", 3),
                   column("col.agency_type", 1.5)},
                  {}};
    for (const auto& agency : r.missing) {
      missing.rows.push_back({Cell::of(agency.code), Cell::of(agency.name),
                              Cell::of(label(agency.type.value_or(AgencyType::Other), language_))});
    }
    d.sections.push_back(
        {t("sheet.missing"),
         t("section.missing"),
         {missing.rows.empty() ? t("missing.none")
                               : t("missing.intro", {std::to_string(missing.rows.size()),
                                                     std::to_string(r.agencies_expected)})},
         {missing}});
    return d;
  }

 private:
  Language language_;
};

Status writePdf(const Document& document, Language language, TimePoint now,
                const std::string& path) {
  const auto pdf = internal::renderPdf(document, language == Language::Vietnamese, now);
  if (!pdf) return fail(path, ": ", pdf.error().message);
  return platform::replaceFile(path, *pdf);
}

Status writeXlsx(const Document& document, const std::string& path) {
  const std::filesystem::path target(path);
  const std::string folder = target.has_parent_path() ? target.parent_path().string() : ".";
  const auto xlsx = internal::renderXlsx(document, folder, path);
  if (!xlsx) return tl::unexpected(xlsx.error());
  return platform::replaceFile(path, *xlsx);
}

}  // namespace

Status writeAgencyReportPdf(const YearlyReport& report, Language language, TimePoint now,
                            const std::string& path, const ReportIssuer& issuer) {
  return writePdf(Writer(language).agency(report, issuer, now), language, now, path);
}

Status writeAgencyReportXlsx(const YearlyReport& report, Language language, const std::string& path,
                             const ReportIssuer& issuer) {
  return writeXlsx(Writer(language).agency(report, issuer, report.as_of), path);
}

Status writeProvinceReportPdf(const ProvinceReport& report, Language language, TimePoint now,
                              const std::string& path, const ReportIssuer& issuer) {
  return writePdf(Writer(language).province(report, issuer, now), language, now, path);
}

Status writeProvinceReportXlsx(const ProvinceReport& report, Language language,
                               const std::string& path, const ReportIssuer& issuer) {
  return writeXlsx(Writer(language).province(report, issuer, report.generated_at), path);
}

}  // namespace cks::print
