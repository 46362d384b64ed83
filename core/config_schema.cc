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

bool parseConfigBool(const std::string& text, bool& out) {
  if (text == "true" || text == "yes" || text == "on" || text == "1") return out = true, true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return out = false, true;
  return false;
}

bool parseConfigInt(const std::string& text, int low, int high, int& out) {
  if (text.empty() || text.size() > 9) return false;  // nine digits cannot overflow an int
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < low || value > high) return false;
  out = value;
  return true;
}

bool takeConfigNumber(std::string_view& text, std::size_t max_digits, long long& value) {
  std::size_t digits = 0;
  value = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9' &&
         digits < max_digits) {
    value = value * 10 + (text[digits] - '0');
    ++digits;
  }
  text.remove_prefix(digits);
  return digits > 0;
}

std::vector<std::string> splitConfigList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    const auto first = item.find_first_not_of(" \t");
    if (first != std::string::npos) {
      items.push_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
    }
    start = end + 1;
  }
  return items;
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
