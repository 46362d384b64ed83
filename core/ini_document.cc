#include "core/ini_document.h"

#include "core/text.h"

namespace cks {
namespace {}  // namespace

Result<IniDocument> IniDocument::parse(std::string_view text, std::string source,
                                       Language language) {
  auto problem = [&](const std::string& where, std::string_view key,
                     std::initializer_list<std::string_view> args = {}) {
    return fail(where, ": ", message(language, key, args));
  };
  IniDocument doc;
  doc.source_ = std::move(source);
  std::string section;
  int line_number = 0;
  // A UTF-8 byte order mark (Notepad writes one) is not part of the first key.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty()) {
    ++line_number;
    const auto end = text.find('\n');
    const std::string_view raw = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const std::string_view line = trim(raw);
    const std::string where = doc.source_ + ":" + std::to_string(line_number);
    if (line.empty() || line.front() == ';' || line.front() == '#') continue;
    if (line.front() == '[') {
      if (line.back() != ']') return problem(where, "ini.unclosed_section");
      section = std::string(trim(line.substr(1, line.size() - 2)));
      if (section.empty()) return problem(where, "ini.empty_section");
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      return problem(where, "ini.not_key_value", {line});
    }
    IniEntry entry{section, std::string(trim(line.substr(0, equals))),
                   std::string(trim(line.substr(equals + 1))), line_number};
    if (entry.key.empty()) return problem(where, "ini.missing_key");
    if (const IniEntry* earlier = doc.find(entry.section, entry.key)) {
      return fail(where, ": [", entry.section, "] ", entry.key, ": ",
                  message(language, "ini.set_twice", {std::to_string(earlier->line)}));
    }
    doc.entries_.push_back(std::move(entry));
  }
  return doc;
}

const IniEntry* IniDocument::find(std::string_view section, std::string_view key) const {
  for (const auto& entry : entries_) {
    if (entry.section == section && entry.key == key) return &entry;
  }
  return nullptr;
}

}  // namespace cks
