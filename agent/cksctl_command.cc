#include "agent/cksctl_command.h"

#include <iostream>

#include <Poco/JSON/Parser.h>

#include "agent/api_secret.h"
#include "platform/host.h"
#include "platform/terminal.h"

namespace cks::agent {

const std::vector<CksctlCommand>& cksctlCommands() {
  static const std::vector<CksctlCommand> kCommands = {
      {"status", "cli.usage.status", false, statusCommand},
      {"doctor", "cli.usage.doctor", true, doctorCommandOf},
      {"tokens", "cli.usage.tokens", false, tokensCommand},
      {"certs", "cli.usage.certs", false, certsCommand},
      {"scan", "cli.usage.scan", false, scanCommand},
      {"enroll", "cli.usage.enroll", false, enrollCommand},
      {"sync", "cli.usage.sync", false, syncCommand},
      {"alerts", "cli.usage.alerts", false, alertsCommand},
      {"ack", "cli.usage.ack", false, ackCommand},
      {"snooze", "cli.usage.snooze", false, snoozeCommand},
      {"request", "cli.usage.request", false, requestCommand},
      {"requests", "cli.usage.requests", false, requestsCommand},
      {"merger", "cli.usage.merger", false, mergerCommand},
      {"report", "cli.usage.report", false, reportCommand},
      // Needs no agent: the catalogue is this cksctl's.
      {"messages", "cli.usage.messages", true, messagesCommand},
  };
  return kCommands;
}

const CksctlCommand* findCksctlCommand(std::string_view name) {
  for (const auto& command : cksctlCommands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

std::string View::time(const std::string& iso) const {
  const auto at = parseIsoUtc(iso);
  return at ? formatLocalDateTime(*at, zone) : iso;
}

std::string View::date(const std::string& iso) const {
  const auto at = parseIsoUtc(iso);
  return at ? formatLocalDate(*at, zone) : iso;
}

size_t tableWidth(const CommandLine& line) { return line.wide ? 0 : platform::outputTableWidth(); }

View viewOf(const Invocation& invocation) {
  return View{invocation.language, invocation.config->display_zone, tableWidth(invocation.line)};
}

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

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  return o && o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : std::string();
}

std::string shortFingerprint(const std::string& fingerprint, const View& view) {
  return view.width == 0 ? fingerprint : fingerprint.substr(0, 12);
}

std::string langQuery(Language language) {
  return language == Language::English ? "lang=en" : "lang=vi";
}

std::optional<LocalApiClient> clientOf(const AgentConfig& config, Language language,
                                       int& failure_exit) {
  auto secret = readApiSecret(config.api_secret_file);
  if (!secret && secret.error().kind == ApiSecretError::Kind::PermissionDenied) {
    const std::string group = config.api_secret_group.empty() ? "cks" : config.api_secret_group;
    std::cerr << message(language, "cli.secret_denied",
                         {config.api_secret_file, platform::userName().value_or(platform::userId()),
                          group})
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
  return LocalApiClient(config.api_port, *secret);
}

bool tooManyArguments(const Invocation& invocation, size_t allowed) {
  const auto& arguments = invocation.line.arguments;
  if (arguments.size() <= allowed) return false;
  std::cerr << message(invocation.language, "cli.unknown_command", {arguments.back()}) << '\n';
  return true;
}

AgentRequest getRequest(std::string path) {
  return {"GET", std::move(path), "", std::chrono::seconds(30)};
}

AgentRequest postRequest(std::string path, std::string body, std::chrono::seconds timeout) {
  return {"POST", std::move(path), std::move(body), timeout};
}

std::optional<ApiAnswer> askRunningAgent(const Invocation& invocation, const AgentRequest& request,
                                         int& exit_code) {
  const auto client = clientOf(*invocation.config, invocation.language, exit_code);
  if (!client) return std::nullopt;
  auto answer = askAgent(*client, request.method, request.path, request.timeout,
                         invocation.language, request.body);
  if (!answer) exit_code = kExitUnreachable;
  return answer;
}

int answerFailed(const Invocation& invocation, const ApiAnswer& answer) {
  // The answer's sentence, not its JSON, where it has one.
  std::string said = answer.body;
  try {
    const auto body = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
    if (body->has("message")) said = body->getValue<std::string>("message");
  } catch (const Poco::Exception&) {
  }
  std::cerr << message(invocation.language, "cli.api_error", {said}) << '\n';
  return answer.http_status == 401 ? kExitUsage : 1;
}

int showAnswer(const Invocation& invocation, const ApiAnswer& answer,
               const std::function<void(const Poco::Dynamic::Var&, const View&)>& show) {
  if (invocation.line.json) {
    std::cout << answer.body << '\n';
    return kExitOk;
  }
  try {
    Poco::JSON::Parser parser;
    show(parser.parse(answer.body), viewOf(invocation));
  } catch (const Poco::Exception& e) {
    std::cerr << message(invocation.language, "cli.api_error", {e.displayText()}) << '\n';
    return 1;
  }
  return kExitOk;
}

std::optional<ApiAnswer> askForOk(const Invocation& invocation, const AgentRequest& request,
                                  int& exit_code) {
  auto answer = askRunningAgent(invocation, request, exit_code);
  if (!answer) return std::nullopt;
  if (answer->http_status != 200) {
    exit_code = answerFailed(invocation, *answer);
    return std::nullopt;
  }
  return answer;
}

int askAndShow(const Invocation& invocation, const AgentRequest& request,
               const std::function<void(const Poco::Dynamic::Var&, const View&)>& show) {
  int exit_code = kExitOk;
  const auto answer = askForOk(invocation, request, exit_code);
  if (!answer) return exit_code;
  return showAnswer(invocation, *answer, show);
}

bool saidNone(const Poco::JSON::Array::Ptr& list, Language language, std::string_view none_key) {
  if (list->size() != 0) return false;
  std::cout << message(language, none_key) << '\n';
  return true;
}

std::vector<std::string> headings(Language language, std::initializer_list<std::string_view> keys) {
  std::vector<std::string> texts;
  texts.reserve(keys.size());
  for (const auto key : keys) texts.push_back(message(language, key));
  return texts;
}

// `cksctl messages [--json]`: this cksctl's catalogue, for translators and the console.
int messagesCommand(const Invocation& invocation) {
  if (tooManyArguments(invocation, 0)) return kExitUsage;
  if (invocation.line.json) {
    std::cout << messagesJson() << '\n';
  } else {
    std::cout << messagesText(invocation.language);
  }
  return kExitOk;
}

}  // namespace cks::agent
