// Renders a Document as an A4 PDF with the heading of an administrative document, numbered
// sections and ruled tables (page.h). In memory: the caller writes the bytes whole
// (platform::replaceFile). One thread at a time (print/fonts.h).
#pragma once

#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "print/internal/document.h"

namespace cks::print::internal {

// The PDF's bytes; `now` is its creation date (metadata). Errors name cairo's status.
[[nodiscard]] Result<std::string> renderPdf(const Document& document, bool decimal_comma,
                                            TimePoint now);

// The text a number cell shows: whole numbers without a decimal point, others with one
// decimal ("1,5" with a decimal comma).
[[nodiscard]] std::string cellText(const Cell& cell, bool decimal_comma);

}  // namespace cks::print::internal
