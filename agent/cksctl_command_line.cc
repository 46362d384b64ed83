#include <iostream>

#include "agent/cksctl_command.h"
#include "core/version.h"
#include "platform/locations.h"

namespace cks::agent {

std::optional<CommandLine> parseCommandLine(int argc, char** argv, Language& language,
                                            int& exit_code) {
  CommandLine line;
  line.config = platform::configFolder() + "/agent.ini";
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
    // The whole number after `name`, or nullopt once stderr has said why (the text at `bad`).
    auto number = [&](const std::string& name, int low, int high,
                      std::string_view bad) -> std::optional<int> {
      auto v = value(name);
      if (!v) return std::nullopt;
      const auto n = wholeNumber(*v, low, high);
      if (!n) std::cerr << message(language, bad, {*v}) << '\n';
      return n;
    };
    if (is("--config")) {
      auto v = value("--config");
      if (!v) return std::nullopt;
      line.config = *v;
    } else if (is("--lang")) {
      auto v = value("--lang");
      if (!v) return std::nullopt;
      Language chosen;
      if (!parseLanguage(*v, chosen)) {
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
      line.days = number("--days", 1, 365, "cli.bad_snooze_days");
      if (!line.days) return std::nullopt;
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
      line.merger.unused_days = number("--unused-days", 1, 3650, "cli.bad_days");
      if (!line.merger.unused_days) return std::nullopt;
    } else if (is("--year")) {
      line.year = number("--year", 2000, 2100, "reportcli.bad_year");
      if (!line.year) return std::nullopt;
    } else if (arg == "--unusable") {
      line.unusable = true;
    } else if (arg == "--force") {
      line.force = true;
    } else if (arg == "--verbose" || arg == "-v") {
      line.verbose = true;
    } else if (arg == "--version") {
      std::cout << "cksctl " << kVersion << '\n';
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

}  // namespace cks::agent
