#include "core/utf8.h"

#include <cstdint>

namespace cks {

bool decodeUtf8(std::string_view text, std::vector<char32_t>& out) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = std::uint8_t(text[i]);
    int length = 0;
    char32_t code_point = 0;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;
    }
    if (i + size_t(length) > text.size()) return false;
    for (int k = 1; k < length; ++k) {
      const auto next = std::uint8_t(text[i + size_t(k)]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000) ||
        (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
      return false;
    }
    out.push_back(code_point);
    i += size_t(length);
  }
  return true;
}

bool isValidUtf8(std::string_view text) {
  std::vector<char32_t> ignored;
  return decodeUtf8(text, ignored);
}

void appendUtf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(char(c));
  } else if (c < 0x800) {
    out.push_back(char(0xC0 | (c >> 6)));
    out.push_back(char(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(char(0xE0 | (c >> 12)));
    out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(char(0x80 | (c & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (c >> 18)));
    out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(char(0x80 | (c & 0x3F)));
  }
}

char32_t lowerVietnamese(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 0x20;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;    // À … Ý
  if (c >= 0x100 && c <= 0x137 && c % 2 == 0) return c + 1;    // Ā … ķ (Ă, Đ, Ĩ)
  if (c >= 0x14A && c <= 0x177 && c % 2 == 0) return c + 1;    // Ŋ … ŷ (Ũ)
  if (c == 0x1A0 || c == 0x1AF) return c + 1;                  // Ơ Ư
  if (c >= 0x1EA0 && c <= 0x1EF9 && c % 2 == 0) return c + 1;  // Ạ … Ỹ
  return c;
}

std::string lowerVietnamese(std::string_view text) {
  std::vector<char32_t> code_points;
  if (!decodeUtf8(text, code_points)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (const char32_t c : code_points) appendUtf8(lowerVietnamese(c), out);
  return out;
}

}  // namespace cks
