// The [log] section every program's INI file shares (agent.ini, hub.ini): its settings, the
// keys of the section for a program's ConfigSchema, and the one builder of the log channel
// (console, the system log, a size-rotated file). Called by main before any thread starts.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>

#include "core/config_schema.h"

namespace cks::common {

struct LogSettings {
  std::string level = "information";  // fatal … trace (Poco's levels)
  std::string file;                   // empty: no log file
  std::string rotation = "10 M";      // the size a file is rotated at
  int keep = 5;                       // rotated files kept
  bool syslog = true;                 // the system log (the agent only)
  bool console = true;                // standard error
};

using PathResolver = ConfigPathResolver;

// One key of [log]: how its text applies to the settings, and its hint.
struct LogKey {
  std::string_view name;
  bool (*apply)(const std::string& text, LogSettings& settings, const PathResolver& resolve);
  ConfigHint hint;
};

// The keys of [log]: level, file, rotation, keep, console, and syslog when `with_syslog` (the
// hub logs to standard error, which systemd collects).
[[nodiscard]] std::vector<LogKey> logKeys(bool with_syslog);

// The [log] section of `Config`'s schema, writing into its `settings` member.
template <typename Config>
[[nodiscard]] std::map<std::string, ConfigKey<Config>> logSection(LogSettings Config::*settings,
                                                                  PathResolver resolve,
                                                                  bool with_syslog) {
  std::map<std::string, ConfigKey<Config>> section;
  for (const auto& key : logKeys(with_syslog)) {
    section[std::string(key.name)] = {
        [settings, resolve, apply = key.apply](const std::string& text, Config& config) {
          return apply(text, config.*settings, resolve);
        },
        key.hint};
  }
  return section;
}

// The log channel of `settings`: console and file lines carry a UTC time stamp, the system log
// (`system_log`, null for none; used only when settings.syslog) the text alone.
[[nodiscard]] Poco::AutoPtr<Poco::Channel> makeLogChannel(
    const LogSettings& settings, Poco::AutoPtr<Poco::Channel> system_log = {});

}  // namespace cks::common
