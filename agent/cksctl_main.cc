// cksctl: the command line face of cks-agent, for the agency's IT officer. It reads the
// agent's configuration to find the local API and its secret, asks the running agent, and
// prints Vietnamese text by default (--lang en for English) or the API's JSON (--json).
//
// Exit codes (an interface contract): 0 success, 1 the operation failed, 2 usage or
// configuration error, 3 agent not reachable, 4 the province's hub not reachable.
#include <time.h>

#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "agent/api_secret.h"
#include "agent/doctor_command.h"
#include "agent/local_api_client.h"
#include "agent/merger_command.h"
#include "agent/report_command.h"
#include "agent/request_form_command.h"
#include "agent/text_table.h"
#include "core/error_code.h"
#include "core/messages.h"
#include "core/time_format.h"
#include "core/version.h"
#include "platform/host.h"
#include "platform/locations.h"
#include "platform/terminal.h"
#include "print/report_documents.h"
#include "print/request_forms.h"

namespace {

using cks::Language;
using cks::message;
using Poco::JSON::Array;
using Poco::JSON::Object;

using cks::ErrorCode;

constexpr int kExitOk = 0;
constexpr int kExitUsage = cks::exitCode(ErrorCode::InvalidArgument);
constexpr int kExitUnreachable = 3;  // the agent itself does not answer
constexpr int kExitHubUnreachable = cks::exitCode(ErrorCode::Unavailable);

struct CommandLine {
  std::string config = cks::platform::configFolder() + "/agent.ini";
  std::optional<Language> language;
  bool json = false;
  bool wide = false;  // tables whole, not fitted to the terminal
  std::string command;
  std::optional<int> expiring;
  std::string hub;
  std::string code;
  std::string hub_ca;
  bool all = false;
  std::optional<int> days;
  // request …
  std::string cert;
  std::string change_case;
  std::string reason;
  std::string token;
  std::string kind;
  std::vector<std::pair<std::string, std::string>> set;
  bool unusable = false;
  cks::agent::MergerOptions merger;    // merger plan|apply
  std::optional<int> year;             // report … --year Y
  std::string output;                  // request form -o FILE.pdf, merger plan -o FILE.json
  std::vector<std::string> arguments;  // after the command: `ack 12`
  bool force = false;                  // enroll --force: replace the old enrolment
  bool verbose = false;                // add the technical detail of a failure
};

// A whole number from `low` to `high`, or nullopt.
std::optional<int> wholeNumber(const std::string& text, int low, int high) {
  try {
    size_t used = 0;
    const int number = std::stoi(text, &used);
    if (used != text.size() || number < low || number > high) return std::nullopt;
    return number;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Options may stand anywhere on the line, before or after the command.
std::optional<CommandLine> parse(int argc, char** argv, Language& language, int& exit_code) {
  CommandLine line;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](const std::string& name) -> std::optional<std::string> {
      const std::string inline_prefix = name + "=";
      if (arg.rfind(inline_prefix, 0) == 0) return arg.substr(inline_prefix.size());
      if (i + 1 < args.size()) return args[++i];
      std::cerr << message(language, "cli.missing_value", {name}) << '\n';
      return std::nullopt;
    };
    auto is = [&](const std::string& name) { return arg == name || arg.rfind(name + "=", 0) == 0; };
    if (is("--config")) {
      auto v = value("--config");
      if (!v) return std::nullopt;
      line.config = *v;
    } else if (is("--lang")) {
      auto v = value("--lang");
      if (!v) return std::nullopt;
      Language chosen;
      if (!cks::parseLanguage(*v, chosen)) {
        std::cerr << message(language, "cli.bad_language", {*v}) << '\n';
        return std::nullopt;
      }
      line.language = language = chosen;
    } else if (arg == "--json") {
      line.json = true;
    } else if (arg == "--wide") {
      line.wide = true;
    } else if (is("--expiring")) {
      auto v = value("--expiring");
      if (!v) return std::nullopt;
      try {
        size_t used = 0;
        const int days = std::stoi(*v, &used);
        if (used != v->size() || days < 0) throw std::invalid_argument(*v);
        line.expiring = days;
      } catch (const std::exception&) {
        std::cerr << message(language, "cli.bad_days", {*v}) << '\n';
        return std::nullopt;
      }
    } else if (arg == "--all") {
      line.all = true;
    } else if (is("-o") || is("--output")) {
      const std::string name = arg.substr(0, arg.find('='));
      auto v = value(name);
      if (!v) return std::nullopt;
      line.output = *v;
    } else if (is("--days")) {
      auto v = value("--days");
      if (!v) return std::nullopt;
      line.days = wholeNumber(*v, 1, 365);
      if (!line.days) {
        std::cerr << message(language, "cli.bad_snooze_days", {*v}) << '\n';
        return std::nullopt;
      }
    } else if (is("--hub") || is("--code") || is("--hub-ca")) {
      const std::string name = arg.substr(0, arg.find('='));
      auto v = value(name);
      if (!v) return std::nullopt;
      (name == "--hub" ? line.hub : name == "--code" ? line.code : line.hub_ca) = *v;
    } else if (is("--cert") || is("--case") || is("--reason") || is("--token") || is("--kind")) {
      const std::string name = arg.substr(0, arg.find('='));
      auto v = value(name);
      if (!v) return std::nullopt;
      (name == "--cert"     ? line.cert
       : name == "--case"   ? line.change_case
       : name == "--reason" ? line.reason
       : name == "--token"  ? line.token
                            : line.kind) = *v;
    } else if (is("--set")) {
      auto v = value("--set");
      if (!v) return std::nullopt;
      const auto equals = v->find('=');
      if (equals == std::string::npos || equals == 0) {
        std::cerr << message(language, "cli.bad_set", {*v}) << '\n';
        return std::nullopt;
      }
      line.set.emplace_back(v->substr(0, equals), v->substr(equals + 1));
    } else if (is("--into") || is("--name") || is("--from") || is("--keep") || is("--decision") ||
               is("--forms")) {
      const std::string name = arg.substr(0, arg.find('='));
      auto v = value(name);
      if (!v) return std::nullopt;
      (name == "--into"       ? line.merger.into
       : name == "--name"     ? line.merger.name
       : name == "--from"     ? line.merger.from
       : name == "--keep"     ? line.merger.keep
       : name == "--decision" ? line.merger.decision
                              : line.merger.forms) = *v;
    } else if (is("--unused-days")) {
      auto v = value("--unused-days");
      if (!v) return std::nullopt;
      line.merger.unused_days = wholeNumber(*v, 1, 3650);
      if (!line.merger.unused_days) {
        std::cerr << message(language, "cli.bad_days", {*v}) << '\n';
        return std::nullopt;
      }
    } else if (is("--year")) {
      auto v = value("--year");
      if (!v) return std::nullopt;
      line.year = wholeNumber(*v, 2000, 2100);
      if (!line.year) {
        std::cerr << message(language, "reportcli.bad_year", {*v}) << '\n';
        return std::nullopt;
      }
    } else if (arg == "--unusable") {
      line.unusable = true;
    } else if (arg == "--force") {
      line.force = true;
    } else if (arg == "--verbose" || arg == "-v") {
      line.verbose = true;
    } else if (arg == "--version") {
      std::cout << "cksctl " << cks::kVersion << '\n';
      exit_code = kExitOk;
      return std::nullopt;
    } else if (arg == "--help" || arg == "-h" || arg == "help") {
      std::cout << message(language, "cli.usage") << '\n';
      exit_code = kExitOk;
      return std::nullopt;
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << message(language, "cli.unknown_option", {arg}) << '\n';
      return std::nullopt;
    } else if (line.command.empty()) {
      line.command = arg;
    } else {
      line.arguments.push_back(arg);
    }
  }
  if (line.command.empty()) {
    std::cerr << message(language, "cli.usage") << '\n';
    return std::nullopt;
  }
  return line;
}

// How text output looks: the language, the zone times are shown in ([display] time_zone,
// Vietnam time by default, whatever the PC's own zone) and the width tables fit (0: whole).
struct View {
  Language lang;
  cks::TimeZone zone;
  size_t width;

  // "2026-11-22T04:50:38Z" as "22/11/2026 11:50" in the display zone.
  [[nodiscard]] std::string time(const std::string& iso) const {
    const auto at = cks::parseIsoUtc(iso);
    return at ? cks::formatLocalDateTime(*at, zone) : iso;
  }
  [[nodiscard]] std::string date(const std::string& iso) const {
    const auto at = cks::parseIsoUtc(iso);
    return at ? cks::formatLocalDate(*at, zone) : iso;
  }
};

// The fingerprint as the certs table shows it: enough hex digits to name the certificate with
// --cert, all 64 with --wide.
std::string shortFingerprint(const std::string& fingerprint, const View& view) {
  return view.width == 0 ? fingerprint : fingerprint.substr(0, 12);
}

std::string str(const Object::Ptr& o, const std::string& key) {
  return o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : std::string();
}

void printCertificates(const Array::Ptr& certs, const View& view) {
  const Language lang = view.lang;
  if (certs->size() == 0) {
    std::cout << message(lang, "certs.none") << '\n';
    return;
  }
  cks::agent::TextTable table({message(lang, "col.holder"), message(lang, "col.fingerprint"),
                               message(lang, "col.kind"), message(lang, "col.status"),
                               message(lang, "col.days_left"), message(lang, "col.expires"),
                               message(lang, "col.token")});
  table.flexible(0).flexible(6).fixed(1).fixed(5);
  for (size_t i = 0; i < certs->size(); ++i) {
    const auto c = certs->getObject(static_cast<unsigned>(i));
    std::string holder = str(c, "common_name");
    const std::string fingerprint = str(c, "fingerprint_sha256");
    if (holder.empty()) holder = "—";
    std::string token = str(c, "token_label");
    if (!c->getValue<bool>("present"))
      token += " (" + message(lang, "col.present") + ": " + message(lang, "no") + ")";
    table.addRow({holder, shortFingerprint(fingerprint, view),
                  message(lang, "kind." + str(c, "kind")),
                  message(lang, "certstatus." + str(c, "status")), str(c, "days_left"),
                  view.date(str(c, "not_after")), token});
  }
  std::cout << message(lang, "certs.title") << '\n' << table.render(view.width);
  std::cout << message(lang, "certs.count", {std::to_string(certs->size())}) << '\n';
}

void printAlerts(const Array::Ptr& alerts, bool all, const View& view) {
  const Language lang = view.lang;
  if (alerts->size() == 0) {
    std::cout << message(lang, all ? "alerts.none_ever" : "alerts.none") << '\n';
    return;
  }
  cks::agent::TextTable table({message(lang, "col.id"), message(lang, "col.severity"),
                               message(lang, "col.state"), message(lang, "col.raised"),
                               message(lang, "col.message")});
  table.flexible(4).fixed(3);
  for (size_t i = 0; i < alerts->size(); ++i) {
    const auto a = alerts->getObject(static_cast<unsigned>(i));
    table.addRow({str(a, "id"), message(lang, "severity." + str(a, "severity")),
                  message(lang, "alertstate." + str(a, "state")), view.time(str(a, "raised_at")),
                  str(a, "message")});
  }
  std::cout << message(lang, "alerts.title") << '\n' << table.render(view.width);
  std::cout << cks::wrapText(message(lang, "alerts.hint"), view.width) << '\n';
}

void printTokens(const Array::Ptr& tokens, const View& view) {
  const Language lang = view.lang;
  if (tokens->size() == 0) {
    std::cout << message(lang, "tokens.none") << '\n';
    return;
  }
  cks::agent::TextTable table({message(lang, "col.label"), message(lang, "col.serial"),
                               message(lang, "col.manufacturer"), message(lang, "col.pin"),
                               message(lang, "col.present"), message(lang, "col.certs"),
                               message(lang, "col.last_seen")});
  table.flexible(0).flexible(2).fixed(1).fixed(6);
  for (size_t i = 0; i < tokens->size(); ++i) {
    const auto t = tokens->getObject(static_cast<unsigned>(i));
    table.addRow({str(t, "label"), str(t, "serial"), str(t, "manufacturer"),
                  message(lang, "pin." + str(t, "pin_state")),
                  message(lang, t->getValue<bool>("present") ? "yes" : "no"), str(t, "cert_count"),
                  view.time(str(t, "last_seen"))});
  }
  std::cout << message(lang, "tokens.title") << '\n' << table.render(view.width);
}

void printStatus(const Object::Ptr& s, const View& view) {
  const Language lang = view.lang;
  std::cout << message(lang, "status.agent", {str(s, "agent_version"), str(s, "host")}) << '\n';
  const std::string last = str(s, "last_scan");
  std::cout << message(lang, "status.last_scan",
                       {last.empty() ? message(lang, "status.never_scanned") : view.time(last)})
            << '\n';
  const auto counts = s->getObject("counts");
  std::cout << message(lang, "status.counts",
                       {str(counts, "tokens_present"), str(counts, "tokens_known"),
                        str(counts, "certificates"), str(counts, "certificates_expiring"),
                        str(counts, "certificates_expired")})
            << '\n';
  if (s->has("hub")) {
    const auto hub = s->getObject("hub");
    if (hub->getValue<bool>("enrolled")) {
      std::cout << message(lang, "status.hub",
                           {str(hub, "url"), str(hub, "agency_name"), str(hub, "agency_code"),
                            str(hub, "backlog")})
                << '\n';
    } else {
      std::cout << message(lang, "status.hub_none") << '\n';
    }
    if (hub->has("refused") && !hub->isNull("refused")) {
      const auto refused = hub->getObject("refused");
      std::cout << message(
                       lang, "status.hub_refused",
                       {view.time(str(refused, "since")), str(refused, "message"), str(hub, "url")})
                << '\n';
    }
    if (!hub->isNull("clock_offset_seconds") &&
        std::llabs(hub->getValue<long long>("clock_offset_seconds")) > 300) {
      std::cout << message(lang, "status.clock_off", {str(hub, "clock_offset_seconds")}) << '\n';
    }
  }
  std::cout << message(lang, "status.modules") << '\n';
  const auto modules = s->getArray("modules");
  for (size_t i = 0; i < modules->size(); ++i) {
    const auto m = modules->getObject(static_cast<unsigned>(i));
    std::string outcome = message(lang, "module." + str(m, "outcome"));
    if (str(m, "outcome") != "ok") {
      outcome += " (" + str(m, "detail") + "; " + view.time(str(m, "since")) + ")";
    }
    std::cout << message(lang, "status.module", {str(m, "path"), outcome}) << '\n';
  }
}

// `cksctl sync`: exit 0 when the hub acknowledged everything, 4 when it is unreachable.
int printSync(const std::string& answer, bool json, bool verbose, Language lang) {
  Poco::JSON::Parser parser;
  const auto o = parser.parse(answer).extract<Object::Ptr>();
  const std::string outcome = str(o, "outcome");
  if (json) {
    std::cout << answer << '\n';
  } else if (outcome == "ok") {
    std::cout << message(lang, "sync.ok", {str(o, "pushed"), str(o, "remaining")}) << '\n';
  } else {
    std::cerr << message(lang, "sync." + outcome, {str(o, "message")}) << '\n';
    if (verbose && lang == Language::Vietnamese && !str(o, "message").empty()) {
      std::cerr << message(lang, "cli.detail", {str(o, "message")}) << '\n';
    }
    // Revoked (or unknown to the hub): retrying will not help, a new enrolment will.
    if (str(o, "hub_error") == "forbidden") {
      std::cerr << message(lang, "sync.reenrol") << '\n';
    }
  }
  if (outcome == "ok") return kExitOk;
  if (outcome == "unreachable") return kExitHubUnreachable;
  return 1;
}

// `cksctl requests`: a table of the requests, newest first.
void printRequests(const Array::Ptr& requests, const View& view) {
  const Language lang = view.lang;
  if (requests->size() == 0) {
    std::cout << message(lang, "requests.none") << '\n';
    return;
  }
  cks::agent::TextTable table(
      {message(lang, "col.id"), message(lang, "requests.col.kind"), message(lang, "col.state"),
       message(lang, "requests.col.form"), message(lang, "requests.col.subject"),
       message(lang, "requests.col.created"), message(lang, "requests.col.due"),
       message(lang, "requests.col.handled_by")});
  table.flexible(4).fixed(0).fixed(5);
  for (size_t i = 0; i < requests->size(); ++i) {
    const auto r = requests->getObject(static_cast<unsigned>(i));
    std::string subject = shortFingerprint(str(r, "fingerprint_sha256"), view);
    if (subject.empty()) subject = str(r, "token_serial");
    if (subject.empty() && r->has("fields")) {
      const auto fields = r->getObject("fields");
      subject = str(fields, "full_name");
      if (subject.empty()) subject = str(fields, "name");
    }
    const std::string due = str(r, "due_date");
    const std::string id = str(r, "id");
    table.addRow(
        {view.width == 0 ? id : id.substr(0, 8), message(lang, "request.kind." + str(r, "kind")),
         message(lang, "request.state." + str(r, "state")), str(r, "form"), subject,
         view.date(str(r, "created_at")),
         due.size() == 10 ? due.substr(8, 2) + "/" + due.substr(5, 2) + "/" + due.substr(0, 4)
                          : due,
         message(lang, "request.handled_by." + str(r, "handled_by"))});
  }
  std::cout << message(lang, "requests.title") << '\n' << table.render(view.width);
  std::cout << message(lang, "requests.count", {std::to_string(requests->size())}) << '\n';
}

// `cksctl request show ID`: every field and the history.
void printRequest(const Object::Ptr& r, const View& view) {
  const Language lang = view.lang;
  const auto line = [&](const std::string& label, const std::string& value) {
    if (!value.empty())
      std::cout << message(lang, "requests.label." + label) << ": " << value << '\n';
  };
  line("id", str(r, "id"));
  line("kind", message(lang, "request.kind." + str(r, "kind")));
  line("state", message(lang, "request.state." + str(r, "state")));
  line("form", str(r, "form"));
  std::string subject = str(r, "fingerprint_sha256");
  if (!str(r, "token_serial").empty()) {
    subject += (subject.empty() ? "" : " / ") + str(r, "token_serial");
  }
  line("subject", subject);
  line("handled_by", message(lang, "request.handled_by." + str(r, "handled_by")));
  line("created", view.time(str(r, "created_at")));
  const std::string due = str(r, "due_date");
  line("due",
       due.size() == 10 ? due.substr(8, 2) + "/" + due.substr(5, 2) + "/" + due.substr(0, 4) : due);
  std::string reason = str(r, "reason");
  if (!str(r, "revocation_reason").empty() && reason == str(r, "revocation_reason")) {
    reason = message(lang, "request.revocation_reason." + reason);
  }
  line("reason", reason);
  line("reference", str(r, "reference"));
  if (r->has("fields") && r->getObject("fields")->size() > 0) {
    std::cout << message(lang, "requests.label.fields") << ":\n";
    for (const auto& [key, value] : *r->getObject("fields")) {
      std::cout << "  " << message(lang, "request.field." + key) << " (" << key
                << "): " << value.toString() << '\n';
    }
  }
  if (r->has("history")) {
    std::cout << message(lang, "requests.label.history") << ":\n";
    const auto history = r->getArray("history");
    for (size_t i = 0; i < history->size(); ++i) {
      const auto step = history->getObject(static_cast<unsigned>(i));
      std::cout << "  " << view.time(str(step, "at")) << "  "
                << message(lang, "request.state." + str(step, "state")) << "  " << str(step, "by");
      if (!str(step, "reason").empty()) std::cout << "  " << str(step, "reason");
      std::cout << '\n';
    }
  }
}

// The reasons of a 422/409 answer, one per line on stderr.
void printRefusal(const std::string& body, Language lang, const std::string& header) {
  std::cerr << header << '\n';
  try {
    const auto o = Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
    const auto reasons = o->getArray("reasons");
    for (size_t i = 0; reasons && i < reasons->size(); ++i) {
      std::cerr << "  - " << str(reasons->getObject(static_cast<unsigned>(i)), "message") << '\n';
    }
  } catch (const Poco::Exception&) {
    std::cerr << message(lang, "cli.api_error", {body}) << '\n';
  }
}

// The JSON body of POST /v1/requests for `request SUBCOMMAND` (nullopt: not a filing command).
std::optional<std::string> filingBody(const CommandLine& line, const std::string& subcommand) {
  static const std::map<std::string, std::string> kKinds = {{"renew", "renewal"},
                                                            {"change", "change_of_information"},
                                                            {"revoke", "revocation"},
                                                            {"recover", "device_recovery"},
                                                            {"new", "new_certificate"}};
  const auto kind = kKinds.find(subcommand);
  if (kind == kKinds.end()) return std::nullopt;
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("kind", kind->second);
  if (!line.cert.empty()) body.set("cert", line.cert);
  if (!line.change_case.empty()) body.set("case", line.change_case);
  if (!line.reason.empty()) body.set("reason", line.reason);
  if (!line.token.empty()) body.set("token", line.token);
  if (line.unusable) body.set("token_unusable", true);
  if (!line.kind.empty()) body.set("subscriber", line.kind);
  Object::Ptr fields = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [field, value] : line.set) fields->set(field, value);
  body.set("set", fields);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

// The local API client, or nullopt (said on stderr, with the exit code in `failure_exit`) when
// the agent's secret cannot be read: the agent has never started with this configuration (3),
// or this user may not read it (2: a permission to grant, not a service to start).
std::optional<cks::agent::LocalApiClient> clientOf(const cks::agent::AgentConfig& config,
                                                   Language language, int& failure_exit) {
  auto secret = cks::agent::readApiSecret(config.api_secret_file);
  if (!secret && secret.error().kind == cks::agent::ApiSecretError::Kind::PermissionDenied) {
    const std::string group = config.api_secret_group.empty() ? "cks" : config.api_secret_group;
    std::cerr << message(language, "cli.secret_denied",
                         {config.api_secret_file,
                          cks::platform::userName().value_or(cks::platform::userId()), group})
              << '\n';
    failure_exit = kExitUsage;
    return std::nullopt;
  }
  if (!secret) {
    std::cerr << message(language, "cli.agent_unreachable",
                         {"127.0.0.1:" + std::to_string(config.api_port), secret.error().message})
              << '\n';
    failure_exit = kExitUnreachable;
    return std::nullopt;
  }
  return cks::agent::LocalApiClient(config.api_port, *secret);
}

}  // namespace

int main(int argc, char** argv) {
  Language language = Language::Vietnamese;
  int exit_code = kExitUsage;
  const auto line = parse(argc, argv, language, exit_code);
  if (!line) return exit_code;
  // doctor reads the configuration itself: a broken one is a finding, not a usage error.
  if (line->command == "doctor") {
    if (!line->arguments.empty()) {
      std::cerr << message(language, "cli.unknown_command", {line->arguments[0]}) << '\n';
      return kExitUsage;
    }
    return cks::agent::doctorCommand({line->config, line->language, line->json});
  }

  auto config = cks::agent::loadAgentConfig(line->config, cks::agent::FileChecks::Skip, language);
  if (!config) {
    std::cerr << message(language, "cli.config_error", {config.error().message}) << '\n';
    return kExitUsage;
  }
  if (!line->language) language = config->language;

  std::string method = "GET", path, body;
  auto timeout = std::chrono::seconds(30);
  const bool takes_id = line->command == "ack" || line->command == "snooze";
  // request renew|change|revoke|recover|new …, request show|cancel ID.
  const bool request_command = line->command == "request";
  std::string subcommand = request_command && !line->arguments.empty() ? line->arguments[0] : "";
  const bool request_id = subcommand == "show" || subcommand == "cancel";
  if (request_command && subcommand == "form") {
    if (line->arguments.size() < 2 || line->output.empty()) {
      std::cerr << message(language, "cli.missing_option",
                           {line->output.empty() ? "-o FILE.pdf" : "ID"})
                << '\n';
      return kExitUsage;
    }
    const auto client = clientOf(*config, language, exit_code);
    if (!client) return exit_code;
    const std::vector<std::string> ids(line->arguments.begin() + 1, line->arguments.end());
    const int written = cks::agent::writeFormCommand(*client, *config, ids, line->output, language,
                                                     cks::SystemClock().now());
    // cksctl exits next: give back fontconfig's and pango's caches (LeakSanitizer counts them).
    cks::print::releaseFonts();
    return written;
  }
  // merger plan --into … | merger apply PLAN.json
  if (line->command == "merger") {
    const std::string what = line->arguments.empty() ? "" : line->arguments[0];
    const size_t wanted = what == "apply" ? 2u : 1u;
    if ((what != "plan" && what != "apply") || line->arguments.size() != wanted) {
      std::cerr << message(language, "cli.unknown_command",
                           {line->arguments.empty() ? "merger" : "merger " + what})
                << '\n'
                << message(language, "cli.usage") << '\n';
      return kExitUsage;
    }
    const auto client = clientOf(*config, language, exit_code);
    if (!client) return exit_code;
    cks::agent::MergerOptions options = line->merger;
    options.output = line->output;
    options.json = line->json;
    options.table_width = line->wide ? 0 : cks::platform::outputTableWidth();
    if (what == "plan") return cks::agent::mergerPlanCommand(*client, options, language);
    return cks::agent::mergerApplyCommand(*client, *config, line->arguments[1], options, language,
                                          cks::SystemClock().now());
  }
  // report draft|set|submit|export --year Y …
  if (line->command == "report") {
    const std::string what = line->arguments.empty() ? "" : line->arguments[0];
    if ((what != "draft" && what != "set" && what != "submit" && what != "export") ||
        (what != "set" && line->arguments.size() != 1)) {
      std::cerr << message(language, "cli.unknown_command",
                           {line->arguments.empty() ? "report" : "report " + what})
                << '\n'
                << message(language, "cli.usage") << '\n';
      return kExitUsage;
    }
    if (!line->year) {
      std::cerr << message(language, "cli.missing_option", {"--year"}) << '\n';
      return kExitUsage;
    }
    const auto client = clientOf(*config, language, exit_code);
    if (!client) return exit_code;
    cks::agent::ReportOptions options;
    options.year = *line->year;
    options.assignments.assign(line->arguments.begin() + 1, line->arguments.end());
    options.output = line->output;
    options.json = line->json;
    options.table_width = line->wide ? 0 : cks::platform::outputTableWidth();
    if (what == "draft") return cks::agent::reportDraftCommand(*client, options, language);
    if (what == "set") return cks::agent::reportSetCommand(*client, options, language);
    if (what == "export") {
      const int exported = cks::agent::reportExportCommand(*client, *config, options, language,
                                                           cks::SystemClock().now());
      cks::print::releaseFonts();
      return exported;
    }
    return cks::agent::reportSubmitCommand(*client, options, language);
  }
  const size_t allowed = request_command ? (request_id ? 2u : 1u) : (takes_id ? 1u : 0u);
  if (request_command && (line->arguments.empty() || (request_id && line->arguments.size() < 2))) {
    std::cerr << message(language, "cli.unknown_command",
                         {line->arguments.empty() ? "request" : "request " + subcommand})
              << '\n'
              << message(language, "cli.usage") << '\n';
    return kExitUsage;
  }
  if (line->arguments.size() > allowed) {
    std::cerr << message(language, "cli.unknown_command", {line->arguments.back()}) << '\n';
    return kExitUsage;
  }
  std::optional<int> alert_id;
  if (takes_id) {
    if (line->arguments.empty() ||
        !(alert_id = wholeNumber(line->arguments[0], 1, std::numeric_limits<int>::max()))) {
      std::cerr << message(language, "cli.bad_alert_id",
                           {line->arguments.empty() ? "" : line->arguments[0]})
                << '\n';
      return kExitUsage;
    }
  }
  const std::string lang_query = language == Language::English ? "lang=en" : "lang=vi";
  if (line->command == "requests") {
    path = "/v1/requests";
  } else if (request_command && request_id) {
    const std::string& id = line->arguments[1];
    if (id.find_first_not_of("0123456789abcdefABCDEF-") != std::string::npos) {
      std::cerr << message(language, "requests.not_found", {id}) << '\n';
      return 1;
    }
    if (subcommand == "show") {
      path = "/v1/requests/" + id;
    } else {
      method = "POST";
      path = "/v1/requests/" + id + "/cancel?" + lang_query;
      if (!line->reason.empty()) {
        Object reason;
        reason.set("reason", line->reason);
        std::ostringstream out;
        reason.stringify(out);
        body = out.str();
      }
    }
  } else if (request_command) {
    const auto filing = filingBody(*line, subcommand);
    if (!filing) {
      std::cerr << message(language, "cli.unknown_command", {"request " + subcommand}) << '\n'
                << message(language, "cli.usage") << '\n';
      return kExitUsage;
    }
    method = "POST";
    path = "/v1/requests?" + lang_query;
    body = *filing;
  } else if (line->command == "alerts") {
    path = "/v1/alerts?" + lang_query + (line->all ? "&all=1" : "");
  } else if (line->command == "ack") {
    method = "POST";
    path = "/v1/alerts/" + std::to_string(*alert_id) + "/ack?" + lang_query;
  } else if (line->command == "snooze") {
    if (!line->days) {
      std::cerr << message(language, "cli.missing_option", {"--days"}) << '\n';
      return kExitUsage;
    }
    method = "POST";
    path = "/v1/alerts/" + std::to_string(*alert_id) + "/snooze?" + lang_query;
    body = "{\"days\": " + std::to_string(*line->days) + "}";
  } else if (line->command == "status") {
    path = "/v1/status";
  } else if (line->command == "tokens") {
    path = "/v1/tokens";
  } else if (line->command == "certs") {
    path = "/v1/certificates";
    if (line->expiring) path += "?expiring=" + std::to_string(*line->expiring);
  } else if (line->command == "scan") {
    method = "POST";
    path = "/v1/scan";
    timeout = std::chrono::seconds(600);
  } else if (line->command == "sync") {
    method = "POST";
    path = "/v1/sync";
    timeout = std::chrono::seconds(900);
  } else if (line->command == "enroll") {
    for (const auto& [option, value] : {std::pair<std::string, std::string>{"--hub", line->hub},
                                        {"--code", line->code},
                                        {"--hub-ca", line->hub_ca}}) {
      if (value.empty()) {
        std::cerr << message(language, "cli.missing_option", {option}) << '\n';
        return kExitUsage;
      }
    }
    std::ifstream ca_file(line->hub_ca, std::ios::binary);
    std::ostringstream ca_pem;
    ca_pem << ca_file.rdbuf();
    if (!ca_file || ca_pem.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      std::cerr << message(language, "cli.read_file", {line->hub_ca}) << '\n';
      return kExitUsage;
    }
    Poco::JSON::Object request(Poco::JSON_PRESERVE_KEY_ORDER);
    request.set("hub", line->hub);
    request.set("code", line->code);
    request.set("hub_ca", ca_pem.str());
    if (line->force) request.set("force", true);
    std::ostringstream text;
    request.stringify(text);
    body = text.str();
    method = "POST";
    path = "/v1/enroll";
    timeout = std::chrono::seconds(120);
  } else {
    std::cerr << message(language, "cli.unknown_command", {line->command}) << '\n'
              << message(language, "cli.usage") << '\n';
    return kExitUsage;
  }

  const auto client = clientOf(*config, language, exit_code);
  if (!client) return exit_code;
  auto answer = cks::agent::askAgent(*client, method, path, timeout, language, body);
  if (!answer) return kExitUnreachable;
  if (line->command == "enroll" && answer->http_status != 200) {
    // The reason in the officer's words; the technical detail is in the agent's log, and here
    // with --verbose.
    std::string detail = answer->body, reason, enrolled_hub;
    try {
      Poco::JSON::Parser parser;
      const auto refusal = parser.parse(answer->body).extract<Object::Ptr>();
      detail = str(refusal, "message");
      reason = str(refusal, "reason");
      if (reason.empty()) reason = str(refusal, "error");
      enrolled_hub = str(refusal, "hub");
    } catch (const Poco::Exception&) {
    }
    static const std::map<std::string, std::string_view> kReasons = {
        {"already_enrolled", "enroll.already"},
        {"unreachable", "enroll.unreachable"},
        {"tls", "enroll.tls"},
        {"code_invalid", "enroll.code_invalid"},
        {"refused", "enroll.refused"}};
    const auto known = kReasons.find(reason);
    std::cerr << message(language, known == kReasons.end() ? "enroll.failed" : known->second,
                         {reason == "already_enrolled" ? enrolled_hub : line->hub, line->hub_ca})
              << '\n';
    if (line->verbose && !detail.empty()) {
      std::cerr << message(language, "cli.detail", {detail}) << '\n';
    }
    return answer->http_status == 502 ? kExitHubUnreachable : 1;
  }
  if (const auto kind = cks::errorCodeOfHttpStatus(answer->http_status);
      takes_id && (kind == ErrorCode::NotFound || kind == ErrorCode::Conflict ||
                   kind == ErrorCode::Unavailable)) {
    // Unavailable: the agent's store is busy or locked by another program; nothing changed.
    std::cerr << message(language,
                         kind == ErrorCode::NotFound   ? "alerts.not_found"
                         : kind == ErrorCode::Conflict ? "alerts.resolved"
                                                       : "alerts.busy",
                         {std::to_string(*alert_id)})
              << '\n';
    return cks::exitCode(kind);
  }
  if (request_command) {
    const std::string id = request_id ? line->arguments[1] : "";
    if (answer->http_status == 422) {
      printRefusal(answer->body, language, message(language, "requests.refused"));
      return kExitUsage;
    }
    if (answer->http_status == 409) {
      printRefusal(answer->body, language, message(language, "requests.cancel_refused", {id, ""}));
      return kExitUsage;
    }
    if (answer->http_status == 404) {
      std::cerr << message(language, "requests.not_found", {id}) << '\n';
      return 1;
    }
    if (answer->http_status == 400 && request_id) {
      // A prefix several requests start with: name them, the officer types one more group.
      std::string candidates;
      try {
        const auto o = Poco::JSON::Parser().parse(answer->body).extract<Object::Ptr>();
        const auto list = o->getArray("candidates");
        for (size_t i = 0; list && i < list->size(); ++i) {
          candidates += "\n  " + list->getElement<std::string>(static_cast<unsigned>(i));
        }
      } catch (const Poco::Exception&) {
      }
      if (!candidates.empty()) {
        std::cerr << message(language, "requests.id_ambiguous", {id, candidates}) << '\n';
        return kExitUsage;
      }
    }
  }
  if (answer->http_status != 200 && !(request_command && answer->http_status == 201)) {
    std::cerr << message(language, "cli.api_error", {answer->body}) << '\n';
    return answer->http_status == 401 ? kExitUsage : 1;
  }
  if (line->command == "sync") return printSync(answer->body, line->json, line->verbose, language);
  if (line->json) {
    std::cout << answer->body << '\n';
    return kExitOk;
  }
  try {
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(answer->body);
    const View view{language, config->display_zone,
                    line->wide ? size_t(0) : cks::platform::outputTableWidth()};
    if (line->command == "certs") printCertificates(parsed.extract<Array::Ptr>(), view);
    if (line->command == "tokens") printTokens(parsed.extract<Array::Ptr>(), view);
    if (line->command == "status") printStatus(parsed.extract<Object::Ptr>(), view);
    if (line->command == "alerts") printAlerts(parsed.extract<Array::Ptr>(), line->all, view);
    if (line->command == "requests") printRequests(parsed.extract<Array::Ptr>(), view);
    if (request_command && subcommand == "show") printRequest(parsed.extract<Object::Ptr>(), view);
    if (request_command && subcommand == "cancel") {
      std::cout << message(language, "requests.cancelled",
                           {str(parsed.extract<Object::Ptr>(), "id")})
                << '\n';
    }
    if (request_command && !request_id) {
      // The id alone on the last line: scripts take it from there.
      const auto o = parsed.extract<Object::Ptr>();
      const auto cancelled = o->getArray("cancelled");
      for (size_t i = 0; cancelled && i < cancelled->size(); ++i) {
        std::cout << message(language, "requests.superseded",
                             {cancelled->getElement<std::string>(static_cast<unsigned>(i))})
                  << '\n';
      }
      std::cout << message(language, "requests.filed",
                           {message(language, "request.kind." + str(o, "kind")), str(o, "form"),
                            message(language, "request.handled_by." + str(o, "handled_by"))})
                << '\n'
                << str(o, "id") << '\n';
    }
    if (takes_id) {
      const auto o = parsed.extract<Object::Ptr>();
      std::cout << message(language, line->command == "ack" ? "alerts.acked" : "alerts.snoozed",
                           {str(o, "id"), view.date(str(o, "snoozed_until"))})
                << '\n';
    }
    if (line->command == "enroll") {
      const auto o = parsed.extract<Object::Ptr>();
      std::cout << message(language, "enroll.ok",
                           {str(o, "hub"), str(o, "agency_name"), str(o, "agency_code"),
                            str(o, "agent_id")})
                << '\n';
    }
    if (line->command == "scan") {
      const auto o = parsed.extract<Object::Ptr>();
      std::cout << message(language, "scan.done",
                           {str(o, "tokens_present"), str(o, "certificates_present")})
                << '\n';
    }
  } catch (const Poco::Exception& e) {
    std::cerr << message(language, "cli.api_error", {e.displayText()}) << '\n';
    return 1;
  }
  return kExitOk;
}
