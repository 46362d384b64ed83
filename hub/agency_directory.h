// The province's agency directory as a CSV file (`cks-hub admin agencies import FILE.csv`) or
// an Excel workbook (FILE.xlsx: its first sheet): a header row naming the columns code, name,
// type and (optional) parent in any order, one agency a row. CSV is UTF-8, Excel's comma or, as
// a Vietnamese-locale Excel writes it, semicolon separated; quoted fields may hold separators,
// quotes ("") and line breaks. Parsing only: the caller stores the agencies
// (HubStore::importAgencies), and only when no row is bad.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

// One bad row (or header): its line in the file (1 = the header), and what is wrong as a
// message key of the hub's catalogue (hub_messages.h, "agencies.csv.*") with its arguments.
struct DirectoryProblem {
  int line = 0;
  std::string key;
  std::vector<std::string> args;
};

struct ParsedDirectory {
  std::vector<Agency> agencies;  // every good row, each with a type
  std::vector<DirectoryProblem> problems;
};

// Reads the directory text `csv`. Blank lines are skipped; names are trimmed; types are the
// report's wire names (department, commune, other); a code listed twice, a parent that is the
// agency itself or not a valid code, and a missing name are problems.
[[nodiscard]] ParsedDirectory parseAgencyDirectory(std::string_view csv);

// Reads the directory from the first sheet of the Excel workbook `xlsx` (hub/workbook_reader.h)
// by the same rules, each problem naming the sheet's row; the header is the first row that holds
// anything. InvalidArgument when `xlsx` is not a readable workbook.
[[nodiscard]] Result<ParsedDirectory> parseAgencyWorkbook(std::string_view xlsx);

}  // namespace cks::hub
