// The one message catalogue for user-facing text: Vietnamese by default, English on request.
// Every program (cksctl, cks-agent's notices, later the tray and the hub) takes its text here,
// by key, so a translation is never scattered. Thread-safe (read-only tables).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cks {

enum class Language { Vietnamese, English };

// Accepts "vi" and "en" (also "vi_VN", "en_US.UTF-8", …); false for anything else.
[[nodiscard]] bool parseLanguage(std::string_view text, Language& out);

// The text of `key` in `language`, with "{0}", "{1}", … replaced by `args`. An unknown key
// returns the key itself in brackets, so a missing entry shows up in tests and never crashes.
[[nodiscard]] std::string message(Language language, std::string_view key,
                                  std::initializer_list<std::string_view> args = {});

// Every key in the catalogue (for tests that check completeness).
[[nodiscard]] std::vector<std::string_view> messageKeys();

}  // namespace cks
