// The terminal a command line program writes to: its width, so tables fit (core/text_table.h),
// and whether a person is at the keyboard. Platform code: posix/terminal.cc,
// windows/terminal.cc.
#pragma once

#include <cstddef>
#include <optional>

namespace cks::platform {

// Columns of the terminal standard output is, or nullopt when it is not a terminal (a pipe,
// a file) or its size is unknown.
[[nodiscard]] std::optional<size_t> terminalColumns();

// The width cksctl and `cks-hub admin` fit their tables to: COLUMNS when set, else
// terminalColumns(), else 80.
[[nodiscard]] size_t outputTableWidth();

// True when standard input is a terminal (a person can answer a question).
[[nodiscard]] bool inputIsTerminal();

}  // namespace cks::platform
