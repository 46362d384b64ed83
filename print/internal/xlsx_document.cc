#include "print/internal/xlsx_document.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "platform/files.h"

namespace cks::print::internal {
namespace {

// Characters a person reads: UTF-8 code points (combining marks counted too; close enough for
// a column width).
size_t characters(const std::string& text) {
  size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xc0) != 0x80 ? 1 : 0;
  return count;
}

constexpr double kWidestColumn = 60;
constexpr double kNarrowestColumn = 8;

class SheetWriter {
 public:
  SheetWriter(lxw_workbook* workbook, lxw_worksheet* sheet) : sheet_(sheet) {
    title_ = workbook_add_format(workbook);
    format_set_bold(title_);
    format_set_font_size(title_, 13);
    italic_ = workbook_add_format(workbook);
    format_set_italic(italic_);
    header_ = workbook_add_format(workbook);
    format_set_bold(header_);
    format_set_text_wrap(header_);
    format_set_bg_color(header_, 0xDDDDDD);
    format_set_border(header_, LXW_BORDER_THIN);
    format_set_align(header_, LXW_ALIGN_CENTER);
    format_set_align(header_, LXW_ALIGN_VERTICAL_CENTER);
    text_ = workbook_add_format(workbook);
    format_set_border(text_, LXW_BORDER_THIN);
    format_set_text_wrap(text_);
    format_set_align(text_, LXW_ALIGN_VERTICAL_TOP);
    bold_ = workbook_add_format(workbook);
    format_set_border(bold_, LXW_BORDER_THIN);
    format_set_bold(bold_);
    number_ = workbook_add_format(workbook);
    format_set_border(number_, LXW_BORDER_THIN);
    format_set_num_format(number_, "0.##");
    bold_number_ = workbook_add_format(workbook);
    format_set_border(bold_number_, LXW_BORDER_THIN);
    format_set_bold(bold_number_);
    format_set_num_format(bold_number_, "0.##");
  }

  void write(const Section& section, const std::string& subtitle) {
    worksheet_write_string(sheet_, row_++, 0, section.title.c_str(), title_);
    worksheet_write_string(sheet_, row_++, 0, subtitle.c_str(), italic_);
    ++row_;
    for (const auto& paragraph : section.paragraphs) {
      worksheet_write_string(sheet_, row_++, 0, paragraph.c_str(), nullptr);
    }
    if (!section.paragraphs.empty()) ++row_;
    for (const auto& table : section.tables) {
      if (!table.caption.empty()) {
        worksheet_write_string(sheet_, row_++, 0, table.caption.c_str(), italic_);
      }
      for (size_t c = 0; c < table.columns.size(); ++c) {
        const std::string& header = table.columns[c].header;
        worksheet_write_string(sheet_, row_, lxw_col_t(c), header.c_str(), header_);
        // Headers wrap: count their longest word.
        std::istringstream words(header);
        for (std::string word; words >> word;) widen(c, double(characters(word)) + 2);
      }
      ++row_;
      for (const auto& cells : table.rows) {
        for (size_t c = 0; c < cells.size(); ++c) {
          const Cell& cell = cells[c];
          if (cell.number) {
            worksheet_write_number(sheet_, row_, lxw_col_t(c), *cell.number,
                                   cell.bold ? bold_number_ : number_);
            widen(c, 10);
          } else {
            worksheet_write_string(sheet_, row_, lxw_col_t(c), cell.text.c_str(),
                                   cell.bold ? bold_ : text_);
            widen(c, double(characters(cell.text)) + 2);
          }
        }
        ++row_;
      }
      ++row_;
    }
    for (const auto& [column, width] : widths_) {
      worksheet_set_column(sheet_, lxw_col_t(column), lxw_col_t(column),
                           std::clamp(width, kNarrowestColumn, kWidestColumn), nullptr);
    }
  }

 private:
  void widen(size_t column, double width) { widths_[column] = std::max(widths_[column], width); }

  lxw_worksheet* sheet_;
  lxw_format* title_ = nullptr;
  lxw_format* italic_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* text_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* number_ = nullptr;
  lxw_format* bold_number_ = nullptr;
  lxw_row_t row_ = 0;
  std::map<size_t, double> widths_;
};

}  // namespace

Result<std::string> renderXlsx(const Document& document, const std::string& scratch_folder,
                               const std::string& target) {
  auto created = platform::createScratchFile(scratch_folder, ".cks-xlsx-");
  if (!created) {
    return fail(target, ": cannot create a temporary file in ", scratch_folder, ": ",
                created.error().message);
  }
  const std::string scratch = *created;
  std::error_code ignored;
  lxw_workbook* workbook = workbook_new(scratch.c_str());
  if (workbook == nullptr) {
    std::filesystem::remove(scratch, ignored);
    return fail(target, ": cannot start the workbook in ", scratch);
  }
  lxw_doc_properties properties{};
  properties.title = const_cast<char*>(document.title.c_str());
  properties.author = const_cast<char*>(document.author.c_str());
  properties.company = const_cast<char*>(document.issuer_line.c_str());
  workbook_set_properties(workbook, &properties);
  for (const auto& section : document.sections) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, section.sheet.c_str());
    CKS_CHECK(sheet != nullptr);  // sheet names are ours: short and without []:*?/\ .
    SheetWriter(workbook, sheet).write(section, document.subtitle);
    if (!document.issuer_line.empty()) {
      // Who issues the workbook, at the top of every printed page ("&" is Excel's escape).
      std::string header = "&C";
      for (const char c : document.issuer_line)
        header += c == '&' ? std::string("&&") : std::string(1, c);
      if (header.size() <= 255) worksheet_set_header(sheet, header.c_str());
    }
  }
  const lxw_error closed = workbook_close(workbook);
  if (closed != LXW_NO_ERROR) {
    std::filesystem::remove(scratch, ignored);
    return fail(target, ": libxlsxwriter: ", lxw_strerror(closed));
  }
  std::ifstream in(scratch, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const bool read = in.good() || in.eof();
  std::filesystem::remove(scratch, ignored);
  if (!read) return fail(target, ": cannot read back ", scratch);
  return bytes.str();
}

}  // namespace cks::print::internal
