#include "agent/report_command.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <iostream>
#include <sstream>
#include <string_view>

#include "agent/cksctl_command.h"
#include "agent/request_form_command.h"
#include "agent/text_table.h"
#include "core/labels.h"
#include "core/report.h"
#include "core/time_format.h"
#include "core/working_days.h"
#include "print/fonts.h"
#include "print/report_documents.h"
#include "sync/protocol/report_json.h"

namespace cks::agent {
namespace {

using Poco::JSON::Object;

constexpr auto kTimeout = std::chrono::seconds(120);  // a draft reads the whole inventory
constexpr int kExitFailed = 1;

std::string path(int year, const std::string& action = "") {
  return "/v1/reports/" + std::to_string(year) + (action.empty() ? "" : "/" + action);
}

std::string langParameter(Language language) {
  return language == Language::English ? "?lang=en" : "?lang=vi";
}

// An answer that is not the expected status: its message on stderr.
int failed(const ApiAnswer& answer, Language language) {
  std::string text = message(language, "cli.api_error", {answer.body});
  try {
    const auto o = Poco::JSON::Parser().parse(answer.body).extract<Object::Ptr>();
    if (o && o->optValue<std::string>("error", "") == "year_out_of_range") {
      // A year before the agency's first record or after next year (a typo such as 2062).
      text = message(
          language, "reportcli.year_out_of_range",
          {std::to_string(o->getValue<int>("year")), std::to_string(o->getValue<int>("first_year")),
           std::to_string(o->getValue<int>("last_year"))});
    } else if (o && o->has("message")) {
      text = message(language, "cli.api_error", {o->getValue<std::string>("message")});
    }
  } catch (const Poco::Exception&) {
  }
  std::cerr << text << '\n';
  return answer.http_status == 400 ? kExitUsage : kExitFailed;
}

// The agent's answer when its status is `expected`, or nullopt with `exit_code` once it is dealt
// with: the agent not reachable, another status (failed), or the body printed as is for --json.
std::optional<ApiAnswer> answerToShow(const LocalApiClient& client, const std::string& method,
                                      const std::string& target, int expected,
                                      const ReportOptions& options, Language language,
                                      int& exit_code) {
  auto answer = askAgent(client, method, target, kTimeout, language);
  if (!answer) {
    exit_code = kExitUnreachable;
    return std::nullopt;
  }
  if (answer->http_status != expected) {
    exit_code = failed(*answer, language);
    return std::nullopt;
  }
  if (options.json) {
    std::cout << answer->body << '\n';
    exit_code = kExitOk;
    return std::nullopt;
  }
  return answer;
}

// "22/11/2026 11:50", Vietnam time.
std::string vietnamTime(TimePoint at) {
  const TimePoint local = at + kVietnamUtcOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss clock(local - day);
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", int(clock.hours().count()),
                int(clock.minutes().count()));
  return formatVietnameseDate(local) + " " + buffer;
}

std::string count(int n) { return std::to_string(n); }

std::string days(const std::optional<double>& value) {
  if (!value) return "—";
  std::ostringstream out;
  out << *value;
  return out.str();
}

std::string orNone(const std::string& text, Language language) {
  return text.empty() ? message(language, "reportcli.not_entered") : text;
}

// The report in words, section by section as the province's report reads.
void printReport(const YearlyReport& r, const Object::Ptr& state, Language language,
                 size_t table_width) {
  const ReportTotals totals = totalsOf(r);
  const auto say = [&](std::string_view key, std::initializer_list<std::string_view> values = {}) {
    std::cout << message(language, key, values) << '\n';
  };
  say("reportcli.title", {count(r.year)});
  say("reportcli.agency", {r.agency_name, r.agency_code});
  say("reportcli.as_of", {vietnamTime(r.as_of)});
  if (state) {
    const auto versions = state->getArray("versions");
    const auto due = state->getObject("due");
    const auto deadline = due ? parseDate(due->getValue<std::string>("deadline")) : std::nullopt;
    const std::string deadline_text = deadline ? formatVietnameseDate(TimePoint(*deadline)) : "";
    if (versions && versions->size() > 0) {
      const auto last = versions->getObject(unsigned(versions->size() - 1));
      say("reportcli.submitted_before",
          {count(int(versions->size())), count(last->getValue<int>("version")),
           vietnamTime(
               parseIsoUtc(last->getValue<std::string>("submitted_at")).value_or(TimePoint{}))});
    } else {
      say("reportcli.not_submitted", {deadline_text});
    }
  }

  std::cout << '\n';
  say("reportcli.section.certificates");
  say("reportcli.certificates_line",
      {count(totals.certificates_valid), count(totals.certificates_expiring),
       count(r.expiring_within_days), count(totals.certificates_expired),
       count(totals.certificates_revoked)});
  TextTable certificates(
      {message(language, "reportcli.col.kind"), message(language, "reportcli.col.valid"),
       message(language, "reportcli.col.expiring"), message(language, "reportcli.col.expired"),
       message(language, "reportcli.col.revoked"), message(language, "reportcli.col.other")});
  for (const SubscriberKind kind : {SubscriberKind::Individual, SubscriberKind::Organization,
                                    SubscriberKind::Device, SubscriberKind::Unknown}) {
    const CertificateCounts& c = r.inventory.certificates.at(kind);
    if (kind == SubscriberKind::Unknown && c.total() == 0) continue;
    certificates.addRow({label(kind, language), count(c.valid), count(c.expiring), count(c.expired),
                         count(c.revoked), count(c.not_yet_valid + c.unparseable)});
  }
  std::cout << certificates.render(table_width);

  std::cout << '\n';
  say("reportcli.section.tokens");
  const PinStateCounts& pins = r.inventory.tokens;
  say("reportcli.tokens_line", {count(pins.total()), count(pins.ok),
                                count(pins.count_low + pins.final_try), count(pins.locked)});
  std::string serials;
  for (const auto& serial : r.inventory.tokens_not_seen) {
    serials += (serials.empty() ? "" : ", ") + serial;
  }
  say("reportcli.tokens_not_seen",
      {count(int(r.inventory.tokens_not_seen.size())), serials.empty() ? "—" : serials});
  say("reportcli.tokens_lost", {count(r.inventory.tokens_lost), count(r.inventory.tokens_damaged)});

  std::cout << '\n';
  say("reportcli.section.activity", {count(r.year)});
  if (totals.requests_filed == 0) {
    say("reportcli.no_requests");
  } else {
    TextTable activity(
        {message(language, "reportcli.col.request_kind"),
         message(language, "reportcli.col.completed"), message(language, "reportcli.col.rejected"),
         message(language, "reportcli.col.pending"), message(language, "reportcli.col.cancelled"),
         message(language, "reportcli.col.median"), message(language, "reportcli.col.worst")});
    for (const auto& [kind, a] : r.activity.by_kind) {
      if (a.outcomes.total() == 0) continue;
      const auto& t = a.time_to_complete;
      activity.addRow({label(kind, language), count(a.outcomes.completed),
                       count(a.outcomes.rejected), count(a.outcomes.pending),
                       count(a.outcomes.cancelled), days(t.median_working_days),
                       t.worst_working_days ? count(*t.worst_working_days) : "—"});
    }
    std::cout << activity.render(table_width);
  }

  std::cout << '\n';
  say("reportcli.section.plan", {count(r.year + 1)});
  std::string months;
  for (size_t m = 0; m < r.plan.renewals_by_month.size(); ++m) {
    const int total = r.plan.renewals_by_month[m].total();
    if (total == 0) continue;
    months += (months.empty() ? "" : ", ") +
              message(language, "reportcli.month", {count(int(m + 1)), count(total)});
  }
  say("reportcli.renewals", {count(totals.renewals_due_next_year), months.empty() ? "—" : months});
  say("reportcli.candidates", {count(r.not_seen_days), count(totals.revocation_candidates)});
  for (const auto& c : r.plan.revocation_candidates) {
    std::cout << "  - " << c.common_name << " (token " << c.token_serial << ", "
              << formatVietnameseDate(c.last_seen + kVietnamUtcOffset) << ")\n";
  }
  const OfficerEntries& o = r.officer;
  say("reportcli.expected_new",
      {count(o.expected_new_individual), count(o.expected_new_organization),
       count(o.expected_new_device), orNone(o.expected_new_note, language)});
  say("reportcli.expected_revocations",
      {count(o.expected_revocations), orNone(o.expected_revocations_note, language)});
  say("reportcli.tokens_to_replace",
      {count(o.tokens_to_replace), orNone(o.tokens_to_replace_note, language)});

  std::cout << '\n';
  say("reportcli.section.remarks");
  say("reportcli.difficulties", {orNone(o.difficulties, language)});
  say("reportcli.proposals", {orNone(o.proposals, language)});

  std::string fields;
  for (const auto field : reportFieldNames())
    fields += (fields.empty() ? "" : ", ") + std::string(field);
  std::cout << '\n';
  say("reportcli.hint", {count(r.year), fields});
}

}  // namespace

int reportDraftCommand(const LocalApiClient& client, const ReportOptions& options,
                       Language language) {
  int exit_code = kExitOk;
  const auto answer =
      answerToShow(client, "GET", path(options.year, "draft"), 200, options, language, exit_code);
  if (!answer) return exit_code;
  auto report = sync::parseReport(answer->body);
  if (!report) {
    std::cerr << message(language, "cli.api_error", {report.error().message}) << '\n';
    return kExitFailed;
  }
  // What was submitted already and when the report is due; the draft stands without them.
  Object::Ptr state;
  const auto shown = askAgent(client, "GET", path(options.year), kTimeout, language);
  if (!shown) return kExitUnreachable;
  if (shown->http_status == 200) {
    try {
      state = Poco::JSON::Parser().parse(shown->body).extract<Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
  }
  printReport(*report, state, language, options.table_width);
  return kExitOk;
}

int reportSetCommand(const LocalApiClient& client, const ReportOptions& options,
                     Language language) {
  std::string fields;
  for (const auto field : reportFieldNames())
    fields += (fields.empty() ? "" : ", ") + std::string(field);
  if (options.assignments.empty()) {
    std::cerr << message(language, "reportcli.set_missing", {fields}) << '\n';
    return kExitUsage;
  }
  Object body;
  Poco::JSON::Array::Ptr set = new Poco::JSON::Array;
  for (const auto& assignment : options.assignments) set->add(assignment);
  body.set("set", set);
  std::ostringstream text;
  body.stringify(text);
  const auto answer =
      askAgent(client, "POST", path(options.year, "entries") + langParameter(language), kTimeout,
               language, text.str());
  if (!answer) return kExitUnreachable;
  if (answer->http_status == 422) {
    std::cerr << message(language, "reportcli.refused") << '\n';
    try {
      const auto o = Poco::JSON::Parser().parse(answer->body).extract<Object::Ptr>();
      const auto reasons = o->getArray("reasons");
      for (size_t i = 0; reasons && i < reasons->size(); ++i) {
        std::cerr << "  - " << reasons->getObject(unsigned(i))->getValue<std::string>("message")
                  << '\n';
      }
    } catch (const Poco::Exception&) {
      std::cerr << answer->body << '\n';
    }
    return kExitUsage;
  }
  if (answer->http_status != 200) return failed(*answer, language);
  if (options.json) {
    std::cout << answer->body << '\n';
  } else {
    std::cout << message(language, "reportcli.saved", {std::to_string(options.year)}) << '\n';
  }
  return kExitOk;
}

int reportSubmitCommand(const LocalApiClient& client, const ReportOptions& options,
                        Language language) {
  int exit_code = kExitOk;
  const auto answer =
      answerToShow(client, "POST", path(options.year, "submit"), 201, options, language, exit_code);
  if (!answer) return exit_code;
  try {
    const auto o = Poco::JSON::Parser().parse(answer->body).extract<Object::Ptr>();
    std::cout << message(
                     language, "reportcli.submitted",
                     {std::to_string(options.year), std::to_string(o->getValue<int>("version"))})
              << '\n';
  } catch (const Poco::Exception& e) {
    std::cerr << message(language, "cli.api_error", {e.displayText()}) << '\n';
    return kExitFailed;
  }
  return kExitOk;
}

int reportExportCommand(const LocalApiClient& client, const AgentConfig& config,
                        const ReportOptions& options, Language language, TimePoint now) {
  const std::string& file = options.output;
  const bool pdf = file.ends_with(".pdf");
  if (!pdf && !file.ends_with(".xlsx")) {
    std::cerr << message(language, "reportcli.export_format", {file.empty() ? "-o" : file}) << '\n';
    return kExitUsage;
  }
  // What the province received, when it was sent; otherwise the draft as of now.
  const auto shown = askAgent(client, "GET", path(options.year), kTimeout, language);
  if (!shown) return kExitUnreachable;
  if (shown->http_status != 200) return failed(*shown, language);
  std::string json;
  int version = 0;
  try {
    const auto state = Poco::JSON::Parser().parse(shown->body).extract<Object::Ptr>();
    const auto latest = state->getObject("latest");
    if (latest) {
      version = latest->getValue<int>("version");
      std::ostringstream text;
      latest->getObject("report")->stringify(text);
      json = text.str();
    }
  } catch (const Poco::Exception& e) {
    std::cerr << message(language, "cli.api_error", {e.displayText()}) << '\n';
    return kExitFailed;
  }
  if (version == 0) {
    const auto draft = askAgent(client, "GET", path(options.year, "draft"), kTimeout, language);
    if (!draft) return kExitUnreachable;
    if (draft->http_status != 200) return failed(*draft, language);
    json = draft->body;
  }
  auto report = sync::parseReport(json);
  if (!report) {
    std::cerr << message(language, "cli.api_error", {report.error().message}) << '\n';
    return kExitFailed;
  }
  // Who issues it: the agency as the agent knows it now (issue 12, point 4).
  const auto status = askAgent(client, "GET", "/v1/status", kTimeout, language);
  if (!status) return kExitUnreachable;
  if (status->http_status != 200) return failed(*status, language);
  Object::Ptr agency;
  try {
    agency = Poco::JSON::Parser().parse(status->body).extract<Object::Ptr>()->getObject("agency");
  } catch (const Poco::Exception& e) {
    std::cerr << message(language, "cli.api_error", {e.displayText()}) << '\n';
    return kExitFailed;
  }
  const FormIdentity identity = formIdentity(agency, config, language);
  report->agency_code = identity.header.agency_code;
  print::ReportIssuer issuer;
  issuer.parent_body = identity.header.parent_body;
  issuer.name = identity.header.agency_name;
  issuer.place = identity.header.province_place;
  issuer.signer_title = identity.header.signer_title;
  issuer.signer_name = identity.header.signer_name;
  const Status written = pdf ? print::writeAgencyReportPdf(*report, language, now, file, issuer)
                             : print::writeAgencyReportXlsx(*report, language, file, issuer);
  if (!written) {
    std::cerr << message(language, "reportcli.export_failed", {written.error().message}) << '\n';
    return kExitFailed;
  }
  warnOfUnknownIdentity(identity.missing, config, language);
  std::cout << (version > 0
                    ? message(language, "reportcli.exported_version",
                              {count(options.year), count(version), file})
                    : message(language, "reportcli.exported_draft", {count(options.year), file}))
            << '\n';
  return kExitOk;
}

// report draft|set|submit|export --year Y …
int reportCommand(const Invocation& invocation) {
  const CommandLine& line = invocation.line;
  const Language language = invocation.language;
  const std::string what = line.arguments.empty() ? "" : line.arguments[0];
  if ((what != "draft" && what != "set" && what != "submit" && what != "export") ||
      (what != "set" && line.arguments.size() != 1)) {
    std::cerr << message(language, "cli.unknown_command",
                         {line.arguments.empty() ? "report" : "report " + what})
              << '\n'
              << message(language, "cli.usage") << '\n';
    return kExitUsage;
  }
  if (!line.year) {
    std::cerr << message(language, "cli.missing_option", {"--year"}) << '\n';
    return kExitUsage;
  }
  int exit_code = kExitOk;
  const auto client = clientOf(*invocation.config, language, exit_code);
  if (!client) return exit_code;
  ReportOptions options;
  options.year = *line.year;
  options.assignments.assign(line.arguments.begin() + 1, line.arguments.end());
  options.output = line.output;
  options.json = line.json;
  options.table_width = tableWidth(line);
  if (what == "draft") return reportDraftCommand(*client, options, language);
  if (what == "set") return reportSetCommand(*client, options, language);
  if (what == "export") {
    const int exported =
        reportExportCommand(*client, *invocation.config, options, language, SystemClock().now());
    // cksctl exits next: give back fontconfig's and pango's caches (LeakSanitizer counts them).
    print::releaseFonts();
    return exported;
  }
  return reportSubmitCommand(*client, options, language);
}

}  // namespace cks::agent
