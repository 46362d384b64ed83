#include "print/table_workbook.h"

#include "print/internal/xlsx_document.h"

namespace cks::print {

Result<std::string> renderTableWorkbook(const TableWorkbook& table,
                                        const std::string& scratch_folder) {
  internal::Table sheet_table;
  for (const auto& header : table.headers) sheet_table.columns.push_back({header, 8});
  for (const auto& row : table.rows) {
    std::vector<internal::Cell> cells;
    cells.reserve(row.size());
    for (const auto& value : row) cells.push_back(internal::Cell::of(value));
    sheet_table.rows.push_back(std::move(cells));
  }
  internal::Document document;
  document.title = table.title;
  document.subtitle = table.as_of;
  document.sections.push_back({table.sheet, table.title, {}, {std::move(sheet_table)}});
  return internal::renderXlsx(document, scratch_folder, table.sheet + ".xlsx");
}

}  // namespace cks::print
