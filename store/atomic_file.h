// Files the officer or the province's staff keep (forms, plans, reports) are written whole or
// not at all: never a half file after a crash, a full disk or a power cut.
#pragma once

#include <string>

#include "core/result.h"

namespace cks::store {

// Writes `bytes` to a temporary file next to `path`, flushes it to disk and renames it over
// `path`, then flushes the folder so the rename survives a power cut. The file has `mode` from
// its creation on (0600 by default: forms carry personal ID numbers and phone numbers; keys).
// On failure `path` is untouched and the error names the file and the cause.
[[nodiscard]] Status replaceFile(const std::string& path, const std::string& bytes,
                                 unsigned mode = 0600);

}  // namespace cks::store
