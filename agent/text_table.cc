#include "agent/text_table.h"

#include <algorithm>

namespace cks::agent {

size_t displayWidth(const std::string& text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte
    // U+0300..U+036F combining diacritics (decomposed Vietnamese) take no column.
    if (byte == 0xCC ||
        (byte == 0xCD && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xB0)) {
      continue;
    }
    ++width;
  }
  return width;
}

std::string TextTable::render() const {
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], displayWidth(row[c]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (size_t c = 0; c < row.size(); ++c) {
      text += row[c];
      if (c + 1 < row.size()) text.append(widths[c] - displayWidth(row[c]) + 2, ' ');
    }
    out += text + "\n";
  };
  for (size_t r = 0; r < rows_.size(); ++r) {
    line(rows_[r]);
    if (r == 0) {
      size_t total = 0;
      for (size_t w : widths) total += w + 2;
      std::string rule;
      for (size_t i = 0; i + 2 < total; ++i) rule += "─";
      out += rule + "\n";
    }
  }
  return out;
}

}  // namespace cks::agent
