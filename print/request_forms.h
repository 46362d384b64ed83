// The official paper of a request: renders one or more requests of one kind as the form of the
// Decree 68/2024/NĐ-CP appendix (Mẫu số 01–06) in a PDF, ready for the head of the agency to
// sign — national heading, the agency's header, the title, the list table, the signature block.
// Drawn with print/'s one PDF painter (internal/page.h: pango on cairo, DejaVu embedded), like
// the yearly reports. Every text comes from the message catalogue (keys `form.*`). One thread
// at a time, and releaseFonts() at exit (print/fonts.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/inventory.h"
#include "core/messages.h"
#include "core/request.h"
#include "core/result.h"
#include "print/fonts.h"

namespace cks::print {

// Who files the form: the managing agency, above it, where it is and whom the form is for.
struct FormHeader {
  std::string agency_name;     // "UBND XÃ BÌNH CHƯƠNG" (printed in capitals)
  std::string agency_code;     // its mã định danh, "H55.30.05"; named in the opening sentence
  std::string parent_body;     // the body above it, "UBND TỈNH QUẢNG NGÃI"; may be empty
  std::string province_place;  // the place in the date line, "Quảng Ngãi"
  std::string addressee;  // "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" or the Cục (Kính gửi)
  std::string document_symbol;  // after the number's slash, "UBND-VP"; dots when empty
  std::string signer_name;      // printed under the signature space when known
  std::string signer_title;     // over the signature; empty: "THỦ TRƯỞNG CƠ QUAN"
};

// What the table shows of a certificate a request names (renewal, change, revocation), or of
// the certificates on the token a recovery names. Looked up by fingerprint.
struct RequestedCertificateInfo {
  std::string holder;  // the subject's CN: the person, organisation or device
  std::string serial;  // hex as the certificate carries it (printed in capitals)
  std::optional<TimePoint> not_after;
  std::string token_serial;  // the token it was last seen on
};

// The table's view of a certificate the inventory holds.
[[nodiscard]] RequestedCertificateInfo certificateInfoOf(const InventoryCertificate& certificate);

// Renders `requests` as one form and writes it to `path` as a PDF, atomically: the PDF is built
// in memory, written to a temporary file in the same folder, flushed to disk and renamed over
// `path`, so `path` is either untouched or the whole new form. All requests must be of one kind
// (one form, and for Mẫu 04 either all renewals or all changes: their tables differ) and be
// well-formed for it; a renewal, change or revocation needs its certificate in `certificates`
// (by fingerprint), a recovery's token is matched with `token_serial` there when it names no
// certificate. The date line is `now` in Vietnam time; texts are in `language` (the official
// form is Vietnamese; English is a reading aid). Errors start with "form: " and say why.
[[nodiscard]] Status writeRequestForm(
    const std::vector<Request>& requests, const FormHeader& header,
    const std::map<std::string, RequestedCertificateInfo>& certificates, Language language,
    TimePoint now, const std::string& path);

}  // namespace cks::print
