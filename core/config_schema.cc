#include "core/config_schema.h"

#include <cerrno>
#include <cstring>

namespace cks {

std::string hintText(Language language, const ConfigHint& hint) {
  // message() takes up to a handful of arguments; hints have at most three.
  const auto arg = [&](size_t i) -> std::string_view {
    return i < hint.args.size() ? std::string_view(hint.args[i]) : std::string_view();
  };
  return message(language, hint.key, {arg(0), arg(1), arg(2)});
}

Language configLanguage(const IniDocument& doc, std::string_view section, std::string_view key,
                        Language fallback) {
  Language chosen = fallback;
  if (const IniEntry* entry = doc.find(section, key)) {
    if (!parseLanguage(entry->value, chosen)) chosen = fallback;
  }
  return chosen;
}

std::string configPlace(const std::string& path, const IniEntry& entry) {
  return path + ":" + std::to_string(entry.line) + ": [" + entry.section + "] " + entry.key + ": ";
}

std::string configPlace(const std::string& path, const IniDocument& doc, std::string_view section,
                        std::string_view key) {
  if (const IniEntry* entry = doc.find(section, key)) return configPlace(path, *entry);
  return path + ": [" + std::string(section) + "] " + std::string(key) + ": ";
}

tl::unexpected<Error> configError(Language language, const std::string& place, std::string_view key,
                                  std::initializer_list<std::string_view> args) {
  return fail(place, message(language, key, args));
}

tl::unexpected<Error> unreadableConfig(Language language, const std::string& path,
                                       int error_number) {
  const std::string place = path + ": ";
  switch (error_number) {
    case ENOENT:
      return configError(language, place, "config.no_file");
    case EACCES:
    case EPERM:
      return configError(language, place, "config.permission_denied");
    case EISDIR:
      return configError(language, place, "config.not_a_file");
    default:
      return configError(language, place, "config.unreadable", {std::strerror(error_number)});
  }
}

tl::unexpected<Error> badConfigValue(Language language, const std::string& path,
                                     const IniEntry& entry, const ConfigHint& hint) {
  return configError(language, configPlace(path, entry), "config.bad_value",
                     {entry.value, hintText(language, hint)});
}

namespace internal {

tl::unexpected<Error> unknownSection(Language language, const std::string& path,
                                     const IniEntry& entry, const std::string& known) {
  return configError(language,
                     path + ":" + std::to_string(entry.line) + ": [" + entry.section + "]: ",
                     "config.unknown_section", {known});
}

tl::unexpected<Error> unknownKey(Language language, const std::string& path, const IniEntry& entry,
                                 const std::string& known) {
  return configError(language, configPlace(path, entry), "config.unknown_key",
                     {entry.section, known});
}

}  // namespace internal
}  // namespace cks
