// Text helpers every module shares (std only, so the tray compiles them in too).
#pragma once

#include <cstdint>
#include <span>
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

// `bytes` as lowercase hex, two digits a byte.
[[nodiscard]] std::string hexLower(std::span<const std::uint8_t> bytes);

// `bytes` in standard Base64 (RFC 4648, with '=' padding), on one line.
[[nodiscard]] std::string base64(std::span<const std::uint8_t> bytes);
// Decodes standard Base64 with padding into `out`, skipping blanks and line ends; false for
// anything else (a foreign character, misplaced or missing padding).
[[nodiscard]] bool decodeBase64(std::string_view text, std::vector<std::uint8_t>& out);

// `parts` with `separator` between them; split() takes them apart again ("" gives no part, and
// a trailing separator no empty last part), as a list column is stored.
[[nodiscard]] std::string join(const std::vector<std::string>& parts, char separator);
[[nodiscard]] std::vector<std::string> split(const std::string& text, char separator);

}  // namespace cks
