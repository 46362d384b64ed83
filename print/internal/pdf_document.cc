#include "print/internal/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <utility>

#include "core/time_format.h"

namespace cks::print::internal {
namespace {

// A4 portrait in points; the margins of Decree 30/2020/NĐ-CP (Appendix I): top and bottom
// 20 mm, left 30 mm, right 15 mm.
constexpr double kMillimetre = 72.0 / 25.4;
constexpr double kPageWidth = 210 * kMillimetre;
constexpr double kPageHeight = 297 * kMillimetre;
constexpr double kMarginTop = 20 * kMillimetre;
constexpr double kMarginBottom = 20 * kMillimetre;
constexpr double kMarginLeft = 30 * kMillimetre;
constexpr double kMarginRight = 15 * kMillimetre;
constexpr double kContentWidth = kPageWidth - kMarginLeft - kMarginRight;
constexpr double kPageBottom = kPageHeight - kMarginBottom;

constexpr const char* kHeadingFont = "DejaVu Serif 10";
constexpr const char* kHeadingBoldFont = "DejaVu Serif Bold 10";
constexpr const char* kDateFont = "DejaVu Serif Italic 10";
constexpr const char* kTitleFont = "DejaVu Serif Bold 12";
constexpr const char* kSubtitleFont = "DejaVu Serif Italic 10";
constexpr const char* kSectionFont = "DejaVu Serif Bold 11";
constexpr const char* kCaptionFont = "DejaVu Serif Italic 9";
constexpr const char* kParagraphFont = "DejaVu Serif 10";
constexpr const char* kTableHeaderFont = "DejaVu Sans Bold 7.5";
constexpr const char* kTableFont = "DejaVu Sans 7.5";
constexpr const char* kTableBoldFont = "DejaVu Sans Bold 7.5";
constexpr const char* kPageNumberFont = "DejaVu Serif 9";
constexpr double kCellPadding = 2.5;
constexpr double kRuleWidth = 0.5;

struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct GObjectDeleter {
  void operator()(void* object) const { g_object_unref(object); }
};
struct FontDeleter {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
struct GFreeDeleter {
  void operator()(char* text) const { g_free(text); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectDeleter>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontDeleter>;

// Valid UTF-8 for pango: text typed in a legacy code page shows replacement characters.
std::string validUtf8(const std::string& text) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) return text;
  const std::unique_ptr<char, GFreeDeleter> fixed(
      g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
  return fixed.get();
}

std::string upper(const std::string& text) {
  const std::string valid = validUtf8(text);
  const std::unique_ptr<char, GFreeDeleter> upper_text(
      g_utf8_strup(valid.data(), static_cast<gssize>(valid.size())));
  return upper_text.get();
}

// Draws blocks of text and rules down the page; `cursor_y` is where the next block starts.
class Painter {
 public:
  explicit Painter(cairo_t* cr) : cr_(cr), context_(pango_cairo_create_context(cr)) {
    // Font sizes are points and so is the PDF's unit: 72 dpi, not pango's 96.
    pango_cairo_context_set_resolution(context_.get(), 72);
  }

  LayoutPtr layout(const std::string& text, const char* font, double width,
                   PangoAlignment align = PANGO_ALIGN_LEFT) const {
    LayoutPtr layout(pango_layout_new(context_.get()));
    const FontPtr description(pango_font_description_from_string(font));
    pango_layout_set_font_description(layout.get(), description.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    const std::string valid = validUtf8(text);
    pango_layout_set_text(layout.get(), valid.data(), static_cast<int>(valid.size()));
    return layout;
  }

  static double height(PangoLayout* layout) {
    int width = 0;
    int height = 0;
    pango_layout_get_size(layout, &width, &height);
    return double(height) / PANGO_SCALE;
  }

  // The horizontal extent of the text from the block's x.
  static std::pair<double, double> span(PangoLayout* layout) {
    PangoRectangle ink;
    PangoRectangle logical;
    pango_layout_get_extents(layout, &ink, &logical);
    return {double(logical.x) / PANGO_SCALE, double(logical.x + logical.width) / PANGO_SCALE};
  }

  void show(PangoLayout* layout, double x, double y) const {
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout);
  }

  // Draws text at `y` and returns its height.
  double text(const std::string& text, const char* font, double x, double y, double width,
              PangoAlignment align = PANGO_ALIGN_LEFT) const {
    const LayoutPtr block = layout(text, font, width, align);
    show(block.get(), x, y);
    return height(block.get());
  }

  void rule(double x1, double y1, double x2, double y2) const {
    cairo_set_line_width(cr_, kRuleWidth);
    cairo_move_to(cr_, x1, y1);
    cairo_line_to(cr_, x2, y2);
    cairo_stroke(cr_);
  }

  void fill(double x, double y, double width, double height) const {
    cairo_set_source_rgb(cr_, 0.9, 0.9, 0.9);
    cairo_rectangle(cr_, x, y, width, height);
    cairo_fill(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
  }

  // Starts a new page when `needed` points do not fit on this one. Pages from the second are
  // numbered in the middle of the top margin (Decree 30/2020).
  void room(double needed) {
    if (cursor_y + needed <= kPageBottom || cursor_y <= kMarginTop + 1) return;
    cairo_show_page(cr_);
    ++page_;
    text(std::to_string(page_), kPageNumberFont, kMarginLeft, kMarginTop / 2, kContentWidth,
         PANGO_ALIGN_CENTER);
    cursor_y = kMarginTop;
  }

  double cursor_y = kMarginTop;  // where the next block starts

 private:
  cairo_t* cr_;
  ContextPtr context_;
  int page_ = 1;
};

// The heading as on an administrative document: the issuer on the left, the nation on the
// right, each underlined; the date under the nation.
void drawHeading(Painter& p, const Document& d) {
  const double left_width = kContentWidth * 0.42;
  const double right_x = kMarginLeft + left_width;
  const double right_width = kContentWidth - left_width;
  double left_y = p.cursor_y;
  if (!d.issuer_above.empty()) {
    left_y += p.text(upper(d.issuer_above), kHeadingFont, kMarginLeft, left_y, left_width,
                     PANGO_ALIGN_CENTER);
  }
  const LayoutPtr issuer =
      p.layout(upper(d.issuer), kHeadingBoldFont, left_width, PANGO_ALIGN_CENTER);
  p.show(issuer.get(), kMarginLeft, left_y);
  left_y += Painter::height(issuer.get()) + 2;
  {
    const auto [from, to] = Painter::span(issuer.get());
    const double middle = kMarginLeft + (from + to) / 2;
    const double half = std::min((to - from) / 2, left_width / 4);
    p.rule(middle - half, left_y, middle + half, left_y);
  }
  left_y += 3;
  if (!d.issuer_note.empty()) {
    left_y +=
        p.text(d.issuer_note, kHeadingFont, kMarginLeft, left_y, left_width, PANGO_ALIGN_CENTER);
  }
  double right_y = p.cursor_y;
  right_y +=
      p.text(d.national_name, kHeadingBoldFont, right_x, right_y, right_width, PANGO_ALIGN_CENTER);
  const LayoutPtr motto =
      p.layout(d.national_motto, kHeadingBoldFont, right_width, PANGO_ALIGN_CENTER);
  p.show(motto.get(), right_x, right_y);
  right_y += Painter::height(motto.get()) + 2;
  {
    const auto [from, to] = Painter::span(motto.get());
    p.rule(right_x + from, right_y, right_x + to, right_y);
  }
  right_y += 5;
  right_y += p.text(d.date_line, kDateFont, right_x, right_y, right_width, PANGO_ALIGN_CENTER);
  p.cursor_y = std::max(left_y, right_y) + 18;
  p.cursor_y += p.text(upper(d.title), kTitleFont, kMarginLeft, p.cursor_y, kContentWidth,
                       PANGO_ALIGN_CENTER);
  p.cursor_y += 2;
  p.cursor_y +=
      p.text(d.subtitle, kSubtitleFont, kMarginLeft, p.cursor_y, kContentWidth, PANGO_ALIGN_CENTER);
  p.cursor_y += 14;
}

// A table with a shaded header row; a row that does not fit starts a new page, which repeats
// the header row.
void drawTable(Painter& p, const Table& table, bool decimal_comma) {
  double total = 0;
  for (const auto& column : table.columns) total += column.width;
  std::vector<double> widths;
  for (const auto& column : table.columns) widths.push_back(column.width / total * kContentWidth);

  auto layoutRow = [&](const std::vector<Cell>& cells, bool header) {
    std::vector<LayoutPtr> layouts;
    double row_height = 0;
    for (size_t i = 0; i < widths.size(); ++i) {
      const Cell cell = i < cells.size() ? cells[i] : Cell{};
      const bool number = cell.number.has_value();
      const char* font = header ? kTableHeaderFont : cell.bold ? kTableBoldFont : kTableFont;
      const PangoAlignment align = header   ? PANGO_ALIGN_CENTER
                                   : number ? PANGO_ALIGN_RIGHT
                                            : PANGO_ALIGN_LEFT;
      layouts.push_back(
          p.layout(cellText(cell, decimal_comma), font, widths[i] - 2 * kCellPadding, align));
      row_height = std::max(row_height, Painter::height(layouts.back().get()));
    }
    return std::pair{std::move(layouts), row_height + 2 * kCellPadding};
  };
  auto drawRow = [&](const std::vector<LayoutPtr>& layouts, double row_height, bool header) {
    if (header) p.fill(kMarginLeft, p.cursor_y, kContentWidth, row_height);
    double x = kMarginLeft;
    p.rule(kMarginLeft, p.cursor_y, kMarginLeft + kContentWidth, p.cursor_y);
    for (size_t i = 0; i < layouts.size(); ++i) {
      p.rule(x, p.cursor_y, x, p.cursor_y + row_height);
      p.show(layouts[i].get(), x + kCellPadding, p.cursor_y + kCellPadding);
      x += widths[i];
    }
    p.rule(x, p.cursor_y, x, p.cursor_y + row_height);
    p.cursor_y += row_height;
    p.rule(kMarginLeft, p.cursor_y, kMarginLeft + kContentWidth, p.cursor_y);
  };

  std::vector<Cell> header_cells;
  for (const auto& column : table.columns) header_cells.push_back(Cell::of(column.header));
  const auto [header, header_height] = layoutRow(header_cells, true);
  double caption_height = 0;
  LayoutPtr caption;
  if (!table.caption.empty()) {
    caption = p.layout(table.caption, kCaptionFont, kContentWidth);
    caption_height = Painter::height(caption.get()) + 3;
  }
  p.room(caption_height + header_height + 30);
  if (caption) {
    p.show(caption.get(), kMarginLeft, p.cursor_y);
    p.cursor_y += caption_height;
  }
  drawRow(header, header_height, true);
  for (const auto& cells : table.rows) {
    const auto [row, row_height] = layoutRow(cells, false);
    if (p.cursor_y + row_height > kPageBottom) {
      p.room(row_height + header_height);
      drawRow(header, header_height, true);
    }
    drawRow(row, row_height, false);
  }
  p.cursor_y += 10;
}

cairo_status_t appendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
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
  std::string pdf;
  const SurfacePtr surface(
      cairo_pdf_surface_create_for_stream(appendToString, &pdf, kPageWidth, kPageHeight));
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR, document.author.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "cks");
  const std::string created = formatIsoUtc(now);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
  const CairoPtr cr(cairo_create(surface.get()));
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  Painter p(cr.get());

  drawHeading(p, document);
  int number = 0;
  for (const auto& section : document.sections) {
    p.room(60);
    const std::string title = std::to_string(++number) + ". " + section.title;
    p.cursor_y += p.text(title, kSectionFont, kMarginLeft, p.cursor_y, kContentWidth) + 5;
    for (const auto& paragraph : section.paragraphs) {
      const LayoutPtr block = p.layout(paragraph, kParagraphFont, kContentWidth);
      p.room(Painter::height(block.get()));
      p.show(block.get(), kMarginLeft, p.cursor_y);
      p.cursor_y += Painter::height(block.get()) + 4;
    }
    for (const auto& table : section.tables) drawTable(p, table, decimal_comma);
    p.cursor_y += 4;
  }

  cairo_show_page(cr.get());
  cairo_surface_finish(surface.get());
  if (const cairo_status_t status = cairo_surface_status(surface.get());
      status != CAIRO_STATUS_SUCCESS) {
    return fail("print: cairo: ", cairo_status_to_string(status));
  }
  if (const cairo_status_t status = cairo_status(cr.get()); status != CAIRO_STATUS_SUCCESS) {
    return fail("print: cairo: ", cairo_status_to_string(status));
  }
  return pdf;
}

void releasePdfFonts() {
  pango_cairo_font_map_set_default(nullptr);
  cairo_debug_reset_static_data();
  FcFini();
}

}  // namespace cks::print::internal
