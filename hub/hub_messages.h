// The text cks-hub shows people (admin commands), Vietnamese by default and English on request.
// A hub-local table for now: the shared catalogue (core/messages.cc) is edited by another change
// at the same time, and these keys move there once it lands. Read-only, thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/messages.h"

namespace cks::hub {

// The text of `key` in `language`, "{0}", "{1}", … replaced by `args`; "[key]" when unknown.
[[nodiscard]] std::string hubMessage(Language language, std::string_view key,
                                     std::initializer_list<std::string_view> args = {});

// Every key (for the test that checks the table is sorted and complete).
[[nodiscard]] std::vector<std::string_view> hubMessageKeys();

}  // namespace cks::hub
