// The width of the terminal cksctl writes to, so its tables fit (core/text_table.h).
// Platform code: posix/terminal.cc, windows/terminal.cc.
#pragma once

#include <cstddef>
#include <optional>

namespace cks::agent {

// Columns of the terminal standard output is, or nullopt when it is not a terminal (a pipe,
// a file) or its size is unknown.
[[nodiscard]] std::optional<size_t> terminalColumns();

// The width cksctl fits its tables to: COLUMNS when set, else terminalColumns(), else 80.
[[nodiscard]] size_t outputTableWidth();

}  // namespace cks::agent
