#include "hub/hub_admin.h"

#include <algorithm>

#include "hub/admin/admin_session.h"
#include "hub/hub_config.h"
#include "hub/hub_messages.h"
#include "platform/terminal.h"

namespace cks::hub {
namespace {

// Every command, from the groups' tables (hub/admin/*_commands.cc).
std::vector<AdminCommand> commandTable() {
  std::vector<AdminCommand> table;
  for (auto group :
       {upstreamCommands, agentCommands, agencyCommands, inventoryCommands, alertCommands,
        requestCommands, mergerCommands, reportCommands, userCommands, revocationCommands}) {
    auto commands = group();
    table.insert(table.end(), commands.begin(), commands.end());
  }
  return table;
}

const AdminCommand* findCommand(const std::vector<AdminCommand>& table, std::string_view name) {
  const auto found = std::find_if(table.begin(), table.end(),
                                  [&](const AdminCommand& c) { return c.name == name; });
  return found == table.end() ? nullptr : &*found;
}

// The options that take a value (any command may be given any of them; each reads its own),
// and the flags.
constexpr std::string_view kValueOptions[] = {
    "--agency",    "--name",        "--ttl",    "--agent", "--days",       "--state",    "--reason",
    "--reference", "--by",          "--into",   "--from",  "--keep",       "--decision", "--year",
    "--date",      "--remind-from", "--output", "--hub",   "--code",       "--hub-ca",   "--type",
    "--role",      "--actor",       "--action", "--limit", "--certificate"};
constexpr std::string_view kFlags[] = {"--json",   "--wide", "--all",    "--force",
                                       "--rename", "--yes",  "--verify", "--clear"};

}  // namespace

int runAdmin(const std::string& config_path, const std::vector<std::string>& args,
             Language language, const Clock& clock, std::ostream& out, std::ostream& err) {
  auto text = [&](std::string_view key, std::initializer_list<std::string_view> a = {}) {
    return hubMessage(language, key, a);
  };
  auto usage = [&](const std::string& problem) {
    err << "cks-hub: " << problem << " (cks-hub admin --help)\n";
    return kExitUsage;
  };
  const std::vector<AdminCommand> table = commandTable();
  AdminArgs line;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string option = arg;
    std::optional<std::string> inline_value;
    if (const auto equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
      option = arg.substr(0, equals);
      inline_value = arg.substr(equals + 1);
    }
    const std::string name = option == "-o" ? "--output" : option;
    const AdminCommand* command = findCommand(table, line.command);
    if (std::find(std::begin(kValueOptions), std::end(kValueOptions), name) !=
        std::end(kValueOptions)) {
      if (inline_value) {
        line.values[name] = *inline_value;
      } else if (i + 1 < args.size()) {
        line.values[name] = args[++i];
      } else {
        return usage(text("missing_value", {option}));
      }
    } else if (std::find(std::begin(kFlags), std::end(kFlags), arg) != std::end(kFlags)) {
      line.flags.insert(arg);
    } else if (arg == "-y") {
      line.flags.insert("--yes");
    } else if (command && command->takes_operands && arg.rfind("-", 0) != 0) {
      line.operands.push_back(arg);
    } else if (arg.rfind("-", 0) == 0 || !line.command.empty()) {
      return usage(text("unknown_option", {arg}));
    } else {
      line.command = arg;
    }
  }
  if (line.command.empty()) return usage(text("missing_command"));
  const AdminCommand* command = findCommand(table, line.command);
  if (!command) return usage(text("unknown_command", {line.command}));
  for (const auto option : command->required) {
    if (!line.values.contains(option)) {
      return usage(text("missing_option", {line.command, option}));
    }
  }
  auto config = loadHubConfig(config_path, language);
  if (!config) {
    err << "cks-hub: " << config.error().message << '\n';
    return kExitUsage;
  }
  // The width tables fit: COLUMNS when set, else the terminal's, else 80 (core/text_table.h).
  AdminSession session(*config, language, clock, out, err,
                       line.flag("--wide") ? 0 : platform::outputTableWidth());
  if (command->needs_store) {
    if (const auto failed = session.openStore()) return *failed;
  }
  return command->run(session, line);
}

}  // namespace cks::hub
