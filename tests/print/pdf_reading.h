// Reading a PDF back as a person or a printer would see it, with poppler-utils: its text, and
// a page kept as a picture next to the build for a person to look at.
#pragma once

#include <string>

namespace cks::test {

// The text as pdftotext lays out the page (`-layout`; pages separated by form feeds).
std::string pdfLayoutText(const std::string& path);

// The text in drawing order (`-raw`: each table cell is drawn whole) with every run of white
// space made one space, so that a value wrapped inside its cell reads as one phrase.
std::string pdfFlowText(const std::string& path);

// Keeps page `page` as build/<preset>/test-artifacts/FOLDER/NAME.png (pdftoppm, 80 dpi) and
// returns its path.
std::string keepPageImage(const std::string& pdf, const std::string& folder,
                          const std::string& name, int page = 1);

}  // namespace cks::test
