// Reads an Excel workbook (.xlsx, Office Open XML) the province already has: the text of the
// first worksheet's cells, row by row, as the directory import needs it (agency_directory.h).
// Only what a saved sheet holds is read (shared and inline strings, numbers, booleans, the
// cached value of a formula); no formula is evaluated, no external entity is resolved, and a
// part that inflates past a limit is refused (a zip bomb). Pure: bytes in, rows out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cks::hub {

// One row of a sheet: its number in the sheet (1 = the first), and its cells' text from column
// A on ("" for an empty cell).
struct SheetRow {
  int number = 0;
  std::vector<std::string> cells;
};

// The rows of the workbook's first sheet (in the workbook's order of sheets) that hold any
// cell. InvalidArgument, saying what is wrong, when `bytes` is not a readable .xlsx workbook.
[[nodiscard]] Result<std::vector<SheetRow>> readFirstSheet(std::string_view bytes);

// Whether `bytes` start as a ZIP archive does (an .xlsx file does, a CSV file never).
[[nodiscard]] bool looksLikeWorkbook(std::string_view bytes);

}  // namespace cks::hub
