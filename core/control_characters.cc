#include "core/control_characters.h"

namespace cks {
namespace {

// The length of the control character at `text[at]` (1, or 2 for a C1 control in UTF-8), or 0.
size_t controlAt(std::string_view text, size_t at) {
  const auto byte = static_cast<unsigned char>(text[at]);
  if (byte < 0x20 || byte == 0x7f) return 1;
  if (byte == 0xc2 && at + 1 < text.size()) {
    const auto next = static_cast<unsigned char>(text[at + 1]);
    if (next >= 0x80 && next <= 0x9f) return 2;
  }
  return 0;
}

}  // namespace

std::string escapeControlCharacters(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t at = 0; at < text.size();) {
    const size_t length = controlAt(text, at);
    if (length == 0) {
      out += text[at++];
      continue;
    }
    const auto code = static_cast<unsigned char>(text[at + length - 1]);
    if (length == 1 && code == '\n') {
      out += "\\n";
    } else if (length == 1 && code == '\r') {
      out += "\\r";
    } else if (length == 1 && code == '\t') {
      out += "\\t";
    } else {
      out += length == 2 ? "\\u00" : "\\x";
      out += kHex[code >> 4];
      out += kHex[code & 0xf];
    }
    at += length;
  }
  return out;
}

bool hasControlCharacters(std::string_view text) {
  for (size_t at = 0; at < text.size(); ++at) {
    if (controlAt(text, at) != 0) return true;
  }
  return false;
}

}  // namespace cks
