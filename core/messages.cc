#include "core/messages.h"

#include <algorithm>
#include <cstdio>

namespace cks {
namespace {

const MessageEntry* find(MessageTable table, std::string_view key) {
  const auto found =
      std::lower_bound(table.begin(), table.end(), key,
                       [](const MessageEntry& e, std::string_view k) { return e.key < k; });
  return found == table.end() || found->key != key ? nullptr : &*found;
}

// A JSON string: UTF-8 passes through; quotes, backslashes and control bytes are escaped.
void appendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// Every entry of every table, by key.
std::vector<const MessageEntry*> sortedEntries() {
  std::vector<const MessageEntry*> entries;
  for (const MessageTable table : messageTables()) {
    for (const MessageEntry& entry : table) entries.push_back(&entry);
  }
  std::sort(entries.begin(), entries.end(),
            [](const MessageEntry* a, const MessageEntry* b) { return a->key < b->key; });
  return entries;
}

}  // namespace

bool parseLanguage(std::string_view text, Language& out) {
  const std::string_view code = text.substr(0, 2);
  if (code == "vi" && (text.size() == 2 || text[2] == '_' || text[2] == '-' || text[2] == '.')) {
    out = Language::Vietnamese;
    return true;
  }
  if (code == "en" && (text.size() == 2 || text[2] == '_' || text[2] == '-' || text[2] == '.')) {
    out = Language::English;
    return true;
  }
  return false;
}

std::string message(Language language, std::string_view key,
                    std::initializer_list<std::string_view> args) {
  const MessageEntry* found = find(domainMessages(), key);
  for (const MessageTable table : programMessages()) {
    if (found != nullptr) break;
    found = find(table, key);
  }
  if (found == nullptr) return "[" + std::string(key) + "]";
  const std::string_view text = language == Language::English ? found->en : found->vi;
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' &&
        text[i + 1] <= '9') {
      const size_t index = size_t(text[i + 1] - '0');
      if (index < args.size()) out.append(*(args.begin() + index));
      i += 2;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

std::vector<std::string_view> messageKeys() {
  std::vector<std::string_view> keys;
  for (const MessageEntry* entry : sortedEntries()) keys.push_back(entry->key);
  return keys;
}

std::vector<MessageTable> messageTables() {
  std::vector<MessageTable> tables{domainMessages()};
  const auto program = programMessages();
  tables.insert(tables.end(), program.begin(), program.end());
  return tables;
}

std::string messagesJson() {
  const auto entries = sortedEntries();
  std::string out = "{";
  for (const MessageEntry* entry : entries) {
    if (out.size() > 1) out += ",";
    out += "\n  ";
    appendJsonString(out, entry->key);
    out += ": {\"vi\": ";
    appendJsonString(out, entry->vi);
    out += ", \"en\": ";
    appendJsonString(out, entry->en);
    out += "}";
  }
  out += entries.empty() ? "}" : "\n}";
  return out;
}

std::string messagesText(Language language) {
  std::string out;
  for (const MessageEntry* entry : sortedEntries()) {
    out.append(entry->key).append(" = ");
    // A text's further lines indented, so every line that starts a row starts with a key.
    for (const char c : language == Language::English ? entry->en : entry->vi) {
      out.push_back(c);
      if (c == '\n') out += "    ";
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace cks
