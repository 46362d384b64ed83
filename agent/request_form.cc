#include "agent/request_form.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <utility>

#include "core/time_format.h"
#include "core/working_days.h"
#include "store/atomic_file.h"

namespace cks::agent {
namespace {

// A4 portrait in PDF points, and the margins of Decree 30/2020/NĐ-CP (Appendix I) for
// administrative documents: top and bottom 20 mm, left 30 mm, right 15 mm.
constexpr double kMillimetre = 72.0 / 25.4;
constexpr double kPageWidth = 210 * kMillimetre;
constexpr double kPageHeight = 297 * kMillimetre;
constexpr double kMarginTop = 20 * kMillimetre;
constexpr double kMarginBottom = 20 * kMillimetre;
constexpr double kMarginLeft = 30 * kMillimetre;
constexpr double kMarginRight = 15 * kMillimetre;
constexpr double kContentWidth = kPageWidth - kMarginLeft - kMarginRight;
constexpr double kPageBottom = kPageHeight - kMarginBottom;

// DejaVu has every Vietnamese letter precomposed (fonts-dejavu-core, scripts/bootstrap.sh).
constexpr const char* kFormNumberFont = "DejaVu Serif Bold 10";
constexpr const char* kHeadingFont = "DejaVu Serif 10.5";
constexpr const char* kHeadingBoldFont = "DejaVu Serif Bold 10.5";
constexpr const char* kDateFont = "DejaVu Serif Italic 10.5";
constexpr const char* kTitleFont = "DejaVu Serif Bold 12";
constexpr const char* kBodyFont = "DejaVu Serif 11";
constexpr const char* kTableHeaderFont = "DejaVu Serif Bold 8.5";
constexpr const char* kTableFont = "DejaVu Serif 8.5";
constexpr const char* kRecipientsTitleFont = "DejaVu Serif Bold Italic 10";
constexpr const char* kRecipientsFont = "DejaVu Serif 9";
constexpr const char* kSignatureTitleFont = "DejaVu Serif Bold 11";
constexpr const char* kSignatureNoteFont = "DejaVu Serif Italic 10";
constexpr const char* kPageNumberFont = "DejaVu Serif 10";
constexpr double kCellPadding = 3;
constexpr double kRuleWidth = 0.6;

struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct GObjectDeleter {
  void operator()(void* object) const { g_object_unref(object); }
};
struct FontDescriptionDeleter {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectDeleter>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontDescriptionDeleter>;

// Text as pango needs it: valid UTF-8 (a field typed in a legacy encoding shows replacement
// characters instead of stopping the form).
std::string validUtf8(const std::string& text) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) return text;
  gchar* valid = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string out(valid);
  g_free(valid);
  return out;
}

// Vietnamese capitals ("UBND xã Bình Chương" → "UBND XÃ BÌNH CHƯƠNG"), as the agency header
// is written.
std::string upper(const std::string& text) {
  const std::string valid = validUtf8(text);
  gchar* upper_text = g_utf8_strup(valid.data(), static_cast<gssize>(valid.size()));
  std::string out(upper_text);
  g_free(upper_text);
  return out;
}

// A date as Decree 30/2020 writes it in the date line: days below 10 and months below 3 with
// a leading zero ("ngày 05 tháng 02 năm 2026", "ngày 15 tháng 6 năm 2026").
std::string dateLine(Language language, const std::string& place, TimePoint now) {
  const std::chrono::year_month_day day{vietnamDate(now)};
  const unsigned d = unsigned(day.day());
  const unsigned m = unsigned(day.month());
  char day_text[8];
  char month_text[8];
  char year_text[8];
  std::snprintf(day_text, sizeof day_text, "%02u", d);
  std::snprintf(month_text, sizeof month_text, m < 3 ? "%02u" : "%u", m);
  std::snprintf(year_text, sizeof year_text, "%d", int(day.year()));
  return message(language, "form.date", {place, day_text, month_text, year_text});
}

std::string dayText(TimePoint at) {
  const std::chrono::year_month_day day{vietnamDate(at)};
  char text[16];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", unsigned(day.day()), unsigned(day.month()),
                int(day.year()));
  return text;
}

std::string upperHex(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

// Which of the Decree's forms, and for Mẫu 04 which of its two uses, a batch is printed on:
// the catalogue suffix of its title and opening sentence.
std::string_view variantOf(const Request& request) {
  switch (request.kind) {
    case RequestKind::NewCertificate:
      switch (request.subscriber) {
        case SubscriberKind::Individual:
          return "new_individual";
        case SubscriberKind::Organization:
          return "new_organization";
        case SubscriberKind::Device:
          return "new_device";
        case SubscriberKind::Unknown:
          return "";
      }
      return "";
    case RequestKind::Renewal:
      return "renewal";
    case RequestKind::ChangeOfInformation:
      return "change_of_information";
    case RequestKind::Revocation:
      return "revocation";
    case RequestKind::DeviceRecovery:
      return "device_recovery";
  }
  return "";
}

struct Column {
  std::string header;
  double width;  // a share of the content width; the shares are scaled to fill it
  PangoAlignment align = PANGO_ALIGN_LEFT;
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
};

std::string field(const Request& request, const std::string& name) {
  const auto it = request.fields.find(name);
  return it == request.fields.end() ? std::string() : it->second;
}

// Lines joined with newlines, empty ones left out.
std::string lines(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += '\n';
    out += part;
  }
  return out;
}

// The new values of a change, one "label: value" line each, the note last.
std::string newValuesCell(const Request& request, Language language) {
  std::string out;
  for (const auto& [name, value] : request.fields) {
    if (name == "note" || value.empty()) continue;
    const std::string key = "form.new_value." + name;
    std::string label = message(language, key);
    if (label == "[" + key + "]") label = message(language, "request.field." + name);
    if (!out.empty()) out += '\n';
    out.append(label).append(": ").append(value);
  }
  return out;
}

class FormBuilder {
 public:
  FormBuilder(const std::vector<Request>& requests,
              const std::map<std::string, RequestedCertificateInfo>& certificates,
              Language language)
      : requests_(requests), certificates_(certificates), language_(language) {}

  // The table of the batch, or the error naming the request whose certificate is unknown.
  Result<Table> table() const {
    Table table;
    const Request& first = requests_.front();
    auto column = [&](std::string_view key, double width, PangoAlignment align = PANGO_ALIGN_LEFT) {
      table.columns.push_back(
          {message(language_, "form.column." + std::string(key)), width, align});
    };
    column("number", 28, PANGO_ALIGN_CENTER);
    switch (first.kind) {
      case RequestKind::NewCertificate:
        newCertificateColumns(first.subscriber, column);
        break;
      case RequestKind::Renewal:
        column("subscriber", 125);
        column("serial", 112);
        column("token_serial", 78);
        column("expiry", 62, PANGO_ALIGN_CENTER);
        column("note", 68);
        break;
      case RequestKind::ChangeOfInformation:
        column("subscriber", 100);
        column("serial", 100);
        column("case", 90);
        column("new_values", 150);
        break;
      case RequestKind::Revocation:
        column("subscriber", 115);
        column("serial", 100);
        column("token_serial", 78);
        column("revocation_reason", 95);
        column("note", 57);
        break;
      case RequestKind::DeviceRecovery:
        column("token_serial", 105);
        column("certificates_on_token", 170);
        column("recovery_reason", 110);
        column("note", 60);
        break;
    }
    for (size_t i = 0; i < requests_.size(); ++i) {
      auto row = this->row(requests_[i]);
      if (!row) return tl::unexpected(row.error());
      row->insert(row->begin(), std::to_string(i + 1));
      table.rows.push_back(std::move(*row));
    }
    return table;
  }

 private:
  template <typename AddColumn>
  static void newCertificateColumns(SubscriberKind kind, AddColumn& column) {
    switch (kind) {
      case SubscriberKind::Individual:
        column("full_name", 108);
        column("id_number", 76, PANGO_ALIGN_CENTER);
        column("position", 92);
        column("contact", 120);
        column("note", 50);
        return;
      case SubscriberKind::Organization:
        column("organization_name", 108);
        column("agency_code", 58, PANGO_ALIGN_CENTER);
        column("establishment_decision", 88);
        column("address", 70);
        column("contact", 80);
        column("note", 42);
        return;
      case SubscriberKind::Device:
      case SubscriberKind::Unknown:
        column("device_name", 100);
        column("purpose", 95);
        column("manager", 85);
        column("contact", 110);
        column("note", 56);
        return;
    }
  }

  Result<RequestedCertificateInfo> certificateOf(const Request& request) const {
    const auto it = certificates_.find(request.fingerprint_sha256);
    if (it == certificates_.end()) {
      return fail("form: ", message(language_, "form.error.certificate_unknown",
                                    {request.id, request.fingerprint_sha256}));
    }
    return it->second;
  }

  Result<std::vector<std::string>> row(const Request& request) const {
    const std::string note = field(request, "note");
    switch (request.kind) {
      case RequestKind::NewCertificate:
        switch (request.subscriber) {
          case SubscriberKind::Individual:
            return std::vector<std::string>{
                field(request, "full_name"), field(request, "id_number"),
                lines({field(request, "position"), field(request, "agency")}),
                lines({field(request, "email"), field(request, "phone")}), note};
          case SubscriberKind::Organization:
            return std::vector<std::string>{
                field(request, "name"),
                field(request, "agency_code"),
                field(request, "establishment_decision"),
                field(request, "address"),
                lines({field(request, "email"), field(request, "phone")}),
                note};
          case SubscriberKind::Device:
          case SubscriberKind::Unknown:
            return std::vector<std::string>{
                field(request, "name"), field(request, "purpose"), field(request, "manager"),
                lines({field(request, "email"), field(request, "phone")}), note};
        }
        break;
      case RequestKind::Renewal: {
        auto info = certificateOf(request);
        if (!info) return tl::unexpected(info.error());
        return std::vector<std::string>{info->holder, upperHex(info->serial), info->token_serial,
                                        info->not_after ? dayText(*info->not_after) : "", note};
      }
      case RequestKind::ChangeOfInformation: {
        auto info = certificateOf(request);
        if (!info) return tl::unexpected(info.error());
        const std::string change_case =
            request.change_case
                ? message(language_,
                          "request.change_case." + std::string(toString(*request.change_case)))
                : "";
        std::string values = newValuesCell(request, language_);
        if (!note.empty()) {
          values = lines({values, message(language_, "form.column.note") + ": " + note});
        }
        return std::vector<std::string>{info->holder, upperHex(info->serial), change_case, values};
      }
      case RequestKind::Revocation: {
        auto info = certificateOf(request);
        if (!info) return tl::unexpected(info.error());
        const std::string reason =
            request.revocation_reason
                ? message(language_, "request.revocation_reason." +
                                         std::string(toString(*request.revocation_reason)))
                : "";
        const std::string token =
            request.token_serial.empty() ? info->token_serial : request.token_serial;
        return std::vector<std::string>{info->holder, upperHex(info->serial), token, reason, note};
      }
      case RequestKind::DeviceRecovery: {
        // The certificates on the token: the one the request names, or those last seen on it.
        std::string on_token;
        for (const auto& [fingerprint, info] : certificates_) {
          const bool named = !request.fingerprint_sha256.empty()
                                 ? fingerprint == request.fingerprint_sha256
                                 : info.token_serial == request.token_serial;
          if (!named) continue;
          on_token = lines({on_token, info.holder + " (" + upperHex(info.serial) + ")"});
        }
        return std::vector<std::string>{request.token_serial, on_token,
                                        message(language_, "form.recovery.locked"), note};
      }
    }
    return std::vector<std::string>{};
  }

  const std::vector<Request>& requests_;
  const std::map<std::string, RequestedCertificateInfo>& certificates_;
  Language language_;
};

// Draws the form page by page onto a cairo PDF surface; `y` is where the next block starts.
class FormPainter {
 public:
  explicit FormPainter(cairo_t* cr) : cr_(cr), context_(pango_cairo_create_context(cr)) {
    // Font sizes are points and the PDF's unit is the point: 72 dpi, not pango's 96.
    pango_cairo_context_set_resolution(context_.get(), 72);
  }

  // A laid-out block of text `width` wide.
  LayoutPtr layout(const std::string& text, const char* font, double width,
                   PangoAlignment align = PANGO_ALIGN_LEFT, bool justify = false,
                   double indent = 0) const {
    LayoutPtr layout(pango_layout_new(context_.get()));
    const FontPtr description(pango_font_description_from_string(font));
    pango_layout_set_font_description(layout.get(), description.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    pango_layout_set_justify(layout.get(), justify);
    pango_layout_set_indent(layout.get(), static_cast<int>(indent * PANGO_SCALE));
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

  // The horizontal extent of the ink of the layout's text: [left, right) from the block's x.
  static std::pair<double, double> inkSpan(PangoLayout* layout) {
    PangoRectangle ink;
    PangoRectangle logical;
    pango_layout_get_extents(layout, &ink, &logical);
    return {double(logical.x) / PANGO_SCALE, double(logical.x + logical.width) / PANGO_SCALE};
  }

  void show(PangoLayout* layout, double x, double y) const {
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout);
  }

  // Draws text and returns its height.
  double text(const std::string& text, const char* font, double x, double y, double width,
              PangoAlignment align = PANGO_ALIGN_LEFT) const {
    const LayoutPtr block = layout(text, font, width, align);
    show(block.get(), x, y);
    return height(block.get());
  }

  void rule(double x1, double y1, double x2, double y2, double width = kRuleWidth) const {
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x1, y1);
    cairo_line_to(cr_, x2, y2);
    cairo_stroke(cr_);
  }

  // Ends the page and starts the next, numbered at the top (Decree 30/2020: from page 2, in
  // the middle of the top margin).
  void newPage() {
    cairo_show_page(cr_);
    ++page_;
    const LayoutPtr number =
        layout(std::to_string(page_), kPageNumberFont, kContentWidth, PANGO_ALIGN_CENTER);
    show(number.get(), kMarginLeft, kMarginTop / 2);
    cursor_y = kMarginTop;
  }

  double cursor_y = kMarginTop;  // where the next block starts

 private:
  cairo_t* cr_;
  ContextPtr context_;
  int page_ = 1;
};

// The table: a bold header row, then one row per request; a row that does not fit starts a
// new page, which repeats the header row.
void drawTable(FormPainter& painter, const Table& table) {
  double total = 0;
  for (const auto& column : table.columns) total += column.width;
  std::vector<double> widths;
  for (const auto& column : table.columns) widths.push_back(column.width / total * kContentWidth);

  auto layoutRow = [&](const std::vector<std::string>& cells, const char* font, bool header) {
    std::vector<LayoutPtr> layouts;
    double row_height = 0;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : std::string();
      const PangoAlignment align = header ? PANGO_ALIGN_CENTER : table.columns[i].align;
      layouts.push_back(painter.layout(cell, font, widths[i] - 2 * kCellPadding, align));
      row_height = std::max(row_height, FormPainter::height(layouts.back().get()));
    }
    return std::pair{std::move(layouts), row_height + 2 * kCellPadding};
  };
  auto drawRow = [&](const std::vector<LayoutPtr>& layouts, double row_height) {
    double x = kMarginLeft;
    painter.rule(kMarginLeft, painter.cursor_y, kMarginLeft + kContentWidth, painter.cursor_y);
    for (size_t i = 0; i < layouts.size(); ++i) {
      painter.rule(x, painter.cursor_y, x, painter.cursor_y + row_height);
      painter.show(layouts[i].get(), x + kCellPadding, painter.cursor_y + kCellPadding);
      x += widths[i];
    }
    painter.rule(x, painter.cursor_y, x, painter.cursor_y + row_height);
    painter.cursor_y += row_height;
    painter.rule(kMarginLeft, painter.cursor_y, kMarginLeft + kContentWidth, painter.cursor_y);
  };

  std::vector<std::string> header_cells;
  for (const auto& column : table.columns) header_cells.push_back(column.header);
  const auto [header, header_height] = layoutRow(header_cells, kTableHeaderFont, true);

  if (painter.cursor_y + header_height + 40 > kPageBottom) painter.newPage();
  drawRow(header, header_height);
  for (const auto& cells : table.rows) {
    const auto [row, row_height] = layoutRow(cells, kTableFont, false);
    // A row taller than a whole page is drawn anyway (it runs into the margin) rather than
    // breaking forever.
    if (painter.cursor_y + row_height > kPageBottom &&
        painter.cursor_y > kMarginTop + header_height + 1) {
      painter.newPage();
      drawRow(header, header_height);
    }
    drawRow(row, row_height);
  }
}

cairo_status_t appendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Result<std::string> renderPdf(const std::vector<Request>& requests, const FormHeader& header,
                              const Table& table, Language language, TimePoint now) {
  const Request& first = requests.front();
  const std::string variant(variantOf(first));
  const std::string title = message(language, "form.title." + variant);
  const std::string form_number = message(language, "form.number", {toString(*formOf(first))});

  std::string pdf;
  const SurfacePtr surface(
      cairo_pdf_surface_create_for_stream(appendToString, &pdf, kPageWidth, kPageHeight));
  const std::string title_line = title.substr(0, title.find('\n')) + " — " + header.agency_name;
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title_line.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR,
                                 header.agency_name.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "cks");
  const std::string created = formatIsoUtc(now);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
  const CairoPtr cr(cairo_create(surface.get()));
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  FormPainter painter(cr.get());

  // "Mẫu số 04" at the top right, as the Decree's appendix heads each form.
  painter.text(form_number, kFormNumberFont, kMarginLeft, kMarginTop / 2, kContentWidth,
               PANGO_ALIGN_RIGHT);

  // The heading: the agency on the left (the body above it, its name in bold, a short rule,
  // the number), the nation on the right (name, motto, a rule as long as the motto, the date).
  const double left_width = kContentWidth * 0.42;
  const double right_x = kMarginLeft + left_width;
  const double right_width = kContentWidth - left_width;
  double left_y = painter.cursor_y;
  if (!header.parent_body.empty()) {
    left_y += painter.text(upper(header.parent_body), kHeadingFont, kMarginLeft, left_y, left_width,
                           PANGO_ALIGN_CENTER);
  }
  const LayoutPtr agency =
      painter.layout(upper(header.agency_name), kHeadingBoldFont, left_width, PANGO_ALIGN_CENTER);
  painter.show(agency.get(), kMarginLeft, left_y);
  left_y += FormPainter::height(agency.get()) + 2;
  {
    const auto [from, to] = FormPainter::inkSpan(agency.get());
    const double middle = kMarginLeft + (from + to) / 2;
    const double half = std::min((to - from) / 2, left_width / 4);
    painter.rule(middle - half / 1.5, left_y, middle + half / 1.5, left_y);
  }
  double right_y = painter.cursor_y;
  right_y += painter.text(message(language, "form.national_name"), kHeadingBoldFont, right_x,
                          right_y, right_width, PANGO_ALIGN_CENTER);
  const LayoutPtr motto = painter.layout(message(language, "form.national_motto"), kHeadingBoldFont,
                                         right_width, PANGO_ALIGN_CENTER);
  painter.show(motto.get(), right_x, right_y);
  right_y += FormPainter::height(motto.get()) + 2;
  {
    const auto [from, to] = FormPainter::inkSpan(motto.get());
    painter.rule(right_x + from, right_y, right_x + to, right_y);
  }
  painter.cursor_y = std::max(left_y, right_y) + 8;
  const std::string symbol = header.document_symbol.empty() ? "……" : header.document_symbol;
  const double number_height =
      painter.text(message(language, "form.document_number", {"        /" + symbol}), kHeadingFont,
                   kMarginLeft, painter.cursor_y, left_width, PANGO_ALIGN_CENTER);
  const double date_height =
      painter.text(dateLine(language, header.province_place, now), kDateFont, right_x,
                   painter.cursor_y, right_width, PANGO_ALIGN_CENTER);
  painter.cursor_y += std::max(number_height, date_height) + 22;

  // The title, whom it is addressed to, and the opening sentences.
  painter.cursor_y += painter.text(title, kTitleFont, kMarginLeft, painter.cursor_y, kContentWidth,
                                   PANGO_ALIGN_CENTER) +
                      12;
  painter.cursor_y +=
      painter.text(message(language, "form.addressee", {header.addressee}), kBodyFont, kMarginLeft,
                   painter.cursor_y, kContentWidth, PANGO_ALIGN_CENTER) +
      12;
  const std::string agency_name =
      header.agency_code.empty()
          ? header.agency_name
          : message(language, "form.agency_with_code", {header.agency_name, header.agency_code});
  auto paragraph = [&](const std::string& text) {
    const LayoutPtr block =
        painter.layout(text, kBodyFont, kContentWidth, PANGO_ALIGN_LEFT, true, 28);
    const double block_height = FormPainter::height(block.get());
    if (painter.cursor_y + block_height > kPageBottom) painter.newPage();
    painter.show(block.get(), kMarginLeft, painter.cursor_y);
    painter.cursor_y += block_height + 5;
  };
  paragraph(message(language, "form.legal_basis"));
  paragraph(message(language, "form.intro." + variant, {agency_name}));
  painter.cursor_y += 4;

  drawTable(painter, table);
  painter.cursor_y += 10;

  // After the table: the follow-up records of a revocation, the agency's commitment.
  if (first.kind == RequestKind::Revocation) {
    std::set<Form> follow_ups;
    for (const auto& request : requests) {
      for (const Form form : followUpForms(request)) follow_ups.insert(form);
    }
    for (const Form form : follow_ups) {
      paragraph(message(language, "form.followup." + std::string(toString(form))));
    }
  }
  paragraph(message(language, "form.commitment", {header.agency_name}));

  // The signature block: the recipients on the left, the head of the agency on the right,
  // kept together on one page.
  const LayoutPtr recipients_title = painter.layout(
      message(language, "form.recipients"), kRecipientsTitleFont, left_width, PANGO_ALIGN_LEFT);
  const LayoutPtr recipients = painter.layout(message(language, "form.recipients.list"),
                                              kRecipientsFont, left_width, PANGO_ALIGN_LEFT);
  const LayoutPtr signer_title =
      painter.layout(message(language, "form.signature.title"), kSignatureTitleFont, right_width,
                     PANGO_ALIGN_CENTER);
  const LayoutPtr signer_note = painter.layout(message(language, "form.signature.note"),
                                               kSignatureNoteFont, right_width, PANGO_ALIGN_CENTER);
  const LayoutPtr signer_name =
      painter.layout(header.signer_name, kSignatureTitleFont, right_width, PANGO_ALIGN_CENTER);
  constexpr double kSignatureSpace = 80;  // for the signature and the seal
  const double block_height = FormPainter::height(signer_title.get()) +
                              FormPainter::height(signer_note.get()) + kSignatureSpace +
                              FormPainter::height(signer_name.get()) + 8;
  if (painter.cursor_y + block_height > kPageBottom) painter.newPage();
  const double block_top = painter.cursor_y + 8;
  painter.show(recipients_title.get(), kMarginLeft, block_top);
  painter.show(recipients.get(), kMarginLeft,
               block_top + FormPainter::height(recipients_title.get()));
  double signer_y = block_top;
  painter.show(signer_title.get(), right_x, signer_y);
  signer_y += FormPainter::height(signer_title.get());
  painter.show(signer_note.get(), right_x, signer_y);
  signer_y += FormPainter::height(signer_note.get()) + kSignatureSpace;
  if (!header.signer_name.empty()) painter.show(signer_name.get(), right_x, signer_y);

  cairo_show_page(cr.get());
  cairo_surface_finish(surface.get());
  if (const cairo_status_t status = cairo_surface_status(surface.get());
      status != CAIRO_STATUS_SUCCESS) {
    return fail("form: cairo: ", cairo_status_to_string(status));
  }
  if (const cairo_status_t status = cairo_status(cr.get()); status != CAIRO_STATUS_SUCCESS) {
    return fail("form: cairo: ", cairo_status_to_string(status));
  }
  return pdf;
}

}  // namespace

RequestedCertificateInfo certificateInfoOf(const InventoryCertificate& certificate) {
  const Certificate& c = certificate.certificate;
  RequestedCertificateInfo info;
  info.holder = c.common_name.empty() ? c.subject : c.common_name;
  info.serial = c.serial;
  if (c.parsed()) info.not_after = c.not_after;
  info.token_serial = certificate.token_serial;
  return info;
}

Status writeRequestForm(const std::vector<Request>& requests, const FormHeader& header,
                        const std::map<std::string, RequestedCertificateInfo>& certificates,
                        Language language, TimePoint now, const std::string& path) {
  if (requests.empty()) return fail("form: ", message(language, "form.error.empty"));
  const Request& first = requests.front();
  for (const Request& request : requests) {
    if (!formOf(request) || variantOf(request).empty()) {
      return fail("form: ", message(language, "form.error.no_form", {request.id}));
    }
    if (variantOf(request) != variantOf(first)) {
      auto label = [&](const Request& r) {
        return message(language, "request.kind." + std::string(toString(r.kind))) + " (" +
               message(language, "form.number", {toString(*formOf(r))}) + ")";
      };
      const std::string first_label = label(first);
      const std::string other_label = label(request);
      return fail("form: ", message(language, "form.error.mixed",
                                    {first.id, first_label, request.id, other_label}));
    }
  }
  const auto table = FormBuilder(requests, certificates, language).table();
  if (!table) return tl::unexpected(table.error());
  const auto pdf = renderPdf(requests, header, *table, language, now);
  if (!pdf) return tl::unexpected(pdf.error());
  return store::replaceFile(path, *pdf);
}

void releaseFormFonts() {
  pango_cairo_font_map_set_default(nullptr);
  cairo_debug_reset_static_data();
  FcFini();
}

}  // namespace cks::agent
