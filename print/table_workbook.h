// A list as an Excel workbook (the console's certificate and token exports): one sheet with the
// list's title, an as-of line, a bold header row and one row per item, through the same
// libxlsxwriter renderer as the yearly reports (internal/xlsx_document.h).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace cks::print {

struct TableWorkbook {
  std::string sheet;  // at most 31 characters, none of []:*?/\ (Excel's rules)
  std::string title;
  std::string as_of;  // the line under the title
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // text cells, as many as the headers
};

// The workbook's bytes; libxlsxwriter's scratch file lives in `scratch_folder` meanwhile.
[[nodiscard]] Result<std::string> renderTableWorkbook(const TableWorkbook& table,
                                                      const std::string& scratch_folder);

}  // namespace cks::print
