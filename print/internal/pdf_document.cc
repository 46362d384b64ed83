#include "print/internal/pdf_document.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "print/internal/page.h"

namespace cks::print::internal {
namespace {

// Sans at 7.5 points: the province's tables have up to nine columns.
constexpr TableStyle kTableStyle{"DejaVu Sans Bold 7.5", "DejaVu Sans 7.5", "DejaVu Sans Bold 7.5",
                                 true};

// Numbers right-aligned, text left; a total line in bold.
void drawReportTable(Page& page, const Table& table, bool decimal_comma) {
  std::vector<double> weights;
  std::vector<std::string> headers;
  for (const auto& column : table.columns) {
    weights.push_back(column.width);
    headers.push_back(column.header);
  }
  std::vector<std::vector<RuledCell>> rows;
  for (const auto& cells : table.rows) {
    std::vector<RuledCell> row;
    for (const Cell& cell : cells) {
      row.push_back({cellText(cell, decimal_comma),
                     cell.number ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, cell.bold});
    }
    rows.push_back(std::move(row));
  }
  drawTable(page, weights, headers, rows, kTableStyle, table.caption);
  page.cursor_y += 10;
}

// The signature block on the right half, kept whole on one page.
void drawSignature(Page& page, const Signature& signature) {
  if (signature.title.empty()) return;
  const double width = kContentWidth * 0.5;
  const double x = kMarginLeft + kContentWidth - width;
  const LayoutPtr place_date =
      page.layout(signature.place_date, font::kSerifItalic10_5, width, PANGO_ALIGN_CENTER);
  const LayoutPtr title =
      page.layout(signature.title, font::kSerifBold10_5, width, PANGO_ALIGN_CENTER);
  const LayoutPtr note =
      page.layout(signature.note, font::kSerifItalic10, width, PANGO_ALIGN_CENTER);
  const LayoutPtr name =
      page.layout(signature.name, font::kSerifBold10_5, width, PANGO_ALIGN_CENTER);
  constexpr double kSignatureSpace = 70;  // for the signature and the seal
  page.room(8 + Page::height(place_date.get()) + 4 + Page::height(title.get()) +
            Page::height(note.get()) + kSignatureSpace + Page::height(name.get()));
  double y = page.cursor_y + 8;
  page.show(place_date.get(), x, y);
  y += Page::height(place_date.get()) + 4;
  page.show(title.get(), x, y);
  y += Page::height(title.get());
  page.show(note.get(), x, y);
  y += Page::height(note.get()) + kSignatureSpace;
  if (!signature.name.empty()) page.show(name.get(), x, y);
  page.cursor_y = y + Page::height(name.get());
}

}  // namespace

std::string cellText(const Cell& cell, bool decimal_comma) {
  if (!cell.number) return cell.text;
  const double value = *cell.number;
  char buffer[64];
  if (std::nearbyint(value) == value && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  std::string text = buffer;
  if (decimal_comma) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

Result<std::string> renderPdf(const Document& document, bool decimal_comma, TimePoint now) {
  Page page(document.title, document.author, now);
  drawHeading(page, {document.issuer_above, document.issuer, document.issuer_note,
                     document.national_name, document.national_motto, document.date_line});
  page.cursor_y += page.text(upper(document.title), font::kSerifBold12, kMarginLeft, page.cursor_y,
                             kContentWidth, PANGO_ALIGN_CENTER) +
                   2;
  page.cursor_y += page.text(document.subtitle, font::kSerifItalic10, kMarginLeft, page.cursor_y,
                             kContentWidth, PANGO_ALIGN_CENTER) +
                   14;
  int number = 0;
  for (const auto& section : document.sections) {
    page.room(60);
    page.paragraph(std::to_string(++number) + ". " + section.title, font::kSerifBold11, 5);
    for (const auto& paragraph : section.paragraphs) page.paragraph(paragraph, font::kSerif10, 4);
    for (const auto& table : section.tables) drawReportTable(page, table, decimal_comma);
    page.cursor_y += 4;
  }
  drawSignature(page, document.signature);
  return page.finish();
}

}  // namespace cks::print::internal
