// cksctl: the command line face of cks-agent, for the agency's IT officer. It reads the
// agent's configuration to find the local API and its secret, asks the running agent, and
// prints Vietnamese text by default (--lang en for English) or the API's JSON (--json).
// The commands are a table (agent/cksctl_command.h); main picks one and the language.
//
// Exit codes (an interface contract): 0 success, 1 the operation failed, 2 usage or
// configuration error, 3 agent not reachable, 4 the province's hub not reachable.
#include <iostream>

#include "agent/agent_config.h"
#include "agent/cksctl_command.h"
#include "core/messages.h"

int main(int argc, char** argv) {
  using cks::message;
  using namespace cks::agent;
  cks::Language language = cks::Language::Vietnamese;
  int exit_code = kExitUsage;
  const auto line = parseCommandLine(argc, argv, language, exit_code);
  if (!line) return exit_code;
  const CksctlCommand* command = findCksctlCommand(line->command);
  if (command && command->reads_config_itself) return command->run({*line, language, nullptr});

  auto config = loadAgentConfig(line->config, FileChecks::Skip, language);
  if (!config) {
    std::cerr << message(language, "cli.config_error", {config.error().message}) << '\n';
    return kExitUsage;
  }
  if (!line->language) language = config->language;
  if (!command) {
    std::cerr << message(language, "cli.unknown_command", {line->command}) << '\n'
              << message(language, "cli.usage") << '\n';
    return kExitUsage;
  }
  return command->run({*line, language, &*config});
}
