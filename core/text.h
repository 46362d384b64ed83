// Text helpers every module shares (std only, so the tray compiles them in too).
#pragma once

#include <string_view>

namespace cks {

// Spaces, tabs and line ends.
inline constexpr std::string_view kBlanks = " \t\r\n";
// Spaces and tabs only (a value on one line).
inline constexpr std::string_view kSpaces = " \t";

// `text` without the `blanks` around it (a view into `text`).
[[nodiscard]] std::string_view trim(std::string_view text, std::string_view blanks = kBlanks);

}  // namespace cks
