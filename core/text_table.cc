#include "core/text_table.h"

#include <algorithm>
#include <numeric>

#include "core/control_characters.h"
#include "core/utf8.h"

namespace cks {
namespace {

constexpr size_t kGap = 2;
// A flexible column keeps at least this many columns before the others are squeezed; any
// column keeps at least kNarrowest.
constexpr size_t kFlexibleFloor = 12;
constexpr size_t kNarrowest = 4;

bool zeroWidth(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0xFE00 && c <= 0xFE0F);
}

// The code points of `text` (bytes as Latin-1 when it is not UTF-8, so nothing is lost).
std::vector<char32_t> codePoints(std::string_view text) {
  std::vector<char32_t> out;
  if (decodeUtf8(text, out)) return out;
  out.clear();
  for (const char c : text) out.push_back(char32_t(static_cast<unsigned char>(c)));
  return out;
}

// `text` cut into lines of at most `width` display columns, breaking after a space or a hyphen
// where one is near enough, else inside the word.
std::vector<std::string> wrap(std::string_view text, size_t width) {
  if (width == 0 || displayWidth(text) <= width) return {std::string(text)};
  const std::vector<char32_t> chars = codePoints(text);
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < chars.size()) {
    // Skip the spaces a break left at the start of a line.
    while (start < chars.size() && chars[start] == U' ') ++start;
    if (start >= chars.size()) break;
    size_t end = start;
    size_t used = 0;
    size_t last_break = 0;  // index after the last space or hyphen in this line, 0 if none
    while (end < chars.size()) {
      const size_t w = zeroWidth(chars[end]) ? 0 : 1;
      if (used + w > width) break;
      used += w;
      // Inside a word joined by a hyphen ("TOKEN-0001"), not in an option ("--days").
      const bool joining_hyphen = chars[end] == U'-' && end > start && chars[end - 1] != U' ' &&
                                  chars[end - 1] != U'-' && end + 1 < chars.size() &&
                                  chars[end + 1] != U'-' && chars[end + 1] != U' ';
      if (chars[end] == U' ' || joining_hyphen) last_break = end + 1;
      ++end;
    }
    // Combining marks stay with their letter.
    while (end < chars.size() && zeroWidth(chars[end])) ++end;
    if (end < chars.size() && last_break > start && chars[end] != U' ') end = last_break;
    std::string line;
    for (size_t i = start; i < end; ++i) appendUtf8(chars[i], line);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(line);
    start = end;
  }
  if (lines.empty()) lines.push_back("");
  return lines;
}

// Lowers the widest of `widths[c]` (of the columns `may_shrink` allows, each no lower than its
// `floors[c]`) until their total is at most `budget`, or every such column is at its floor.
void shrink(std::vector<size_t>& widths, const std::vector<bool>& may_shrink,
            const std::vector<size_t>& floors, size_t budget) {
  auto total = [&] { return std::accumulate(widths.begin(), widths.end(), size_t(0)); };
  auto movable = [&](size_t c) { return may_shrink[c] && widths[c] > floors[c]; };
  while (total() > budget) {
    size_t widest = widths.size();
    for (size_t c = 0; c < widths.size(); ++c) {
      if (movable(c) && (widest == widths.size() || widths[c] > widths[widest])) widest = c;
    }
    if (widest == widths.size()) return;
    // Down to the next widest movable column (so the widest ones share the cut), or as far as
    // needed, never below its floor.
    size_t next = floors[widest];
    for (size_t c = 0; c < widths.size(); ++c) {
      if (movable(c) && widths[c] < widths[widest]) next = std::max(next, widths[c]);
    }
    const size_t excess = total() - budget;
    widths[widest] = std::max(next, widths[widest] - std::min(excess, widths[widest]));
  }
}

// The widest word of `text` (what a column must keep so as not to break inside a word).
size_t widestWord(std::string_view text) {
  size_t widest = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(' ', start), text.size());
    widest = std::max(widest, displayWidth(text.substr(start, end - start)));
    start = end + 1;
  }
  return widest;
}

}  // namespace

size_t displayWidth(std::string_view text) {
  std::vector<char32_t> chars;
  if (!decodeUtf8(text, chars)) {
    return size_t(std::count_if(text.begin(), text.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
  }
  return size_t(
      std::count_if(chars.begin(), chars.end(), [](char32_t c) { return !zeroWidth(c); }));
}

std::string wrapText(std::string_view text, size_t width) {
  std::string out;
  for (const auto& line : wrap(text, width)) out += (out.empty() ? "" : "\n") + line;
  return out;
}

size_t tableWidth(const char* columns_env, std::optional<size_t> terminal) {
  if (columns_env != nullptr && *columns_env != '\0') {
    size_t value = 0;
    bool digits = true;
    for (const char* p = columns_env; *p != '\0' && digits; ++p) {
      digits = *p >= '0' && *p <= '9' && value < 100000;
      value = value * 10 + size_t(*p - '0');
    }
    if (digits && value > 0) return value;
  }
  if (terminal && *terminal > 0) return *terminal;
  return 80;
}

std::string TextTable::render(size_t width) const {
  // A label or a name read from a token is printed as text, never obeyed by the terminal: its
  // control characters are written out (review finding 5 of issue 15).
  for (const auto& row : rows_) {
    for (const auto& cell : row) {
      if (!hasControlCharacters(cell)) continue;
      TextTable shown(*this);
      for (auto& shown_row : shown.rows_) {
        for (auto& shown_cell : shown_row) shown_cell = escapeControlCharacters(shown_cell);
      }
      return shown.render(width);
    }
  }
  size_t columns = 0;
  for (const auto& row : rows_) columns = std::max(columns, row.size());
  std::vector<size_t> widths(columns, 0);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], displayWidth(row[c]));
  }
  const size_t gaps = columns == 0 ? 0 : kGap * (columns - 1);
  if (width > 0 && columns > 0) {
    const size_t budget = width > gaps ? width - gaps : 0;
    std::vector<bool> flexible(columns, false);
    for (size_t c = 0; c < columns && c < flexible_.size(); ++c) flexible[c] = flexible_[c];
    std::vector<bool> movable(columns, true);
    for (size_t c = 0; c < columns && c < fixed_.size(); ++c) movable[c] = !fixed_[c];
    const std::vector<size_t> narrowest(columns, kNarrowest);
    // First the long text columns, down to a readable width; then headers wider than their
    // values wrap (at word boundaries); then the other columns, the fixed ones last.
    shrink(widths, flexible, std::vector<size_t>(columns, kFlexibleFloor), budget);
    std::vector<size_t> values(columns, kNarrowest);
    for (size_t r = 1; r < rows_.size(); ++r) {
      for (size_t c = 0; c < rows_[r].size(); ++c) {
        values[c] = std::max(values[c], displayWidth(rows_[r][c]));
      }
    }
    for (size_t c = 0; c < columns && !rows_.empty() && c < rows_[0].size(); ++c) {
      values[c] = std::max(values[c], widestWord(rows_[0][c]));
    }
    shrink(widths, movable, values, budget);
    shrink(widths, movable, narrowest, budget);
    shrink(widths, std::vector<bool>(columns, true), narrowest, budget);
  }
  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::vector<std::vector<std::string>> cells(columns);
    size_t height = 1;
    for (size_t c = 0; c < columns; ++c) {
      cells[c] = wrap(c < row.size() ? row[c] : "", width > 0 ? widths[c] : 0);
      height = std::max(height, cells[c].size());
    }
    for (size_t line = 0; line < height; ++line) {
      std::string text;
      size_t pending = 0;  // padding owed before the next non-empty piece
      for (size_t c = 0; c < columns; ++c) {
        const std::string piece = line < cells[c].size() ? cells[c][line] : "";
        if (!piece.empty()) {
          text.append(pending, ' ');
          pending = 0;
          text += piece;
        }
        pending += widths[c] - std::min(widths[c], displayWidth(piece)) + kGap;
      }
      out += text + "\n";
    }
  };
  for (size_t r = 0; r < rows_.size(); ++r) {
    emit(rows_[r]);
    if (r == 0) {
      const size_t total = std::accumulate(widths.begin(), widths.end(), size_t(0)) + gaps;
      std::string rule;
      for (size_t i = 0; i < total; ++i) rule += "─";
      out += rule + "\n";
    }
  }
  return out;
}

}  // namespace cks
