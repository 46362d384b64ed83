#include <iostream>
#include <limits>

#include "agent/cksctl_command.h"
#include "agent/text_table.h"
#include "core/labels.h"

namespace cks::agent {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

void printAlerts(const Array::Ptr& alerts, bool all, const View& view) {
  const Language lang = view.lang;
  if (saidNone(alerts, lang, all ? "alerts.none_ever" : "alerts.none")) return;
  TextTable table(
      headings(lang, {"col.id", "col.severity", "col.state", "col.raised", "col.message"}));
  table.flexible(4).fixed(3);
  for (size_t i = 0; i < alerts->size(); ++i) {
    const auto a = alerts->getObject(static_cast<unsigned>(i));
    table.addRow({str(a, "id"), labelOfName(str(a, "severity"), parseSeverity, lang),
                  labelOfName(str(a, "state"), parseAlertState, lang),
                  view.time(str(a, "raised_at")), str(a, "message")});
  }
  std::cout << message(lang, "alerts.title") << '\n' << table.render(view.width);
  std::cout << wrapText(message(lang, "alerts.hint"), view.width) << '\n';
}

// `ack ID` and `snooze ID --days N`: the alert's answer in words.
int changeAlert(const Invocation& invocation) {
  const CommandLine& line = invocation.line;
  const Language language = invocation.language;
  if (tooManyArguments(invocation, 1)) return kExitUsage;
  std::optional<int> alert_id;
  if (line.arguments.empty() ||
      !(alert_id = wholeNumber(line.arguments[0], 1, std::numeric_limits<int>::max()))) {
    std::cerr << message(language, "cli.bad_alert_id",
                         {line.arguments.empty() ? "" : line.arguments[0]})
              << '\n';
    return kExitUsage;
  }
  const bool ack = line.command == "ack";
  AgentRequest request = postRequest("");
  if (ack) {
    request.path = "/v1/alerts/" + std::to_string(*alert_id) + "/ack?" + langQuery(language);
  } else {
    if (!line.days) {
      std::cerr << message(language, "cli.missing_option", {"--days"}) << '\n';
      return kExitUsage;
    }
    request.path = "/v1/alerts/" + std::to_string(*alert_id) + "/snooze?" + langQuery(language);
    request.body = "{\"days\": " + std::to_string(*line.days) + "}";
  }
  int exit_code = kExitOk;
  const auto answer = askRunningAgent(invocation, request, exit_code);
  if (!answer) return exit_code;
  if (const auto kind = errorCodeOfHttpStatus(answer->http_status);
      kind == ErrorCode::NotFound || kind == ErrorCode::Conflict ||
      kind == ErrorCode::Unavailable) {
    // Unavailable: the agent's store is busy or locked by another program; nothing changed.
    std::cerr << message(language,
                         kind == ErrorCode::NotFound   ? "alerts.not_found"
                         : kind == ErrorCode::Conflict ? "alerts.resolved"
                                                       : "alerts.busy",
                         {std::to_string(*alert_id)})
              << '\n';
    return exitCode(kind);
  }
  if (answer->http_status != 200) return answerFailed(invocation, *answer);
  return showAnswer(invocation, *answer, [&](const Poco::Dynamic::Var& parsed, const View& view) {
    const auto o = parsed.extract<Object::Ptr>();
    std::cout << message(language, ack ? "alerts.acked" : "alerts.snoozed",
                         {str(o, "id"), view.date(str(o, "snoozed_until"))})
              << '\n';
  });
}

}  // namespace

int alertsCommand(const Invocation& invocation) {
  if (tooManyArguments(invocation, 0)) return kExitUsage;
  const bool all = invocation.line.all;
  const std::string path = "/v1/alerts?" + langQuery(invocation.language) + (all ? "&all=1" : "");
  return askAndShow(invocation, getRequest(path),
                    [&](const Poco::Dynamic::Var& parsed, const View& view) {
                      printAlerts(parsed.extract<Array::Ptr>(), all, view);
                    });
}

int ackCommand(const Invocation& invocation) { return changeAlert(invocation); }

int snoozeCommand(const Invocation& invocation) { return changeAlert(invocation); }

}  // namespace cks::agent
