#include "print/internal/page.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

#include <algorithm>

#include "core/time_format.h"
#include "print/fonts.h"

namespace cks::print::internal {
namespace {

constexpr const char* kHeadingFont = "DejaVu Serif 10.5";
constexpr const char* kCaptionFont = "DejaVu Serif Italic 9";
constexpr double kCellPadding = 3;
constexpr double kRuleWidth = 0.5;
// A table starts on a new page unless its header and a first row fit on this one.
constexpr double kFirstRowRoom = 30;

struct FontDeleter {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
struct GFreeDeleter {
  void operator()(char* text) const { g_free(text); }
};
using FontPtr = std::unique_ptr<PangoFontDescription, FontDeleter>;
struct AttrListDeleter {
  void operator()(PangoAttrList* list) const { pango_attr_list_unref(list); }
};

cairo_status_t appendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

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

Page::Page(const std::string& title, const std::string& author, TimePoint now)
    : surface_(
          cairo_pdf_surface_create_for_stream(appendToString, &bytes_, kPageWidth, kPageHeight)),
      cr_(cairo_create(surface_)),
      context_(pango_cairo_create_context(cr_)) {
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, validUtf8(title).c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_AUTHOR, validUtf8(author).c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "cks");
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATE_DATE,
                                 formatIsoUtc(now).c_str());
  cairo_set_source_rgb(cr_, 0, 0, 0);
  // Font sizes are points and so is the PDF's unit: 72 dpi, not pango's 96.
  pango_cairo_context_set_resolution(context_, 72);
}

Page::~Page() {
  g_object_unref(context_);
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

LayoutPtr Page::layout(const std::string& text, const char* font, double width,
                       PangoAlignment align, bool justify, double indent) const {
  LayoutPtr layout(pango_layout_new(context_));
  const FontPtr description(pango_font_description_from_string(font));
  pango_layout_set_font_description(layout.get(), description.get());
  pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
  // Lines break between words only, and never with a hyphen: pango (≥ 1.44) would otherwise
  // cut a Vietnamese syllable that does not fit ("Lầ-n nộ-p"), and a syllable is a word that
  // cannot be split. drawTable widens columns so that every syllable fits.
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD);
  const std::unique_ptr<PangoAttrList, AttrListDeleter> attributes(pango_attr_list_new());
  pango_attr_list_insert(attributes.get(), pango_attr_insert_hyphens_new(FALSE));
  pango_layout_set_attributes(layout.get(), attributes.get());
  pango_layout_set_alignment(layout.get(), align);
  pango_layout_set_justify(layout.get(), justify);
  pango_layout_set_indent(layout.get(), static_cast<int>(indent * PANGO_SCALE));
  const std::string valid = validUtf8(text);
  pango_layout_set_text(layout.get(), valid.data(), static_cast<int>(valid.size()));
  // A token longer than the box (a fingerprint, an e-mail address) is no syllable: it may break
  // between characters, still without a hyphen.
  if (width > 0 && widestLine(layout.get(), true) > width) {
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  }
  return layout;
}

double Page::widestLine(PangoLayout* layout, bool long_words_only) {
  double widest = 0;
  const char* text = pango_layout_get_text(layout);
  for (GSList* line = pango_layout_get_lines_readonly(layout); line != nullptr; line = line->next) {
    auto* layout_line = static_cast<PangoLayoutLine*>(line->data);
    const long characters = g_utf8_strlen(text + layout_line->start_index, layout_line->length);
    if ((characters > kLongestSyllable) != long_words_only) continue;
    PangoRectangle logical;
    pango_layout_line_get_extents(layout_line, nullptr, &logical);
    widest = std::max(widest, double(logical.width) / PANGO_SCALE);
  }
  return widest;
}

double Page::shortestFit(const std::string& text, const char* font) const {
  // Laid out one word a line (a width of one point), the widest short line is the widest
  // syllable; longer words may break between characters and set no minimum.
  const LayoutPtr words = layout(text, font, 1);
  pango_layout_set_wrap(words.get(), PANGO_WRAP_WORD);
  return widestLine(words.get(), false);
}

double Page::height(PangoLayout* layout) {
  int width = 0;
  int height = 0;
  pango_layout_get_size(layout, &width, &height);
  return double(height) / PANGO_SCALE;
}

std::pair<double, double> Page::span(PangoLayout* layout) {
  PangoRectangle ink;
  PangoRectangle logical;
  pango_layout_get_extents(layout, &ink, &logical);
  return {double(logical.x) / PANGO_SCALE, double(logical.x + logical.width) / PANGO_SCALE};
}

void Page::show(PangoLayout* layout, double x, double y) const {
  cairo_move_to(cr_, x, y);
  pango_cairo_show_layout(cr_, layout);
}

double Page::text(const std::string& text, const char* font, double x, double y, double width,
                  PangoAlignment align) const {
  const LayoutPtr block = layout(text, font, width, align);
  show(block.get(), x, y);
  return height(block.get());
}

void Page::paragraph(const std::string& text, const char* font, double gap, bool justify,
                     double indent) {
  const LayoutPtr block = layout(text, font, kContentWidth, PANGO_ALIGN_LEFT, justify, indent);
  room(height(block.get()));
  show(block.get(), kMarginLeft, cursor_y);
  cursor_y += height(block.get()) + gap;
}

void Page::rule(double x1, double y1, double x2, double y2) const {
  cairo_set_line_width(cr_, kRuleWidth);
  cairo_move_to(cr_, x1, y1);
  cairo_line_to(cr_, x2, y2);
  cairo_stroke(cr_);
}

void Page::shade(double x, double y, double width, double height) const {
  cairo_set_source_rgb(cr_, 0.9, 0.9, 0.9);
  cairo_rectangle(cr_, x, y, width, height);
  cairo_fill(cr_);
  cairo_set_source_rgb(cr_, 0, 0, 0);
}

void Page::room(double needed) {
  if (cursor_y + needed <= kPageBottom || cursor_y <= kMarginTop + 1) return;
  cairo_show_page(cr_);
  ++page_;
  text(std::to_string(page_), font::kSerif10, kMarginLeft, kMarginTop / 2, kContentWidth,
       PANGO_ALIGN_CENTER);
  cursor_y = kMarginTop;
}

Result<std::string> Page::finish() {
  cairo_show_page(cr_);
  cairo_surface_finish(surface_);
  for (const cairo_status_t status : {cairo_surface_status(surface_), cairo_status(cr_)}) {
    if (status != CAIRO_STATUS_SUCCESS)
      return fail("print: cairo: ", cairo_status_to_string(status));
  }
  return std::move(bytes_);
}

void drawHeading(Page& page, const Heading& heading) {
  const double left_width = kContentWidth * 0.42;
  const double right_x = kMarginLeft + left_width;
  const double right_width = kContentWidth - left_width;
  double left_y = page.cursor_y;
  if (!heading.issuer_above.empty()) {
    left_y += page.text(upper(heading.issuer_above), kHeadingFont, kMarginLeft, left_y, left_width,
                        PANGO_ALIGN_CENTER);
  }
  const LayoutPtr issuer =
      page.layout(upper(heading.issuer), font::kSerifBold10_5, left_width, PANGO_ALIGN_CENTER);
  page.show(issuer.get(), kMarginLeft, left_y);
  left_y += Page::height(issuer.get()) + 2;
  {
    // Decree 30/2020: a rule under the issuer's name, a third to a half of its length.
    const auto [from, to] = Page::span(issuer.get());
    const double middle = kMarginLeft + (from + to) / 2;
    const double half = std::min((to - from) / 2, left_width / 4) / 1.5;
    page.rule(middle - half, left_y, middle + half, left_y);
  }
  double right_y = page.cursor_y;
  right_y += page.text(heading.national_name, font::kSerifBold10_5, right_x, right_y, right_width,
                       PANGO_ALIGN_CENTER);
  const LayoutPtr motto =
      page.layout(heading.national_motto, font::kSerifBold10_5, right_width, PANGO_ALIGN_CENTER);
  page.show(motto.get(), right_x, right_y);
  right_y += Page::height(motto.get()) + 2;
  {
    const auto [from, to] = Page::span(motto.get());
    page.rule(right_x + from, right_y, right_x + to, right_y);
  }
  page.cursor_y = std::max(left_y, right_y) + 8;
  const double below_height = heading.issuer_below.empty()
                                  ? 0
                                  : page.text(heading.issuer_below, kHeadingFont, kMarginLeft,
                                              page.cursor_y, left_width, PANGO_ALIGN_CENTER);
  const double date_height = page.text(heading.date_line, font::kSerifItalic10_5, right_x,
                                       page.cursor_y, right_width, PANGO_ALIGN_CENTER);
  page.cursor_y += std::max(below_height, date_height) + 22;
}

namespace {

// Widens the columns too narrow for their longest syllable (a header's "Lần nộp" in a narrow
// column would otherwise be cut), taking the room from the columns with some to spare, in
// proportion to it. When the table cannot give that much, the widths stay as they were.
void widenToFitSyllables(const Page& page, std::vector<double>& widths,
                         const std::vector<std::string>& headers,
                         const std::vector<std::vector<RuledCell>>& rows, const TableStyle& style) {
  std::vector<double> least(widths.size(), 0);
  for (size_t i = 0; i < widths.size(); ++i) {
    if (i < headers.size()) least[i] = page.shortestFit(headers[i], style.header_font);
    for (const auto& row : rows) {
      if (i >= row.size() || row[i].text.empty()) continue;
      least[i] = std::max(
          least[i], page.shortestFit(row[i].text, row[i].bold ? style.bold_font : style.font));
    }
    least[i] += 2 * kCellPadding + 0.5;
  }
  double needed = 0;
  double spare = 0;
  for (size_t i = 0; i < widths.size(); ++i) {
    needed += std::max(0.0, least[i] - widths[i]);
    spare += std::max(0.0, widths[i] - least[i]);
  }
  if (needed <= 0 || needed > spare) return;
  for (size_t i = 0; i < widths.size(); ++i) {
    widths[i] =
        widths[i] < least[i] ? least[i] : widths[i] - (widths[i] - least[i]) * needed / spare;
  }
}

}  // namespace

void drawTable(Page& page, const std::vector<double>& weights,
               const std::vector<std::string>& headers,
               const std::vector<std::vector<RuledCell>>& rows, const TableStyle& style,
               const std::string& caption) {
  double total = 0;
  for (const double weight : weights) total += weight;
  std::vector<double> widths;
  for (const double weight : weights) widths.push_back(weight / total * kContentWidth);
  widenToFitSyllables(page, widths, headers, rows, style);

  auto layoutRow = [&](const std::vector<RuledCell>& cells, bool header) {
    std::vector<LayoutPtr> layouts;
    double row_height = 0;
    for (size_t i = 0; i < widths.size(); ++i) {
      const RuledCell cell = i < cells.size() ? cells[i] : RuledCell{};
      const char* font = header ? style.header_font : cell.bold ? style.bold_font : style.font;
      layouts.push_back(page.layout(cell.text, font, widths[i] - 2 * kCellPadding,
                                    header ? PANGO_ALIGN_CENTER : cell.align));
      row_height = std::max(row_height, Page::height(layouts.back().get()));
    }
    return std::pair{std::move(layouts), row_height + 2 * kCellPadding};
  };
  auto drawRow = [&](const std::vector<LayoutPtr>& layouts, double row_height, bool header) {
    if (header && style.shade_header) {
      page.shade(kMarginLeft, page.cursor_y, kContentWidth, row_height);
    }
    double x = kMarginLeft;
    page.rule(kMarginLeft, page.cursor_y, kMarginLeft + kContentWidth, page.cursor_y);
    for (size_t i = 0; i < layouts.size(); ++i) {
      page.rule(x, page.cursor_y, x, page.cursor_y + row_height);
      page.show(layouts[i].get(), x + kCellPadding, page.cursor_y + kCellPadding);
      x += widths[i];
    }
    page.rule(x, page.cursor_y, x, page.cursor_y + row_height);
    page.cursor_y += row_height;
    page.rule(kMarginLeft, page.cursor_y, kMarginLeft + kContentWidth, page.cursor_y);
  };

  std::vector<RuledCell> header_cells;
  for (const auto& header : headers) header_cells.push_back({header});
  const auto [header, header_height] = layoutRow(header_cells, true);
  LayoutPtr caption_block;
  double caption_height = 0;
  if (!caption.empty()) {
    caption_block = page.layout(caption, kCaptionFont, kContentWidth);
    caption_height = Page::height(caption_block.get()) + 3;
  }
  page.room(caption_height + header_height + kFirstRowRoom);
  if (caption_block) {
    page.show(caption_block.get(), kMarginLeft, page.cursor_y);
    page.cursor_y += caption_height;
  }
  drawRow(header, header_height, true);
  for (const auto& cells : rows) {
    const auto [row, row_height] = layoutRow(cells, false);
    // A row taller than a whole page is drawn anyway (into the margin) rather than leaving a
    // page with nothing but the header row.
    if (page.cursor_y + row_height > kPageBottom &&
        page.cursor_y > kMarginTop + header_height + 1) {
      page.room(row_height + header_height);
      drawRow(header, header_height, true);
    }
    drawRow(row, row_height, false);
  }
}

}  // namespace cks::print::internal

namespace cks::print {

void releaseFonts() {
  pango_cairo_font_map_set_default(nullptr);
  // Not cairo_debug_reset_static_data(): it asserts that no cairo font is alive anywhere, and
  // pango may still hold one (cksctl once aborted there at exit, after writing two merger forms).
  // What cairo keeps is reachable from its statics, which LeakSanitizer does not count.
  FcFini();
}

}  // namespace cks::print
