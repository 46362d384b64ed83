// A parsed INI file that remembers where each key came from, so configuration errors can name
// the file, line, section and key. Syntax: `[section]`, `key = value`, full-line comments
// starting with ';' or '#', blank lines. Keys before any section belong to section "".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/messages.h"
#include "core/result.h"

namespace cks {

struct IniEntry {
  std::string section;
  std::string key;
  std::string value;
  int line = 0;
};

class IniDocument {
 public:
  // Parses `text`; `source` (usually the file path) prefixes every error message, written in
  // `language` from the message catalogue (ini.*).
  [[nodiscard]] static Result<IniDocument> parse(std::string_view text, std::string source,
                                                 Language language = Language::Vietnamese);

  [[nodiscard]] const std::string& source() const { return source_; }
  [[nodiscard]] const std::vector<IniEntry>& entries() const { return entries_; }
  [[nodiscard]] const IniEntry* find(std::string_view section, std::string_view key) const;

 private:
  std::string source_;
  std::vector<IniEntry> entries_;
};

}  // namespace cks
