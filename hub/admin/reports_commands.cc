// `report status|province|deadline|nation|submit --year Y …`: the yearly reports
// (hub/province/report_service.h; docs/hub.md, "Yearly reports").
#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>

#include "core/time_format.h"
#include "hub/admin/admin_session.h"
#include "hub/province/documents.h"
#include "hub/province/report_service.h"
#include "hub/province/view_json.h"
#include "print/report_documents.h"
#include "sync/protocol/report_json.h"

namespace cks::hub {
namespace {

std::string vietnameseDay(Date day) { return formatVietnameseDate(TimePoint(day)); }

// Every agency the hub knows and the state of its report of `year`.
int reportStatus(AdminSession& session, int year, bool json) {
  auto view = ReportService(session.province()).status(year);
  if (!view) return session.failed(view.error());
  if (json) {
    return session.printJson(arrayOf(view->agencies, [&](const AgencyReportStatus& line) {
      return reportStatusJson(line, year);
    }));
  }
  if (view->agencies.empty()) {
    session.out << session.text("report.no_agencies") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("col.agency"), session.text("report.col.state"),
       session.text("report.col.version"), session.text("report.col.as_of"),
       session.text("report.col.submitted"), session.text("report.col.staleness")}};
  for (const auto& line : view->agencies) {
    const std::string agency = line.agency.code + " " + line.agency.name;
    if (!line.latest) {
      rows.push_back(
          {agency,
           line.state == ReportState::Draft
               ? session.text("report.state.draft", {session.shownTime(*line.draft_saved_at)})
               : session.text("report.state.missing"),
           "", "", "", ""});
      continue;
    }
    const ReportVersion& stored = *line.latest;
    rows.push_back({agency, session.text("report.state.submitted"), std::to_string(stored.version),
                    session.shownTime(stored.as_of), session.shownTime(stored.submitted_at),
                    std::to_string(line.staleness_days.value_or(0))});
  }
  const size_t expected = view->agencies.size();
  session.out << session.text("report.status.title", {std::to_string(year)}) << '\n'
              << session.renderTable(rows, {0})
              << session.text("report.status.count",
                              {std::to_string(view->submitted), std::to_string(expected),
                               std::to_string(expected - size_t(view->submitted))})
              << '\n';
  return 0;
}

// `report province`: the aggregate in words, as JSON, or written to an XLSX or PDF file.
int provinceReport(AdminSession& session, int year, const AdminArgs& args) {
  enum class Output { None, Xlsx, Pdf } output = Output::None;
  const auto path = args.value("--output");
  if (path) {
    std::string extension = std::filesystem::path(*path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (extension == ".xlsx") {
      output = Output::Xlsx;
    } else if (extension == ".pdf") {
      output = Output::Pdf;
    } else {
      return session.usageError(session.text("report.bad_output", {*path}));
    }
  }
  auto aggregated = ReportService(session.province()).province(year);
  if (!aggregated) return session.failed(aggregated.error());
  const ProvinceReport& province = *aggregated;
  const Language language = session.language;
  if (output != Output::None) {
    const print::ReportIssuer issuer = provinceIssuer(session.config.province, session.language);
    const Status written = output == Output::Xlsx
                               ? print::writeProvinceReportXlsx(province, language, *path, issuer)
                               : print::writeProvinceReportPdf(
                                     province, language, province.generated_at, *path, issuer);
    if (output == Output::Pdf) print::releaseFonts();  // one document per command
    if (!written) return session.runtimeError(written.error());
    session.out << session.text("report.province.written", {std::to_string(year), *path}) << '\n';
    return 0;
  }
  if (args.flag("--json")) return session.printJson(sync::provinceReportJson(province));
  session.out << session.text("report.province.title",
                              {std::to_string(year), std::to_string(province.agencies_reported),
                               std::to_string(province.agencies_expected)})
              << '\n';
  const ReportTotals& t = province.totals;
  std::vector<std::vector<std::string>> rows = {
      {message(language, "print.col.figure"), message(language, "print.col.count")}};
  for (const auto& [name, value] : std::initializer_list<std::pair<const char*, int>>{
           {"certificates_valid", t.certificates_valid},
           {"certificates_expired", t.certificates_expired},
           {"tokens", t.tokens},
           {"tokens_locked", t.tokens_locked},
           {"renewals_due_next_year", t.renewals_due_next_year},
           {"expected_new_certificates", t.expected_new_certificates}}) {
    rows.push_back({message(language, "print.total." + std::string(name)), std::to_string(value)});
  }
  session.out << session.renderTable(rows);
  if (!province.missing.empty()) {
    std::string codes;
    for (const auto& agency : province.missing) {
      codes += (codes.empty() ? "" : ", ") + agency.code + " " + agency.name;
    }
    session.out << session.text("report.province.missing",
                                {std::to_string(province.missing.size()), codes})
                << '\n';
  }
  return 0;
}

// At a national hub: the latest aggregate each province hub submitted for `year` and the
// contract figures summed (docs/report.md, "Upward to the nation").
int nationReport(AdminSession& session, int year, bool json) {
  auto view = ReportService(session.province()).national(year);
  if (!view) return session.failed(view.error());
  if (json) return session.printJson(nationalJson(*view));
  if (view->provinces.empty()) {
    session.out << session.text("report.nation.none", {std::to_string(year)}) << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("col.agency"), session.text("report.col.version"),
       session.text("report.col.agencies"), session.text("report.col.submitted")}};
  for (const auto& p : view->provinces) {
    rows.push_back({p.stored.province_code + " " + p.stored.province_name,
                    std::to_string(p.stored.version),
                    std::to_string(p.aggregate.agencies_reported) + "/" +
                        std::to_string(p.aggregate.agencies_expected),
                    session.shownTime(p.stored.submitted_at)});
  }
  session.out << session.text("report.nation.title",
                              {std::to_string(year), std::to_string(view->provinces.size())})
              << '\n'
              << session.renderTable(rows);
  return 0;
}

// `report deadline --date D [--remind-from D]`: the deadline told to every agent.
int reportDeadline(AdminSession& session, int year, const AdminArgs& args) {
  const auto date = args.value("--date");
  if (!date) {
    return session.usageError(session.text("missing_option", {"report deadline", "--date"}));
  }
  const auto deadline = parseDate(*date);
  if (!deadline) return session.usageError(session.text("report.bad_date", {"--date", *date}));
  std::optional<Date> remind_from;
  if (const auto typed = args.value("--remind-from")) {
    remind_from = parseDate(*typed);
    if (!remind_from) {
      return session.usageError(session.text("report.bad_date", {"--remind-from", *typed}));
    }
  }
  auto notice = ReportService(session.province()).announceDeadline(year, *deadline, remind_from);
  if (!notice) return session.failed(notice.error());
  if (args.flag("--json")) return session.printJson(deadlineJson(*notice));
  session.out << session.text("report.deadline.sent",
                              {std::to_string(year), vietnameseDay(notice->deadline),
                               vietnameseDay(notice->remind_from), std::to_string(notice->agents)})
              << '\n';
  return 0;
}

int report(AdminSession& session, const AdminArgs& args) {
  if (args.operands.size() != 1) return session.usageError(session.text("report.usage"));
  const std::string year_text = *args.value("--year");
  int year = 0;
  const auto [end, problem] =
      std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
  if (problem != std::errc() || end != year_text.data() + year_text.size()) {
    return session.usageError(session.text("report.bad_year", {year_text}));
  }
  if (auto checked = ReportService(session.province()).checkYear(year); !checked) {
    return session.failed(checked.error());
  }
  const std::string& action = args.operands[0];
  const bool json = args.flag("--json");
  if (action == "status") return reportStatus(session, year, json);
  if (action == "province") return provinceReport(session, year, args);
  if (action == "deadline") return reportDeadline(session, year, args);
  if (action == "nation") return nationReport(session, year, json);
  if (action == "submit") return submitUpward(session, year);
  return session.usageError(session.text("report.usage"));
}

}  // namespace

std::vector<AdminCommand> reportCommands() { return {{"report", {"--year"}, true, true, report}}; }

}  // namespace cks::hub
