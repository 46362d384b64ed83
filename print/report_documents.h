// The yearly report as documents people keep and send (issue 6, docs/report.md "Province
// side"): an agency's report and the province's aggregate, each as an A4 PDF (pango on cairo,
// DejaVu embedded, Vietnamese diacritics intact) and as an Excel workbook (libxlsxwriter, one
// sheet per section, numbers as numbers). Headings and labels come from the message catalogue
// ("print.*", "report.*", "kind.*", "pin.*", "request.kind.*") in the language asked for.
// Every file is written whole or not at all (platform::replaceFile). One thread at a time, and
// releaseFonts() at exit (print/fonts.h).
#pragma once

#include <string>

#include "core/clock.h"
#include "core/messages.h"
#include "core/report.h"
#include "core/result.h"
#include "print/fonts.h"

namespace cks::print {

// Who issues a report (issue 12, point 4): the heading's left side, the place in the date lines
// and the signature at the end. The caller passes what it knows of the identity
// (core/agency_identity.h) and, for what it does not, the placeholder text the reader should see.
struct ReportIssuer {
  std::string parent_body;  // above the issuer: "UBND thành phố Đà Nẵng"; may be empty
  std::string name;  // the issuer: the agency (empty: the report's agency_name) or the Sở (empty:
                     // "Sở Khoa học và Công nghệ")
  std::string place;         // "Đà Nẵng"; empty: the date line names no place
  std::string signer_title;  // empty: "THỦ TRƯỞNG CƠ QUAN" (agency), "GIÁM ĐỐC" (province)
  std::string signer_name;   // under the space for the signature, when known
  std::string full_name;  // the workbook's page header, "Sở Khoa học và Công nghệ thành phố
                          // Đà Nẵng"; empty: name and parent body
};

// The agency's report as a PDF at `path`; `now` is the date printed under the heading and in the
// signature block, and the file's creation date. An error names the file and the cause; the file
// is then untouched.
[[nodiscard]] Status writeAgencyReportPdf(const YearlyReport& report, Language language,
                                          TimePoint now, const std::string& path,
                                          const ReportIssuer& issuer = {});

// The agency's report as an XLSX workbook at `path`: sheets summary, certificates, tokens,
// requests, next-year plan, revocation candidates, remarks.
[[nodiscard]] Status writeAgencyReportXlsx(const YearlyReport& report, Language language,
                                           const std::string& path,
                                           const ReportIssuer& issuer = {});

// The province's aggregate as a PDF at `path` (as writeAgencyReportPdf).
[[nodiscard]] Status writeProvinceReportPdf(const ProvinceReport& report, Language language,
                                            TimePoint now, const std::string& path,
                                            const ReportIssuer& issuer = {});

// The province's aggregate as an XLSX workbook at `path`: sheets summary, by agency type, by
// agency, the agencies' remarks, next-year plan, missing agencies.
[[nodiscard]] Status writeProvinceReportXlsx(const ProvinceReport& report, Language language,
                                             const std::string& path,
                                             const ReportIssuer& issuer = {});

}  // namespace cks::print
