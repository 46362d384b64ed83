// Text helpers every module shares (std only, so the tray compiles them in too).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cks {

// Spaces, tabs and line ends.
inline constexpr std::string_view kBlanks = " \t\r\n";
// Spaces and tabs only (a value on one line).
inline constexpr std::string_view kSpaces = " \t";

// `text` without the `blanks` around it (a view into `text`).
[[nodiscard]] std::string_view trim(std::string_view text, std::string_view blanks = kBlanks);

// `parts` with `separator` between them; split() takes them apart again ("" gives no part, and
// a trailing separator no empty last part), as a list column is stored.
[[nodiscard]] std::string join(const std::vector<std::string>& parts, char separator);
[[nodiscard]] std::vector<std::string> split(const std::string& text, char separator);

}  // namespace cks
