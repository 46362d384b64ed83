#include "print/request_forms.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "core/labels.h"
#include "core/time_format.h"
#include "core/working_days.h"
#include "platform/files.h"
#include "print/internal/page.h"

namespace cks::print {
namespace {

using internal::kContentWidth;
using internal::kMarginLeft;
using internal::kMarginTop;
using internal::LayoutPtr;
using internal::Page;
using internal::upper;
namespace font = internal::font;

// DejaVu has every Vietnamese letter precomposed (fonts-dejavu-core, scripts/bootstrap.sh).
constexpr const char* kFormNumberFont = "DejaVu Serif Bold 10";
constexpr const char* kBodyFont = "DejaVu Serif 11";
constexpr const char* kRecipientsTitleFont = "DejaVu Serif Bold Italic 10";
constexpr const char* kRecipientsFont = "DejaVu Serif 9";
constexpr internal::TableStyle kTableStyle{"DejaVu Serif Bold 8.5", "DejaVu Serif 8.5",
                                           "DejaVu Serif Bold 8.5", false};

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
            request.change_case ? label(*request.change_case, language_) : "";
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
            request.revocation_reason ? label(*request.revocation_reason, language_) : "";
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
Result<std::string> renderPdf(const std::vector<Request>& requests, const FormHeader& header,
                              const Table& table, Language language, TimePoint now) {
  const Request& first = requests.front();
  const std::string variant(variantOf(first));
  const std::string title = message(language, "form.title." + variant);
  Page page(title.substr(0, title.find('\n')) + " — " + header.agency_name, header.agency_name,
            now);

  // "Mẫu số 04" at the top right, as the Decree's appendix heads each form.
  page.text(message(language, "form.number", {toString(*formOf(first))}), kFormNumberFont,
            kMarginLeft, kMarginTop / 2, kContentWidth, PANGO_ALIGN_RIGHT);
  const std::string symbol = header.document_symbol.empty() ? "……" : header.document_symbol;
  internal::drawHeading(
      page, {header.parent_body, header.agency_name,
             message(language, "form.document_number", {"        /" + symbol}),
             message(language, "form.national_name"), message(language, "form.national_motto"),
             dateLine(language, header.province_place, now)});

  // The title, whom it is addressed to, and the opening sentences.
  page.cursor_y += page.text(title, font::kSerifBold12, kMarginLeft, page.cursor_y, kContentWidth,
                             PANGO_ALIGN_CENTER) +
                   12;
  page.cursor_y += page.text(message(language, "form.addressee", {header.addressee}), kBodyFont,
                             kMarginLeft, page.cursor_y, kContentWidth, PANGO_ALIGN_CENTER) +
                   12;
  const std::string agency_name =
      header.agency_code.empty()
          ? header.agency_name
          : message(language, "form.agency_with_code", {header.agency_name, header.agency_code});
  auto paragraph = [&](const std::string& text) { page.paragraph(text, kBodyFont, 5, true, 28); };
  paragraph(message(language, "form.legal_basis"));
  paragraph(message(language, "form.intro." + variant, {agency_name}));
  page.cursor_y += 4;

  std::vector<double> weights;
  std::vector<std::string> headers;
  for (const auto& column : table.columns) {
    weights.push_back(column.width);
    headers.push_back(column.header);
  }
  std::vector<std::vector<internal::RuledCell>> rows;
  for (const auto& cells : table.rows) {
    std::vector<internal::RuledCell> row;
    for (size_t i = 0; i < cells.size() && i < table.columns.size(); ++i) {
      row.push_back({cells[i], table.columns[i].align});
    }
    rows.push_back(std::move(row));
  }
  internal::drawTable(page, weights, headers, rows, kTableStyle);
  page.cursor_y += 10;

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
  const double left_width = kContentWidth * 0.42;
  const double right_x = kMarginLeft + left_width;
  const double right_width = kContentWidth - left_width;
  const LayoutPtr recipients_title =
      page.layout(message(language, "form.recipients"), kRecipientsTitleFont, left_width);
  const LayoutPtr recipients =
      page.layout(message(language, "form.recipients.list"), kRecipientsFont, left_width);
  const LayoutPtr signer_title = page.layout(
      header.signer_title.empty() ? message(language, "form.signature.title") : header.signer_title,
      font::kSerifBold11, right_width, PANGO_ALIGN_CENTER);
  const LayoutPtr signer_note = page.layout(message(language, "form.signature.note"),
                                            font::kSerifItalic10, right_width, PANGO_ALIGN_CENTER);
  const LayoutPtr signer_name =
      page.layout(header.signer_name, font::kSerifBold11, right_width, PANGO_ALIGN_CENTER);
  constexpr double kSignatureSpace = 80;  // for the signature and the seal
  page.room(Page::height(signer_title.get()) + Page::height(signer_note.get()) + kSignatureSpace +
            Page::height(signer_name.get()) + 8);
  const double block_top = page.cursor_y + 8;
  page.show(recipients_title.get(), kMarginLeft, block_top);
  page.show(recipients.get(), kMarginLeft, block_top + Page::height(recipients_title.get()));
  double signer_y = block_top;
  page.show(signer_title.get(), right_x, signer_y);
  signer_y += Page::height(signer_title.get());
  page.show(signer_note.get(), right_x, signer_y);
  signer_y += Page::height(signer_note.get()) + kSignatureSpace;
  if (!header.signer_name.empty()) page.show(signer_name.get(), right_x, signer_y);
  auto pdf = page.finish();
  if (!pdf) return fail("form: ", pdf.error().message);
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
        return cks::label(r.kind, language) + " (" +
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
  return platform::replaceFile(path, *pdf);
}

}  // namespace cks::print
