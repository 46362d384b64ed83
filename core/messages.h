// The one message catalogue for user-facing text: Vietnamese by default, English on request.
// Every program (cksctl, cks-agent's notices, the tray, the hub) takes its text here, by key, so
// a translation is never scattered. Lookup lives in core; the tables live with their owners:
// core's domain words (core/domain_catalogue.cc) and one table per program module
// (agent/agent_catalogue.cc, hub/hub_catalogue.cc, print/print_catalogue.cc,
// tray/core/tray_catalogue.cc). Thread-safe (read-only tables).
#pragma once

#include <initializer_list>
#include <span>
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

// Every key in the catalogue, sorted (for tests that check completeness).
[[nodiscard]] std::vector<std::string_view> messageKeys();

// One entry of a table: the key and its text in both languages.
struct MessageEntry {
  std::string_view key;
  std::string_view vi;
  std::string_view en;
};

// A table is sorted by key (checked by a test) so lookup is a binary search; a key is in one
// table only.
using MessageTable = std::span<const MessageEntry>;

// core's table: the domain words every program shares.
[[nodiscard]] MessageTable domainMessages();

// The tables of the program being linked, besides core's. Defined once per program by the
// module that owns its entry point (agent/program_messages.cc, hub/program_messages.cc,
// tray/core/program_messages.cc) and by the tests, never in core: a program that lacks its
// tables fails to link instead of showing "[key]" (a static library's self-registering object
// would be dropped silently).
[[nodiscard]] std::span<const MessageTable> programMessages();

// Every table the program has: core's first, then the program's.
[[nodiscard]] std::vector<MessageTable> messageTables();

// The catalogue as one JSON object, for the web console: {"key": {"vi": "…", "en": "…"}, …},
// keys sorted.
[[nodiscard]] std::string messagesJson();

// The catalogue in one language for people: a line "key = text" per key, sorted; a text's
// further lines are indented.
[[nodiscard]] std::string messagesText(Language language);

}  // namespace cks
