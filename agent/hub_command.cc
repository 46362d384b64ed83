#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <Poco/JSON/Parser.h>

#include "agent/cksctl_command.h"

namespace cks::agent {
namespace {

using Poco::JSON::Object;

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
    // The agent's volume of the day at the hub: tomorrow will do, nothing is lost.
    if (str(o, "hub_error") == "volume_exceeded") {
      std::cerr << message(lang, "sync.volume_exceeded") << '\n';
    }
  }
  if (outcome == "ok") return kExitOk;
  if (outcome == "unreachable") return kExitHubUnreachable;
  return 1;
}

// A refused enrolment: the reason in the officer's words; the technical detail is in the
// agent's log, and here with --verbose.
int enrollRefused(const Invocation& invocation, const ApiAnswer& answer) {
  const CommandLine& line = invocation.line;
  const Language language = invocation.language;
  std::string detail = answer.body, reason, enrolled_hub, folder;
  try {
    Poco::JSON::Parser parser;
    const auto refusal = parser.parse(answer.body).extract<Object::Ptr>();
    detail = str(refusal, "message");
    reason = str(refusal, "reason");
    if (reason.empty()) reason = str(refusal, "error");
    enrolled_hub = str(refusal, "hub");
    folder = str(refusal, "folder");
  } catch (const Poco::Exception&) {
  }
  static const std::map<std::string, std::string_view> kReasons = {
      {"already_enrolled", "enroll.already"},
      {"unreachable", "enroll.unreachable"},
      {"tls", "enroll.tls"},
      {"code_invalid", "enroll.code_invalid"},
      {"disk_full", "enroll.disk_full"},
      {"refused", "enroll.refused"}};
  const auto known = kReasons.find(reason);
  std::cerr << message(
                   language, known == kReasons.end() ? "enroll.failed" : known->second,
                   {reason == "already_enrolled" ? enrolled_hub : line.hub, line.hub_ca, folder})
            << '\n';
  if (line.verbose && !detail.empty()) {
    std::cerr << message(language, "cli.detail", {detail}) << '\n';
  }
  return answer.http_status == 502 ? kExitHubUnreachable : 1;
}

}  // namespace

int enrollCommand(const Invocation& invocation) {
  const CommandLine& line = invocation.line;
  const Language language = invocation.language;
  if (tooManyArguments(invocation, 0)) return kExitUsage;
  for (const auto& [option, value] : {std::pair<std::string, std::string>{"--hub", line.hub},
                                      {"--code", line.code},
                                      {"--hub-ca", line.hub_ca}}) {
    if (value.empty()) {
      std::cerr << message(language, "cli.missing_option", {option}) << '\n';
      return kExitUsage;
    }
  }
  std::ifstream ca_file(line.hub_ca, std::ios::binary);
  std::ostringstream ca_pem;
  ca_pem << ca_file.rdbuf();
  if (!ca_file || ca_pem.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    std::cerr << message(language, "cli.read_file", {line.hub_ca}) << '\n';
    return kExitUsage;
  }
  Object request(Poco::JSON_PRESERVE_KEY_ORDER);
  request.set("hub", line.hub);
  request.set("code", line.code);
  request.set("hub_ca", ca_pem.str());
  if (line.force) request.set("force", true);
  std::ostringstream text;
  request.stringify(text);
  int exit_code = kExitOk;
  const auto answer = askRunningAgent(
      invocation, postRequest("/v1/enroll", text.str(), std::chrono::seconds(120)), exit_code);
  if (!answer) return exit_code;
  if (answer->http_status != 200) return enrollRefused(invocation, *answer);
  return showAnswer(invocation, *answer, [&](const Poco::Dynamic::Var& parsed, const View&) {
    const auto o = parsed.extract<Object::Ptr>();
    std::cout << message(language, "enroll.ok",
                         {str(o, "hub"), str(o, "agency_name"), str(o, "agency_code"),
                          str(o, "agent_id")})
              << '\n';
  });
}

int syncCommand(const Invocation& invocation) {
  if (tooManyArguments(invocation, 0)) return kExitUsage;
  int exit_code = kExitOk;
  const auto answer =
      askForOk(invocation, postRequest("/v1/sync", "", std::chrono::seconds(900)), exit_code);
  if (!answer) return exit_code;
  return printSync(answer->body, invocation.line.json, invocation.line.verbose,
                   invocation.language);
}

}  // namespace cks::agent
