// cksctl's command table: each command (status, alerts, request, merger…) is a name, the key of
// its usage text in the catalogue and a handler in its group's file (status_command.cc,
// alert_command.cc, request_command.cc, hub_command.cc, merger_command.cc, report_command.cc,
// doctor_command.cc); cksctl's main only parses the line, picks the command and the language.
// Also what the handlers share: the parsed line, how text output looks, asking the agent.
//
// Exit codes (an interface contract): 0 success, 1 the operation failed, 2 usage or
// configuration error, 3 agent not reachable, 4 the province's hub not reachable.
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "agent/agent_config.h"
#include "agent/local_api_client.h"
#include "agent/merger_command.h"
#include "core/error_code.h"
#include "core/messages.h"
#include "core/time_format.h"

namespace cks::agent {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = exitCode(ErrorCode::InvalidArgument);
inline constexpr int kExitUnreachable = 3;  // the agent itself does not answer
inline constexpr int kExitHubUnreachable = exitCode(ErrorCode::Unavailable);

// The command line as parsed: options may stand anywhere, before or after the command.
struct CommandLine {
  std::string config;
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
  MergerOptions merger;                // merger plan|apply
  std::optional<int> year;             // report … --year Y
  std::string output;                  // request form -o FILE.pdf, merger plan -o FILE.json
  std::vector<std::string> arguments;  // after the command: `ack 12`
  bool force = false;                  // enroll --force: replace the old enrolment
  bool verbose = false;                // add the technical detail of a failure
};

// The command line of `argv`, or nullopt once stderr (or stdout for --help and --version, with
// `exit_code` 0) has said why; `language` follows --lang as it is read.
[[nodiscard]] std::optional<CommandLine> parseCommandLine(int argc, char** argv, Language& language,
                                                          int& exit_code);

// What a command runs with: the line, the language chosen, and the agent's configuration (null
// for a command that reads it itself).
struct Invocation {
  const CommandLine& line;
  Language language;
  const AgentConfig* config;
};

struct CksctlCommand {
  std::string_view name;          // as typed: "status", "request"
  std::string_view usage_key;     // its usage text in the catalogue
  bool reads_config_itself;       // doctor: a broken configuration is a finding, not a usage error
  int (*run)(const Invocation&);  // the exit code
};

// Every command of cksctl.
[[nodiscard]] const std::vector<CksctlCommand>& cksctlCommands();
// The command named `name`, or null.
[[nodiscard]] const CksctlCommand* findCksctlCommand(std::string_view name);

// How text output looks: the language, the zone times are shown in ([display] time_zone,
// Vietnam time by default, whatever the PC's own zone) and the width tables fit (0: whole).
struct View {
  Language lang;
  TimeZone zone;
  size_t width;

  // "2026-11-22T04:50:38Z" as "22/11/2026 11:50" in the display zone.
  [[nodiscard]] std::string time(const std::string& iso) const;
  [[nodiscard]] std::string date(const std::string& iso) const;
};

// The view of an invocation with a configuration: --wide or the terminal's width.
[[nodiscard]] View viewOf(const Invocation& invocation);
// The width tables fit: 0 (whole) with --wide, else the terminal's.
[[nodiscard]] size_t tableWidth(const CommandLine& line);

// A whole number from `low` to `high`, or nullopt.
[[nodiscard]] std::optional<int> wholeNumber(const std::string& text, int low, int high);
// The string at `key`, "" when the object or the key is absent or null.
[[nodiscard]] std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key);
// The fingerprint as tables show it: enough hex digits to name the certificate with --cert,
// all 64 with --wide.
[[nodiscard]] std::string shortFingerprint(const std::string& fingerprint, const View& view);
// "lang=en" or "lang=vi": the agent words its messages in the officer's language.
[[nodiscard]] std::string langQuery(Language language);

// The local API client, or nullopt (said on stderr, with the exit code in `failure_exit`) when
// the agent's secret cannot be read: the agent has never started with this configuration (3),
// or this user may not read it (2: a permission to grant, not a service to start).
[[nodiscard]] std::optional<LocalApiClient> clientOf(const AgentConfig& config, Language language,
                                                     int& failure_exit);

// Says "unknown command" for the last argument when there are more than `allowed`.
[[nodiscard]] bool tooManyArguments(const Invocation& invocation, size_t allowed);

// One request to the running agent.
struct AgentRequest {
  std::string method = "GET";
  std::string path;
  std::string body;
  std::chrono::seconds timeout{30};
};
[[nodiscard]] AgentRequest getRequest(std::string path);
[[nodiscard]] AgentRequest postRequest(std::string path, std::string body = "",
                                       std::chrono::seconds timeout = std::chrono::seconds(30));

// The agent's answer whatever its status, or nullopt with `exit_code` (2 or 3) once stderr
// has said why it could not be asked.
[[nodiscard]] std::optional<ApiAnswer> askRunningAgent(const Invocation& invocation,
                                                       const AgentRequest& request, int& exit_code);
// An answer the command has no words for: cli.api_error with the body; 2 for a wrong secret
// (401), else 1.
[[nodiscard]] int answerFailed(const Invocation& invocation, const ApiAnswer& answer);
// The answer's body as is with --json, else `show` given the parsed body; a body that is not
// the JSON expected: cli.api_error and 1.
[[nodiscard]] int showAnswer(
    const Invocation& invocation, const ApiAnswer& answer,
    const std::function<void(const Poco::Dynamic::Var&, const View&)>& show);
// The agent's 200 answer, or nullopt with `exit_code` once stderr has said why there is none
// (askRunningAgent, then answerFailed for any other status).
[[nodiscard]] std::optional<ApiAnswer> askForOk(const Invocation& invocation,
                                                const AgentRequest& request, int& exit_code);
// A command that shows what the agent answers: askForOk, then showAnswer.
[[nodiscard]] int askAndShow(
    const Invocation& invocation, const AgentRequest& request,
    const std::function<void(const Poco::Dynamic::Var&, const View&)>& show);
// True, once the text at `none_key` is said, when `list` is empty: no table of headings alone.
[[nodiscard]] bool saidNone(const Poco::JSON::Array::Ptr& list, Language language,
                            std::string_view none_key);
// A table's column headings, from their keys in the catalogue.
[[nodiscard]] std::vector<std::string> headings(Language language,
                                                std::initializer_list<std::string_view> keys);

// The handlers of the command table, by group.
[[nodiscard]] int statusCommand(const Invocation& invocation);
[[nodiscard]] int tokensCommand(const Invocation& invocation);
[[nodiscard]] int certsCommand(const Invocation& invocation);
[[nodiscard]] int scanCommand(const Invocation& invocation);
[[nodiscard]] int alertsCommand(const Invocation& invocation);
[[nodiscard]] int ackCommand(const Invocation& invocation);
[[nodiscard]] int snoozeCommand(const Invocation& invocation);
[[nodiscard]] int enrollCommand(const Invocation& invocation);
[[nodiscard]] int syncCommand(const Invocation& invocation);
[[nodiscard]] int requestCommand(const Invocation& invocation);
[[nodiscard]] int requestsCommand(const Invocation& invocation);
[[nodiscard]] int mergerCommand(const Invocation& invocation);
[[nodiscard]] int reportCommand(const Invocation& invocation);
[[nodiscard]] int doctorCommandOf(const Invocation& invocation);
[[nodiscard]] int messagesCommand(const Invocation& invocation);

}  // namespace cks::agent
