// The frame of `cks-hub admin`: its command line parsed once into options, flags and operands
// (AdminArgs), the table each command group adds its commands to (AdminCommand), and what a
// command runs with (AdminSession: the config, the store, the streams, and the helpers that
// render text, tables and errors). A command parses what it needs, calls a province service
// (hub/province/) and renders its view as text or --json. Single-threaded.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <cstddef>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/messages.h"
#include "core/result.h"
#include "hub/hub_config.h"
#include "hub/province/province_context.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

// What follows `admin`: the command, the options with a value (by their long name: "-o" is
// "--output"), the flags, and the operands of the commands that take them.
struct AdminArgs {
  std::string command;
  std::map<std::string, std::string, std::less<>> values;
  std::set<std::string, std::less<>> flags;
  std::vector<std::string> operands;

  [[nodiscard]] std::optional<std::string> value(std::string_view option) const;
  [[nodiscard]] bool flag(std::string_view name) const { return flags.contains(name); }
};

class AdminSession;

// One command of the table: its name, the options it cannot do without, whether it takes
// operands (`request accept ID`) and needs the hub's store, and what runs it (the exit code).
struct AdminCommand {
  std::string_view name;
  std::vector<std::string_view> required;
  bool takes_operands = false;
  bool needs_store = true;
  int (*run)(AdminSession& session, const AdminArgs& args) = nullptr;
};

class AdminSession {
 public:
  AdminSession(const HubConfig& hub_config, Language shown_language, const Clock& hub_clock,
               std::ostream& output, std::ostream& errors, size_t table_width)
      : config(hub_config),
        language(shown_language),
        clock(hub_clock),
        out(output),
        err(errors),
        table_width_(table_width) {}

  // Opens the hub's store; a usage error (exit 2) when no hub created one there (an admin
  // command on an empty store would hide a wrong [store] url).
  [[nodiscard]] std::optional<int> openStore();
  // What the services work on; only after openStore.
  [[nodiscard]] ProvinceContext province() const {
    return provinceContext(*store_, clock, language, actor());
  }
  // The store itself, for the roles outside the province's context (revocation lists); only
  // after openStore.
  [[nodiscard]] HubStore& store() const { return *store_; }
  // Who the audit trail names for the admin CLI: "cli:" and the Unix user running it.
  [[nodiscard]] static std::string actor();

  [[nodiscard]] std::string text(std::string_view key,
                                 std::initializer_list<std::string_view> args = {}) const;
  // The header row, a rule, then the rows, fitted to the terminal unless --wide; `flexible`
  // are the columns of long text that wrap first, `fixed` those kept whole (core/text_table.h).
  [[nodiscard]] std::string renderTable(const std::vector<std::vector<std::string>>& rows,
                                        std::initializer_list<size_t> flexible = {},
                                        std::initializer_list<size_t> fixed = {}) const;
  // An instant as text: "dd/mm/yyyy HH:MM" (or the date alone) in [display] time_zone.
  [[nodiscard]] std::string shownTime(TimePoint at) const;
  [[nodiscard]] std::string shownDate(TimePoint at) const;
  // A request id as tables show it: its first group (a unique prefix names it), whole with
  // --wide.
  [[nodiscard]] std::string shownId(const std::string& id) const;

  // Prints `json` on a line of its own; exit 0.
  int printJson(const Poco::Dynamic::Var& json);
  // Prints "cks-hub: MESSAGE"; exit 1.
  int runtimeError(const Error& error);
  // Prints "cks-hub: MESSAGE"; exit 2.
  int usageError(const std::string& message);
  // A service's refusal or failure: exit 2 for a bad argument, 1 otherwise.
  int failed(const Error& error);

  const HubConfig& config;
  const Language language;
  const Clock& clock;
  std::ostream& out;
  std::ostream& err;

 private:
  const size_t table_width_;  // 0: --wide
  std::unique_ptr<HubStore> store_;
};

// `text` without the blanks around it.
[[nodiscard]] std::string trimmed(const std::string& text);

// The commands of each group (hub/admin/*_commands.cc).
[[nodiscard]] std::vector<AdminCommand> agentCommands();
[[nodiscard]] std::vector<AdminCommand> agencyCommands();
[[nodiscard]] std::vector<AdminCommand> inventoryCommands();
[[nodiscard]] std::vector<AdminCommand> alertCommands();
[[nodiscard]] std::vector<AdminCommand> requestCommands();
[[nodiscard]] std::vector<AdminCommand> mergerCommands();
[[nodiscard]] std::vector<AdminCommand> reportCommands();
[[nodiscard]] std::vector<AdminCommand> upstreamCommands();
[[nodiscard]] std::vector<AdminCommand> userCommands();
[[nodiscard]] std::vector<AdminCommand> revocationCommands();

// `report submit`: the province's aggregate of `year` sent to the national hub
// (upstream_commands.cc).
[[nodiscard]] int submitUpward(AdminSession& session, int year);

}  // namespace cks::hub
