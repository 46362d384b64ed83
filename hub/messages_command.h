// `cks-hub messages [--json]`: the hub's message catalogue (core's domain words, the hub's and
// print's tables), for the province's web console (issue 14 serves the same JSON) and for
// translators. --lang is a global option, read with the others by cks-hub's main.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/messages.h"

namespace cks::hub {

// `args`: what follows "messages". With --json, every key in both languages as one object
// ({"key": {"vi": "…", "en": "…"}}, messagesJson()); without, "key = text" lines in `language`.
// Returns 0, or 2 with one line on `err` for anything else on the line.
[[nodiscard]] int messagesCommand(const std::vector<std::string>& args, Language language,
                                  std::ostream& out, std::ostream& err);

}  // namespace cks::hub
