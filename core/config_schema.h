// One binder for the INI files of every program (agent.ini, hub.ini): each key's parser and a
// hint at a good value, and errors that name the file, line, section and key in the reader's
// language ("/etc/cks/agent.ini:4: [scan] interval: giá trị "often" không hợp lệ (cần …)").
// Hints and problems are catalogue keys (config.*), never English text written in a loader.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/ini_document.h"
#include "core/messages.h"
#include "core/result.h"

namespace cks {

// What a good value looks like: a catalogue key ("config.expect.…") and its arguments.
struct ConfigHint {
  std::string_view key;
  std::vector<std::string> args = {};
};

// One key a file may set: how to apply its text to the configuration, and the hint shown when
// the text is refused.
template <typename Config>
struct ConfigKey {
  std::function<bool(const std::string&, Config&)> apply;
  ConfigHint hint;
};

// Makes a relative path in a configuration file absolute (next to the file).
using ConfigPathResolver = std::function<std::string(const std::string&)>;

// Section → key → how to read it.
template <typename Config>
using ConfigSchema = std::map<std::string, std::map<std::string, ConfigKey<Config>>>;

// The text of a hint in `language`.
[[nodiscard]] std::string hintText(Language language, const ConfigHint& hint);

// The language configuration errors are written in: the file's own `[section] key` when it is
// set and valid (agent.ini's [agent] language), else `fallback` (the command line's --lang).
[[nodiscard]] Language configLanguage(const IniDocument& doc, std::string_view section,
                                      std::string_view key, Language fallback);

// "PATH:LINE: [section] key: " for an entry; "PATH: [section] key: " for a key not in the file.
[[nodiscard]] std::string configPlace(const std::string& path, const IniEntry& entry);
[[nodiscard]] std::string configPlace(const std::string& path, const IniDocument& doc,
                                      std::string_view section, std::string_view key);

// The error "<place><catalogue text of key with args>".
[[nodiscard]] tl::unexpected<Error> configError(Language language, const std::string& place,
                                                std::string_view key,
                                                std::initializer_list<std::string_view> args = {});

// A file that could not be opened, from the errno of the attempt: missing, permission denied,
// a folder, anything else (its strerror in English only).
[[nodiscard]] tl::unexpected<Error> unreadableConfig(Language language, const std::string& path,
                                                     int error_number);

// The error "<place>bad value "…" (expected <hint>)" for an entry whose text was refused.
[[nodiscard]] tl::unexpected<Error> badConfigValue(Language language, const std::string& path,
                                                   const IniEntry& entry, const ConfigHint& hint);

// The values every INI file's keys share. true|yes|on|1 and false|no|off|0; a whole number
// from `low` to `high`; a comma-separated list, each item without the blanks around it and
// empty items left out. A value that is none of these leaves `out` as it was.
[[nodiscard]] bool parseConfigBool(const std::string& text, bool& out);
[[nodiscard]] bool parseConfigInt(const std::string& text, int low, int high, int& out);
[[nodiscard]] std::vector<std::string> splitConfigList(const std::string& text);
// The digits `text` starts with (at most `max_digits`, so that no value overflows) as `value`,
// and `text` moved past them to the unit ("30s", "10 M"); false when it does not start with one.
[[nodiscard]] bool takeConfigNumber(std::string_view& text, std::size_t max_digits,
                                    long long& value);

namespace internal {
[[nodiscard]] tl::unexpected<Error> unknownSection(Language language, const std::string& path,
                                                   const IniEntry& entry, const std::string& known);
[[nodiscard]] tl::unexpected<Error> unknownKey(Language language, const std::string& path,
                                               const IniEntry& entry, const std::string& known);
}  // namespace internal

// Applies one entry through `schema`: an unknown section, an unknown key (both listing the
// known ones) or a refused value is an error at the entry's place.
template <typename Config>
Status applyConfigEntry(const ConfigSchema<Config>& schema, const std::string& path,
                        const IniEntry& entry, Config& config, Language language) {
  const auto section = schema.find(entry.section);
  if (section == schema.end()) {
    std::string known;
    for (const auto& [name, keys] : schema) known += (known.empty() ? "" : ", ") + name;
    return internal::unknownSection(language, path, entry, known);
  }
  const auto key = section->second.find(entry.key);
  if (key == section->second.end()) {
    std::string known;
    for (const auto& [name, spec] : section->second) known += (known.empty() ? "" : ", ") + name;
    return internal::unknownKey(language, path, entry, known);
  }
  if (!key->second.apply(entry.value, config)) {
    return badConfigValue(language, path, entry, key->second.hint);
  }
  return ok();
}

}  // namespace cks
