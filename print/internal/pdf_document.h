// Renders a Document as an A4 PDF: cairo's PDF surface with pango laying out the text in DejaVu
// (every Vietnamese letter precomposed, embedded in the file). In memory: the caller writes the
// bytes whole (store::replaceFile). Pango and fontconfig keep process-wide caches: one thread
// at a time, and releasePdfFonts() at program exit.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "print/internal/document.h"

namespace cks::print::internal {

// The PDF's bytes; `now` is its creation date (metadata). Errors name cairo's status.
[[nodiscard]] Result<std::string> renderPdf(const Document& document, bool decimal_comma,
                                            TimePoint now);

// Frees pango's, cairo's and fontconfig's caches (LeakSanitizer sees only real leaks).
void releasePdfFonts();

// The text a number cell shows: whole numbers without a decimal point, others with one
// decimal ("1,5" with a decimal comma).
[[nodiscard]] std::string cellText(const Cell& cell, bool decimal_comma);

}  // namespace cks::print::internal
