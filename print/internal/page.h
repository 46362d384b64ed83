// The one PDF painter of print/: an A4 page with the margins of Decree 30/2020/NĐ-CP (Appendix
// I: top and bottom 20 mm, left 30 mm, right 15 mm), text laid out by pango in DejaVu (every
// Vietnamese letter precomposed, embedded in the file) on cairo's PDF surface, the heading of
// an administrative document, and ruled tables that repeat their header row on a new page.
// The request forms (request_forms.h) and the yearly reports (pdf_document.h) are both drawn
// with it. In memory: the caller writes the bytes whole. One thread at a time (print/fonts.h).
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace cks::print::internal {

constexpr double kMillimetre = 72.0 / 25.4;  // the PDF's unit is the point
constexpr double kPageWidth = 210 * kMillimetre;
constexpr double kPageHeight = 297 * kMillimetre;
constexpr double kMarginTop = 20 * kMillimetre;
constexpr double kMarginBottom = 20 * kMillimetre;
constexpr double kMarginLeft = 30 * kMillimetre;
constexpr double kMarginRight = 15 * kMillimetre;
constexpr double kContentWidth = kPageWidth - kMarginLeft - kMarginRight;
constexpr double kPageBottom = kPageHeight - kMarginBottom;
// The longest Vietnamese syllable has 7 letters ("nghiêng", "khuếch"); a word of more than 12
// characters is a code or an address, which may be broken between characters.
constexpr long kLongestSyllable = 12;

struct GObjectDeleter {
  void operator()(void* object) const { g_object_unref(object); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;

// Text as pango needs it: valid UTF-8 (a field typed in a legacy code page shows replacement
// characters instead of stopping the document).
[[nodiscard]] std::string validUtf8(const std::string& text);
// Vietnamese capitals ("UBND xã Bình Chương" → "UBND XÃ BÌNH CHƯƠNG").
[[nodiscard]] std::string upper(const std::string& text);

// A PDF being drawn into memory, page after page; `cursor_y` is where the next block starts.
class Page {
 public:
  // `title` and `author` are the file's metadata, `now` its creation date.
  Page(const std::string& title, const std::string& author, TimePoint now);
  ~Page();
  Page(const Page&) = delete;
  Page& operator=(const Page&) = delete;

  // A block of text `width` wide, wrapped at words.
  [[nodiscard]] LayoutPtr layout(const std::string& text, const char* font, double width,
                                 PangoAlignment align = PANGO_ALIGN_LEFT, bool justify = false,
                                 double indent = 0) const;
  [[nodiscard]] static double height(PangoLayout* layout);
  // The widest line of a laid-out block among those longer than kLongestSyllable characters
  // (`long_words_only`) or among the others.
  [[nodiscard]] static double widestLine(PangoLayout* layout, bool long_words_only);
  // The narrowest width `text` fits in without cutting a word of at most kLongestSyllable
  // characters (longer tokens may break anywhere).
  [[nodiscard]] double shortestFit(const std::string& text, const char* font) const;
  // The horizontal extent of the text from the block's x: [left, right).
  [[nodiscard]] static std::pair<double, double> span(PangoLayout* layout);

  void show(PangoLayout* layout, double x, double y) const;
  // Draws text at `y` and returns its height.
  double text(const std::string& text, const char* font, double x, double y, double width,
              PangoAlignment align = PANGO_ALIGN_LEFT) const;
  // A block of the content's width at the cursor, on the next page when it does not fit here;
  // the cursor moves below it by its height and `gap`.
  void paragraph(const std::string& text, const char* font, double gap, bool justify = false,
                 double indent = 0);
  void rule(double x1, double y1, double x2, double y2) const;
  void shade(double x, double y, double width, double height) const;

  // Starts a new page when `needed` points do not fit on this one (never on an empty page).
  // Pages from the second are numbered in the middle of the top margin (Decree 30/2020).
  void room(double needed);

  // The PDF's bytes once every page is drawn; an error names cairo's status.
  [[nodiscard]] Result<std::string> finish();

  double cursor_y = kMarginTop;

 private:
  std::string bytes_;
  cairo_surface_t* surface_;
  cairo_t* cr_;
  PangoContext* context_;
  int page_ = 1;
};

// The heading of an administrative document: the issuer on the left (the body above it, its
// name in bold capitals, a short rule), the nation on the right (name, motto, a rule as long as
// the motto), then the issuer's line ("Số: …", or its code) level with the date line.
struct Heading {
  std::string issuer_above;  // may be empty
  std::string issuer;
  std::string issuer_below;  // may be empty
  std::string national_name;
  std::string national_motto;
  std::string date_line;  // italic
};
void drawHeading(Page& page, const Heading& heading);

// A ruled table of the content's width: columns share it by their weights; the header row
// (bold, centred, shaded if asked) is repeated at the top of each new page it runs onto.
struct RuledCell {
  std::string text;
  PangoAlignment align = PANGO_ALIGN_LEFT;
  bool bold = false;
};
// The faces of the parts more than one document sets alike, by size and style: DejaVu has
// every Vietnamese letter precomposed (fonts-dejavu-core, scripts/bootstrap.sh).
namespace font {
inline constexpr const char* kSerif10 = "DejaVu Serif 10";
inline constexpr const char* kSerifItalic10 = "DejaVu Serif Italic 10";
inline constexpr const char* kSerifBold10_5 = "DejaVu Serif Bold 10.5";
inline constexpr const char* kSerifItalic10_5 = "DejaVu Serif Italic 10.5";
inline constexpr const char* kSerifBold11 = "DejaVu Serif Bold 11";
inline constexpr const char* kSerifBold12 = "DejaVu Serif Bold 12";
}  // namespace font

struct TableStyle {
  const char* header_font;
  const char* font;
  const char* bold_font;
  bool shade_header = false;
};
void drawTable(Page& page, const std::vector<double>& weights,
               const std::vector<std::string>& headers,
               const std::vector<std::vector<RuledCell>>& rows, const TableStyle& style,
               const std::string& caption = "");

}  // namespace cks::print::internal
