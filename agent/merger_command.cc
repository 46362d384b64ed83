#include "agent/merger_command.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "agent/cksctl_command.h"
#include "agent/request_form_command.h"
#include "agent/text_table.h"
#include "core/labels.h"
#include "platform/files.h"
#include "print/request_forms.h"

namespace cks::agent {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr auto kTimeout = std::chrono::seconds(120);  // a batch of hundreds in one transaction

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, 2);
  return out.str();
}

std::string lowerQuery(Language language) {
  return language == Language::English ? "?lang=en" : "?lang=vi";
}

// "H21.09.01,H21.09.02=UBND xã Bình Chương" → [{"code", "name"?}, …]
Array::Ptr unitsOf(const std::string& from) {
  Array::Ptr units = new Array;
  std::stringstream list(from);
  for (std::string part; std::getline(list, part, ',');) {
    const auto first = part.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    part = part.substr(first);
    Object::Ptr unit = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    const auto equals = part.find('=');
    std::string code = part.substr(0, equals);
    while (!code.empty() && code.back() == ' ') code.pop_back();
    unit->set("code", code);
    if (equals != std::string::npos) unit->set("name", part.substr(equals + 1));
    units->add(unit);
  }
  return units;
}

// The reasons of a 422 answer, one per line under `header`.
void printReasons(const std::string& body, const std::string& header, Language language) {
  std::cerr << header << '\n';
  try {
    const auto o = Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
    if (const auto reasons = o->getArray("reasons")) {
      for (size_t i = 0; i < reasons->size(); ++i) {
        std::cerr << "  - " << str(reasons->getObject(unsigned(i)), "message") << '\n';
      }
      return;
    }
    std::cerr << str(o, "message") << '\n';
  } catch (const Poco::Exception&) {
    std::cerr << message(language, "cli.api_error", {body}) << '\n';
  }
}

void printPlan(const Object::Ptr& plan, Language language, size_t table_width) {
  const auto merger = plan->getObject("merger");
  std::string from;
  if (const auto units = merger->getArray("from")) {
    for (size_t i = 0; i < units->size(); ++i) {
      const auto unit = units->getObject(unsigned(i));
      from += (from.empty() ? "" : ", ") + str(unit, "name") + " (" + str(unit, "code") + ")";
    }
  }
  const auto into = merger->getObject("into");
  std::cout << message(language, "merger.plan_title", {from, str(into, "name"), str(into, "code")})
            << "\n\n";
  TextTable table({message(language, "merger.col.item"), message(language, "merger.col.send"),
                   message(language, "merger.col.action"), message(language, "merger.col.unit"),
                   message(language, "col.holder"), message(language, "merger.col.token"),
                   message(language, "merger.col.why")});
  const auto items = plan->getArray("items");
  for (size_t i = 0; items && i < items->size(); ++i) {
    const auto item = items->getObject(unsigned(i));
    const auto certificate = item->getObject("certificate");
    const bool sends = item->optValue<bool>("include", false) && !item->isNull("request");
    table.addRow(
        {std::to_string(item->getValue<int>("item")), sends ? message(language, "yes") : "",
         labelOfName(str(item, "action"), parseMergerAction, language), str(item, "unit"),
         str(certificate, "common_name"), str(certificate, "token_serial"), str(item, "why_text")});
  }
  table.flexible(4).flexible(6);
  std::cout << table.render(table_width);
  const auto summary = plan->getObject("summary");
  std::cout << '\n'
            << message(language, "merger.summary",
                       {str(summary, "change"), str(summary, "revoke"), str(summary, "keep"),
                        str(summary, "review")})
            << '\n';
  if (const auto warnings = plan->getArray("warnings")) {
    for (size_t i = 0; i < warnings->size(); ++i) {
      std::cout << "! " << str(warnings->getObject(unsigned(i)), "message") << '\n';
    }
  }
  if (const auto unmatched = plan->getArray("unmatched"); unmatched && unmatched->size() > 0) {
    std::cout << message(language, "merger.unmatched", {std::to_string(unmatched->size())}) << '\n';
  }
  if (const auto expired = plan->getArray("expired"); expired && expired->size() > 0) {
    std::cout << message(language, "merger.expired", {std::to_string(expired->size())}) << '\n';
  }
}

}  // namespace

int mergerPlanCommand(const LocalApiClient& client, const MergerOptions& options,
                      Language language) {
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  if (options.into.empty()) {
    if (!options.from.empty() || !options.name.empty()) {
      std::cerr << message(language, "cli.missing_option", {"--into"}) << '\n';
      return kExitUsage;
    }
    body.set("published", true);
  } else {
    Object::Ptr into = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    into->set("code", options.into);
    into->set("name", options.name);
    body.set("into", into);
    body.set("from", unitsOf(options.from));
    if (!options.decision.empty()) body.set("decision", options.decision);
  }
  if (!options.keep.empty()) body.set("keep", options.keep);
  if (options.unused_days) body.set("unused_days", *options.unused_days);

  const auto answer = askAgent(client, "POST", "/v1/mergers/plan" + lowerQuery(language), kTimeout,
                               language, stringify(body));
  if (!answer) return kExitUnreachable;
  if (answer->http_status == 422) {
    printReasons(answer->body, message(language, "merger.plan_refused"), language);
    return kExitUsage;
  }
  if (answer->http_status == 404) {
    std::cerr << message(language, "merger.published_none") << '\n';
    return 1;
  }
  if (answer->http_status != 200) {
    std::cerr << message(language, "cli.api_error", {answer->body}) << '\n';
    return answer->http_status == 400 ? kExitUsage : 1;
  }
  Object::Ptr plan;
  try {
    plan = Poco::JSON::Parser().parse(answer->body).extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    std::cerr << message(language, "cli.api_error", {e.displayText()}) << '\n';
    return 1;
  }
  // Indented, so the officer can read and edit it.
  std::string output = options.output;
  if (output.empty()) {
    output = "merger-plan-" + str(plan->getObject("merger")->getObject("into"), "code") + ".json";
  }
  if (auto written = platform::replaceFile(output, stringify(plan) + "\n"); !written) {
    std::cerr << written.error().message << '\n';
    return 1;
  }
  if (options.json) {
    std::cout << answer->body << '\n';
    return 0;
  }
  printPlan(plan, language, options.table_width);
  std::cout << '\n' << message(language, "merger.plan_written", {output}) << '\n';
  return 0;
}

int mergerApplyCommand(const LocalApiClient& client, const AgentConfig& config,
                       const std::string& plan_file, const MergerOptions& options,
                       Language language, TimePoint now) {
  std::ifstream in(plan_file, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (!in) {
    std::cerr << message(language, "cli.read_file", {plan_file}) << '\n';
    return kExitUsage;
  }
  try {
    (void)Poco::JSON::Parser().parse(contents.str());
  } catch (const Poco::Exception& e) {
    std::cerr << message(language, "merger.plan_unreadable", {plan_file, e.displayText()}) << '\n';
    return kExitUsage;
  }
  const auto answer = askAgent(client, "POST", "/v1/mergers/apply" + lowerQuery(language), kTimeout,
                               language, contents.str());
  if (!answer) return kExitUnreachable;
  if (answer->http_status == 422 || answer->http_status == 400) {
    std::string why = answer->body;
    try {
      why = str(Poco::JSON::Parser().parse(answer->body).extract<Object::Ptr>(), "message");
    } catch (const Poco::Exception&) {
    }
    if (answer->http_status == 400)
      why = message(language, "merger.plan_unreadable", {plan_file, why});
    std::cerr << why << '\n';
    return kExitUsage;
  }
  if (answer->http_status != 201) {
    std::cerr << message(language, "cli.api_error", {answer->body}) << '\n';
    return 1;
  }
  if (options.json) std::cout << answer->body << '\n';

  const auto result = Poco::JSON::Parser().parse(answer->body).extract<Object::Ptr>();
  const auto filed = result->getArray("filed");
  std::vector<std::string> changes;
  std::vector<std::string> revocations;
  for (size_t i = 0; i < filed->size(); ++i) {
    const auto request = filed->getObject(unsigned(i));
    (str(request, "kind") == "revocation" ? revocations : changes).push_back(str(request, "id"));
  }
  if (!options.json) {
    std::cout << message(language, "merger.applied",
                         {std::to_string(filed->size()),
                          str(result->getObject("merger")->getObject("into"), "name"),
                          std::to_string(changes.size()), std::to_string(revocations.size())})
              << '\n';
    for (const auto& id : changes) std::cout << id << '\n';
    for (const auto& id : revocations) std::cout << id << '\n';
  }
  if (options.forms.empty()) return 0;

  // Seed 004: the change-of-information list goes to the Sở (Mẫu 04), the revocation list to
  // the Cục with the devices (Mẫu 05). One form each.
  std::error_code error;
  std::filesystem::create_directories(options.forms, error);
  const std::string code = str(result->getObject("merger")->getObject("into"), "code");
  for (const auto& [ids, form] : {std::pair{&changes, "04"}, std::pair{&revocations, "05"}}) {
    if (ids->empty()) continue;
    const std::string path =
        (std::filesystem::path(options.forms) / ("sap-nhap-" + code + "-mau-" + form + ".pdf"))
            .string();
    const int written = writeFormCommand(client, config, *ids, path, language, now);
    if (written != 0) {
      print::releaseFonts();
      return written == kExitUnreachable ? written : 1;
    }
  }
  // cksctl exits next: give back fontconfig's and pango's caches (LeakSanitizer counts them).
  print::releaseFonts();
  return 0;
}

// merger plan --into … | merger apply PLAN.json
int mergerCommand(const Invocation& invocation) {
  const CommandLine& line = invocation.line;
  const Language language = invocation.language;
  const std::string what = line.arguments.empty() ? "" : line.arguments[0];
  const size_t wanted = what == "apply" ? 2u : 1u;
  if ((what != "plan" && what != "apply") || line.arguments.size() != wanted) {
    std::cerr << message(language, "cli.unknown_command",
                         {line.arguments.empty() ? "merger" : "merger " + what})
              << '\n'
              << message(language, "cli.usage") << '\n';
    return kExitUsage;
  }
  int exit_code = kExitOk;
  const auto client = clientOf(*invocation.config, language, exit_code);
  if (!client) return exit_code;
  MergerOptions options = line.merger;
  options.output = line.output;
  options.json = line.json;
  options.table_width = tableWidth(line);
  if (what == "plan") return mergerPlanCommand(*client, options, language);
  return mergerApplyCommand(*client, *invocation.config, line.arguments[1], options, language,
                            SystemClock().now());
}

}  // namespace cks::agent
