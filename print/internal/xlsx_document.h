// Renders a Document as an Excel workbook with libxlsxwriter: one sheet per section, the
// section's title on row 1 and the report's as-of line on row 2, then each table (caption,
// a bold header row, the rows) with numbers as number cells. Not thread-safe with itself for
// one folder only in the sense that each call makes its own scratch file.
#pragma once

#include <string>

#include "core/result.h"
#include "print/internal/document.h"

namespace cks::print::internal {

// The workbook's bytes. libxlsxwriter writes only to a named file: it writes a scratch file
// (mkstemp) in `scratch_folder`, reads it back and deletes it. Errors name `target` (the file
// the caller will write) and the cause.
[[nodiscard]] Result<std::string> renderXlsx(const Document& document,
                                             const std::string& scratch_folder,
                                             const std::string& target);

}  // namespace cks::print::internal
