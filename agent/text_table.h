// Column-aligned text for terminals, measuring width in UTF-8 code points so Vietnamese
// letters (two or three bytes each) line up.
#pragma once

#include <string>
#include <vector>

namespace cks::agent {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : rows_{std::move(header)} {}
  void addRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // The header, a rule, then the rows; columns separated by two spaces.
  [[nodiscard]] std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text: code points, not counting combining marks.
[[nodiscard]] size_t displayWidth(const std::string& text);

}  // namespace cks::agent
