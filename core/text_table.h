// Column-aligned text tables for terminals (cksctl and `cks-hub admin`). Widths count display
// columns: a Vietnamese letter is one column however many bytes it takes, combining marks
// take none. A table fits a given width by wrapping its long text columns onto more lines;
// width 0 prints every cell whole (--wide). Plain values, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cks {

// Display columns of UTF-8 text: code points, less combining marks (U+0300–U+036F) and
// zero-width characters. Text that is not valid UTF-8 counts one column per lead byte.
[[nodiscard]] size_t displayWidth(std::string_view text);

// `text` cut into lines of at most `width` display columns (joined by '\n', no final newline),
// breaking after spaces or hyphens where it can, inside a word where it must; width 0 leaves it
// whole. For the sentences printed around tables.
[[nodiscard]] std::string wrapText(std::string_view text, size_t width);

// The width tables are fitted to: `columns_env` (the COLUMNS variable) when it is a positive
// number, else `terminal` (the terminal's width, when output is a terminal), else 80.
[[nodiscard]] size_t tableWidth(const char* columns_env, std::optional<size_t> terminal);

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : rows_{std::move(header)} {}
  void addRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  // Marks a column of long free text (a message, a holder's name): it gives up width first
  // when the table must fit, before the short columns (dates, states, numbers) are wrapped.
  TextTable& flexible(size_t column) {
    if (flexible_.size() <= column) flexible_.resize(column + 1, false);
    flexible_[column] = true;
    return *this;
  }

  // Marks a column that should stay whole (a fingerprint, a date): it is narrowed only when
  // every other column is already as narrow as it goes.
  TextTable& fixed(size_t column) {
    if (fixed_.size() <= column) fixed_.resize(column + 1, false);
    fixed_[column] = true;
    return *this;
  }

  // The header, a rule, then the rows; columns separated by two spaces. With `width` > 0 no
  // line is wider than `width` display columns (while each column keeps at least a few):
  // cells that do not fit wrap at spaces (or hyphens) onto further lines of the same row.
  // With width 0 every cell is printed whole on one line.
  [[nodiscard]] std::string render(size_t width = 0) const;

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> flexible_;
  std::vector<bool> fixed_;
};

}  // namespace cks
