#include "core/text.h"

#include <array>
#include <sstream>

namespace cks {

std::string_view trim(std::string_view text, std::string_view blanks) {
  const auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(blanks);
  return text.substr(first, last - first + 1);
}

std::string hexLower(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * bytes.size());
  for (const std::uint8_t byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

std::string base64(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group =
        (std::uint32_t(bytes[i]) << 16) | (std::uint32_t(bytes[i + 1]) << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) text.push_back(kDigits[(group >> shift) & 63]);
  }
  // One or two bytes left: two or three digits and the padding.
  if (const std::size_t left = bytes.size() - i; left > 0) {
    std::uint32_t group = std::uint32_t(bytes[i]) << 16;
    if (left == 2) group |= std::uint32_t(bytes[i + 1]) << 8;
    text.push_back(kDigits[(group >> 18) & 63]);
    text.push_back(kDigits[(group >> 12) & 63]);
    text.push_back(left == 2 ? kDigits[(group >> 6) & 63] : '=');
    text.push_back('=');
  }
  return text;
}

// Standard base64 (RFC 4648 §4) with padding; whitespace is skipped, as Poco's decoder did.
// A table lookup instead of Poco::Base64Decoder: the stream decoder cost more per certificate
// than the rest of the entry's checks.
bool decodeBase64(std::string_view text, std::vector<std::uint8_t>& out) {
  static constexpr std::array<std::int8_t, 256> kValues = [] {
    std::array<std::int8_t, 256> values{};
    values.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) values[static_cast<unsigned char>(alphabet[i])] = std::int8_t(i);
    return values;
  }();
  out.clear();
  out.reserve(text.size() / 4 * 3);
  std::uint32_t group = 0;
  int filled = 0;   // sextets in `group`
  int padding = 0;  // '=' seen; only at the end of the last group
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      if (filled < 2 || filled + padding >= 4) return false;
      ++padding;
      continue;
    }
    const std::int8_t value = kValues[static_cast<unsigned char>(c)];
    if (value < 0 || padding > 0) return false;
    group = (group << 6) | std::uint32_t(value);
    if (++filled == 4) {
      out.push_back(std::uint8_t(group >> 16));
      out.push_back(std::uint8_t(group >> 8));
      out.push_back(std::uint8_t(group));
      group = 0;
      filled = 0;
    }
  }
  if (padding == 0) return filled == 0;
  if (filled + padding != 4) return false;
  group <<= 6 * padding;
  out.push_back(std::uint8_t(group >> 16));
  if (filled == 3) out.push_back(std::uint8_t(group >> 8));
  return true;
}

std::string join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out.push_back(separator);
    out += part;
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

}  // namespace cks
