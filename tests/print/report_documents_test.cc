// The yearly report's documents as the officer and the province open them: each workbook is read
// back with a real XLSX reader (Debian's python3 with python3-openpyxl: sheet names, Vietnamese
// headers, numbers as number cells), each PDF with poppler-utils (pdftotext for the text and its
// diacritics, pdftoppm for a page image kept as a test artefact), in Vietnamese and English; a file
// that cannot be written is an error naming it, and nothing is left behind.
#include "print/report_documents.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "core/time_format.h"
#include "tests/print/pdf_reading.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cks::print {
namespace {

namespace fs = std::filesystem;
using test::runCommand;
using test::TempDir;

// Frees pango's and fontconfig's caches once every test of print_tests has run (LeakSanitizer):
// the forms' tests (request_forms_test.cc) rely on it too.
class FontCacheRelease : public ::testing::Environment {
 public:
  void TearDown() override { releaseFonts(); }
};
[[maybe_unused]] ::testing::Environment* const kFontCacheRelease =
    ::testing::AddGlobalTestEnvironment(new FontCacheRelease);

TimePoint at(const char* iso) {
  const auto parsed = parseIsoUtc(iso);
  if (!parsed) throw std::runtime_error(std::string("bad time in test: ") + iso);
  return *parsed;
}

// 09:30 on 15 January 2027 in Vietnam.
const TimePoint kNow = at("2027-01-15T02:30:00Z");

YearlyReport binhChuong() {
  YearlyReport r;
  r.agency_code = "H55.30.05";
  r.agency_name = "UBND xã Bình Chương";
  r.year = 2026;
  r.as_of = at("2026-12-31T10:00:00Z");  // 17:00 in Vietnam
  r.inventory.certificates.individual = {.valid = 12, .expiring = 2, .expired = 1, .revoked = 1};
  r.inventory.certificates.organization = {.valid = 1};
  r.inventory.certificates.device = {.expired = 1};
  r.inventory.tokens = {.ok = 11, .count_low = 1, .locked = 2};
  r.inventory.tokens_not_seen = {"TK0077777"};
  r.inventory.tokens_lost = 1;
  r.activity.by_kind[RequestKind::Renewal] = {
      .outcomes = {.completed = 3, .pending = 1},
      .time_to_complete = {.measured = 3, .median_working_days = 1.5, .worst_working_days = 3}};
  r.activity.by_kind[RequestKind::Revocation] = {.outcomes = {.completed = 1}};
  r.activity.time_to_complete = {
      .measured = 3, .median_working_days = 1.5, .worst_working_days = 3};
  r.plan.renewals_by_month[0].individual = 2;
  r.plan.renewals_by_month[11].organization = 1;
  r.plan.revocation_candidates.push_back({.fingerprint_sha256 = std::string(64, 'd'),
                                          .common_name = "Huỳnh Thị Thảo",
                                          .kind = SubscriberKind::Individual,
                                          .token_serial = "TK0077777",
                                          .last_seen = at("2026-03-02T01:00:00Z")});
  r.officer.expected_new_individual = 4;
  r.officer.expected_new_note = "Tuyển thêm công chức địa chính";
  r.officer.tokens_to_replace = 2;
  r.officer.difficulties = "Đường truyền chập chờn ở thôn Trà Bồng";
  return r;
}

ProvinceReport province() {
  const std::vector<ExpectedAgency> expected = {{"H55.30.05", "UBND xã Bình Chương", std::nullopt},
                                                {"H55.12", "Sở Tài chính", std::nullopt},
                                                {"H55.30.07", "UBND xã Bình Hải", std::nullopt}};
  YearlyReport finance = binhChuong();
  finance.agency_code = "H55.12";
  finance.agency_name = "Sở Tài chính";
  finance.inventory.certificates.individual.valid = 30;
  const std::vector<SubmittedReport> submitted = {{binhChuong(), 2, at("2027-01-05T03:00:00Z")},
                                                  {finance, 1, at("2027-01-06T03:00:00Z")}};
  return aggregateReports(2026, expected, submitted, kNow);
}

// Every non-empty cell of the workbook: "Sheet!B7" → "n:14" (a number) or "s:text", and
// "#sheets" → the sheet names, one per line.
std::map<std::string, std::string> readXlsx(const std::string& path) {
  const char* script = R"py(
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
print("#sheets\t" + "|".join(book.sheetnames))
for sheet in book.worksheets:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            kind = "n" if isinstance(cell.value, (int, float)) else "s"
            value = ("%g" % cell.value) if kind == "n" else str(cell.value).replace("\n", " ")
            print("%s!%s\t%s:%s" % (sheet.title, cell.coordinate, kind, value))
)py";
  const auto result = runCommand({"/usr/bin/python3", "-c", script, path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::map<std::string, std::string> cells;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) cells[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return cells;
}

std::string pdfText(const std::string& path) { return test::pdfFlowText(path); }

void keepPageImage(const std::string& pdf, const std::string& name) {
  test::keepPageImage(pdf, "reports", name);
}

std::vector<std::string> filesIn(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

TEST(ReportDocumentsTest, TheAgencyWorkbookHasOneSheetPerSectionWithNumbersAsNumbers) {
  TempDir dir;
  const std::string path = dir.file("bao-cao-2026.xlsx");
  ASSERT_TRUE(writeAgencyReportXlsx(binhChuong(), Language::Vietnamese, path));
  const auto cells = readXlsx(path);
  EXPECT_EQ(cells.at("#sheets"),
            "Tổng hợp|Chứng thư số|Thiết bị lưu khóa|Đề nghị|Kế hoạch năm sau|Đề xuất thu "
            "hồi|Kiến nghị");
  EXPECT_EQ(cells.at("Tổng hợp!A1"), "s:Số liệu chính");
  EXPECT_EQ(cells.at("Tổng hợp!A2"), "s:(Số liệu tính đến 31/12/2026 17:00, giờ Việt Nam)");
  EXPECT_EQ(cells.at("Tổng hợp!A4"), "s:Chỉ tiêu");
  EXPECT_EQ(cells.at("Tổng hợp!B4"), "s:Số lượng");
  EXPECT_EQ(cells.at("Tổng hợp!A5"), "s:Chứng thư số còn hiệu lực");
  EXPECT_EQ(cells.at("Tổng hợp!B5"), "n:15");  // 12 + 2 individuals, 1 organisation
  // Certificates: kinds down, statuses across, a total line.
  EXPECT_EQ(cells.at("Chứng thư số!B4"), "s:Còn hiệu lực");
  EXPECT_EQ(cells.at("Chứng thư số!A5"), "s:Cá nhân");
  EXPECT_EQ(cells.at("Chứng thư số!B5"), "n:12");
  EXPECT_EQ(cells.at("Chứng thư số!E5"), "n:1");  // revoked
  EXPECT_EQ(cells.at("Chứng thư số!A9"), "s:Tổng cộng");
  EXPECT_EQ(cells.at("Chứng thư số!H9"), "n:18");
  // The median keeps its half day.
  bool median = false;
  for (const auto& [cell, value] : cells) median = median || value == "n:1.5";
  EXPECT_TRUE(median);
  // The plan: January of the next year, and what the officer typed.
  EXPECT_EQ(cells.at("Kế hoạch năm sau!A6"), "s:01/2027");
  EXPECT_EQ(cells.at("Kế hoạch năm sau!B6"), "n:2");
  bool note = false;
  for (const auto& [cell, value] : cells) {
    note = note || value == "s:Tuyển thêm công chức địa chính";
  }
  EXPECT_TRUE(note);
  EXPECT_EQ(cells.at("Đề xuất thu hồi!A6"), "s:Chủ thể");
  EXPECT_EQ(cells.at("Đề xuất thu hồi!A7"), "s:Huỳnh Thị Thảo");
  EXPECT_EQ(cells.at("Kiến nghị!B5"), "s:Đường truyền chập chờn ở thôn Trà Bồng");
}

TEST(ReportDocumentsTest, TheProvinceWorkbookShowsCompletenessAgenciesPlanAndTheMissing) {
  TempDir dir;
  const std::string path = dir.file("tinh-2026.xlsx");
  ASSERT_TRUE(writeProvinceReportXlsx(province(), Language::Vietnamese, path));
  const auto cells = readXlsx(path);
  EXPECT_EQ(cells.at("#sheets"),
            "Tổng hợp|Theo loại cơ quan|Theo cơ quan|Kiến nghị của cơ quan|Kế hoạch năm sau|Chưa "
            "báo cáo");
  EXPECT_EQ(cells.at("Tổng hợp!A1"), "s:Tổng hợp toàn tỉnh năm 2026");
  EXPECT_EQ(cells.at("Tổng hợp!A6"), "s:Số cơ quan phải báo cáo");
  EXPECT_EQ(cells.at("Tổng hợp!B6"), "n:3");
  EXPECT_EQ(cells.at("Tổng hợp!B7"), "n:2");
  EXPECT_EQ(cells.at("Tổng hợp!B8"), "n:1");
  EXPECT_EQ(cells.at("Theo cơ quan!A6"), "s:Mã cơ quan");
  EXPECT_EQ(cells.at("Theo cơ quan!A7"), "s:H55.12");
  EXPECT_EQ(cells.at("Theo cơ quan!B7"), "s:Sở Tài chính");
  EXPECT_EQ(cells.at("Theo cơ quan!C7"), "s:Sở, ban, ngành");
  EXPECT_EQ(cells.at("Theo cơ quan!D7"), "n:1");
  EXPECT_EQ(cells.at("Theo cơ quan!H7"), "n:33");  // 30 + 2 individuals, 1 organisation
  EXPECT_EQ(cells.at("Theo cơ quan!A8"), "s:H55.30.05");
  EXPECT_EQ(cells.at("Theo cơ quan!D8"), "n:2");
  EXPECT_EQ(cells.at("Theo cơ quan!G8"), "n:14");     // 31/12/2026 17:00 to 15/01/2027 09:30
  EXPECT_EQ(cells.at("Kế hoạch năm sau!B6"), "n:4");  // January: two agencies × 2
  EXPECT_EQ(cells.at("Chưa báo cáo!A6"), "s:Mã cơ quan");
  EXPECT_EQ(cells.at("Chưa báo cáo!A7"), "s:H55.30.07");
  EXPECT_EQ(cells.at("Chưa báo cáo!B7"), "s:UBND xã Bình Hải");
  EXPECT_EQ(cells.at("Chưa báo cáo!C7"), "s:UBND xã, phường, đặc khu");
}

TEST(ReportDocumentsTest, TheWorkbookSpeaksEnglishWhenAsked) {
  TempDir dir;
  const std::string path = dir.file("province-2026.xlsx");
  ASSERT_TRUE(writeProvinceReportXlsx(province(), Language::English, path));
  const auto cells = readXlsx(path);
  EXPECT_EQ(cells.at("#sheets"),
            "Summary|By agency type|By agency|Agency remarks|Next-year plan|Missing");
  EXPECT_EQ(cells.at("By agency!A6"), "s:Agency code");
  EXPECT_EQ(cells.at("Missing!A7"), "s:H55.30.07");
}

TEST(ReportDocumentsTest, TheAgencyPdfCarriesTheTitleHeadingAndFiguresWithDiacritics) {
  TempDir dir;
  const std::string path = dir.file("bao-cao-2026.pdf");
  ASSERT_TRUE(writeAgencyReportPdf(binhChuong(), Language::Vietnamese, kNow, path));
  const std::string text = pdfText(path);
  EXPECT_NE(text.find("BÁO CÁO TÌNH HÌNH QUẢN LÝ, SỬ DỤNG CHỮ KÝ SỐ NĂM 2026"), std::string::npos)
      << text;
  EXPECT_NE(text.find("UBND XÃ BÌNH CHƯƠNG"), std::string::npos);
  EXPECT_NE(text.find("Mã định danh: H55.30.05"), std::string::npos);
  EXPECT_NE(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos);
  EXPECT_NE(text.find("ngày 15 tháng 01 năm 2027"), std::string::npos);
  EXPECT_NE(text.find("Số liệu tính đến 31/12/2026 17:00"), std::string::npos);
  EXPECT_NE(text.find("Chứng thư số còn hiệu lực 15"), std::string::npos);
  EXPECT_NE(text.find("Huỳnh Thị Thảo"), std::string::npos);
  EXPECT_NE(text.find("1,5"), std::string::npos);  // the median, with a decimal comma
  // (pdftotext splits the kerned "Tr" of DejaVu Sans: "T rà"; the words before are whole.)
  EXPECT_NE(text.find("Đường truyền chập chờn ở thôn"), std::string::npos) << text;
  const auto fonts = runCommand({"pdffonts", path});
  EXPECT_NE(fonts.out.find("DejaVu"), std::string::npos) << fonts.out;
  EXPECT_EQ(fonts.out.find(" no  "), std::string::npos) << "every font embedded:\n" << fonts.out;
  keepPageImage(path, "agency-report-vi");
}

TEST(ReportDocumentsTest, TheProvincePdfListsAgenciesAndTheMissingOnA4) {
  TempDir dir;
  const std::string path = dir.file("tinh-2026.pdf");
  ASSERT_TRUE(writeProvinceReportPdf(province(), Language::Vietnamese, kNow, path));
  const std::string text = pdfText(path);
  EXPECT_NE(text.find("BÁO CÁO TÌNH HÌNH QUẢN LÝ, SỬ DỤNG CHỮ KÝ SỐ NĂM 2026"), std::string::npos);
  EXPECT_NE(text.find("SỞ KHOA HỌC VÀ CÔNG NGHỆ"), std::string::npos);
  EXPECT_NE(text.find("2/3 cơ quan đã báo cáo"), std::string::npos) << text;
  EXPECT_NE(text.find("Sở Tài chính"), std::string::npos);
  EXPECT_NE(text.find("Cơ quan chưa báo cáo"), std::string::npos);
  EXPECT_NE(text.find("H55.30.07 UBND xã Bình Hải"), std::string::npos);
  const auto info = runCommand({"pdfinfo", path});
  EXPECT_NE(info.out.find("595.276 x 841.89 pts (A4)"), std::string::npos) << info.out;
  keepPageImage(path, "province-report-vi");

  const std::string english = dir.file("province-2026.pdf");
  ASSERT_TRUE(writeProvinceReportPdf(province(), Language::English, kNow, english));
  const std::string english_text = pdfText(english);
  EXPECT_NE(english_text.find("REPORT ON THE MANAGEMENT AND USE OF DIGITAL SIGNATURES, 2026"),
            std::string::npos)
      << english_text;
  EXPECT_NE(english_text.find("Agencies that have not reported"), std::string::npos);
}

TEST(ReportDocumentsTest, AFileThatCannotBeWrittenIsAnErrorNamingItAndNothingIsLeft) {
  TempDir dir;
  const std::string missing_folder = dir.file("no-such-folder");
  for (const std::string name : {"r.pdf", "r.xlsx"}) {
    const std::string path = missing_folder + "/" + name;
    const auto written = name == "r.pdf"
                             ? writeProvinceReportPdf(province(), Language::Vietnamese, kNow, path)
                             : writeProvinceReportXlsx(province(), Language::Vietnamese, path);
    ASSERT_FALSE(written);
    EXPECT_NE(written.error().message.find(path), std::string::npos) << written.error().message;
    EXPECT_FALSE(fs::exists(path));
  }
  // A folder in the way of the file: the write fails and the temporary file is gone.
  const std::string blocked = dir.file("blocked.xlsx");
  fs::create_directory(blocked);
  const auto written = writeAgencyReportXlsx(binhChuong(), Language::Vietnamese, blocked);
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find(blocked), std::string::npos) << written.error().message;
  EXPECT_EQ(filesIn(dir.path()), std::vector<std::string>{"blocked.xlsx"});
  EXPECT_TRUE(fs::is_directory(blocked));
}

TEST(ReportDocumentsTest, RewritingAFileReplacesItWhole) {
  TempDir dir;
  const std::string path = dir.file("bao-cao.xlsx");
  ASSERT_TRUE(writeAgencyReportXlsx(binhChuong(), Language::Vietnamese, path));
  YearlyReport changed = binhChuong();
  changed.officer.difficulties = "Không có";
  ASSERT_TRUE(writeAgencyReportXlsx(changed, Language::Vietnamese, path));
  EXPECT_EQ(readXlsx(path).at("Kiến nghị!B5"), "s:Không có");
  EXPECT_EQ(filesIn(dir.path()), std::vector<std::string>{"bao-cao.xlsx"});
}

// Whether `text` (pdftotext's) holds a hyphen that ends a line right after a letter: a word cut
// by the layout ("Lầ-" / "n nộ-" / "p").
bool cutsAWord(const std::string& text) {
  for (size_t at = text.find("-\n"); at != std::string::npos; at = text.find("-\n", at + 1)) {
    if (at == 0) continue;
    const unsigned char before = static_cast<unsigned char>(text[at - 1]);
    if (before >= 0x80 || std::isalpha(before)) return true;
  }
  return false;
}

// Issue 12, point 16: "Lần nộp" broke as "Lầ-n nộ-p" in the province's table header. Lines
// break between words only, columns are widened to their longest syllable, and nothing is ever
// hyphenated.
TEST(ReportDocumentsTest, NoPdfCutsAVietnameseSyllableWithAHyphen) {
  TempDir dir;
  const std::string path = dir.file("tinh-2026.pdf");
  ASSERT_TRUE(writeProvinceReportPdf(province(), Language::Vietnamese, kNow, path));
  const auto raw = runCommand({"pdftotext", "-raw", path, "-"});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_FALSE(cutsAWord(raw.out)) << raw.out;
  EXPECT_NE(pdfText(path).find("Lần nộp"), std::string::npos) << pdfText(path);
  test::keepPageImage(path, "reports", "province-report-by-agency", 2);

  const std::string agency = dir.file("bao-cao-2026.pdf");
  ASSERT_TRUE(writeAgencyReportPdf(binhChuong(), Language::Vietnamese, kNow, agency));
  const auto agency_raw = runCommand({"pdftotext", "-raw", agency, "-"});
  EXPECT_FALSE(cutsAWord(agency_raw.out)) << agency_raw.out;
  // A fingerprint (64 hex digits) is no syllable: it still wraps inside its cell, unhyphenated.
  EXPECT_NE(pdfText(agency).find(std::string(20, 'd')), std::string::npos);
}

// Issue 12, points 4 and 16: the agency's report names the agency under the body above it, the
// place in its date lines, and ends with the signature block an official report carries.
TEST(ReportDocumentsTest, TheAgencyPdfNamesItsIssuerAndEndsWithTheSignatureBlock) {
  TempDir dir;
  const std::string path = dir.file("bao-cao-2026.pdf");
  ReportIssuer issuer;
  issuer.parent_body = "UBND thành phố Đà Nẵng";
  issuer.name = "UBND phường Hải Châu";
  issuer.place = "Đà Nẵng";
  issuer.signer_name = "Trần Văn Bảy";
  ASSERT_TRUE(writeAgencyReportPdf(binhChuong(), Language::Vietnamese, kNow, path, issuer));
  const std::string text = pdfText(path);
  EXPECT_NE(text.find("UBND THÀNH PHỐ ĐÀ NẴNG UBND PHƯỜNG HẢI CHÂU"), std::string::npos) << text;
  const std::string date = "Đà Nẵng, ngày 15 tháng 01 năm 2027";
  const auto heading_date = text.find(date);
  ASSERT_NE(heading_date, std::string::npos) << text;
  const auto signature_date = text.rfind(date);
  EXPECT_GT(signature_date, text.find("Đường truyền chập chờn")) << text;  // after the last section
  const auto title = text.find("THỦ TRƯỞNG CƠ QUAN", signature_date);
  ASSERT_NE(title, std::string::npos) << text;
  EXPECT_NE(text.find("(Ký, ghi rõ họ tên, đóng dấu) Trần Văn Bảy", title), std::string::npos)
      << text;
  const auto pages =
      runCommand({"bash", "-c", "pdfinfo '" + path + "' | awk '/^Pages:/ {print $2}'"});
  test::keepPageImage(path, "reports", "agency-report-signature", std::stoi(pages.out));

  // The province's report: the director's title, configurable.
  const std::string province_pdf = dir.file("tinh-2026.pdf");
  ReportIssuer office;
  office.parent_body = "UBND thành phố Đà Nẵng";
  office.place = "Đà Nẵng";
  ASSERT_TRUE(writeProvinceReportPdf(province(), Language::Vietnamese, kNow, province_pdf, office));
  const std::string province_text = pdfText(province_pdf);
  EXPECT_NE(province_text.find("UBND THÀNH PHỐ ĐÀ NẴNG SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
            std::string::npos)
      << province_text;
  EXPECT_NE(province_text.find("GIÁM ĐỐC (Ký, ghi rõ họ tên, đóng dấu)"), std::string::npos)
      << province_text;
  office.signer_title = "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC";
  ASSERT_TRUE(writeProvinceReportPdf(province(), Language::Vietnamese, kNow, province_pdf, office));
  EXPECT_NE(pdfText(province_pdf).find("KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC"), std::string::npos);
}

// Issue 12, point 16: the agencies' difficulties and proposals, by agency, in both documents.
TEST(ReportDocumentsTest, TheProvincesDocumentsListEachAgencysRemarks) {
  TempDir dir;
  ProvinceReport report = province();
  report.by_agency[1].proposals = "Cấp thêm token dự phòng";
  const std::string xlsx = dir.file("tinh-2026.xlsx");
  ASSERT_TRUE(writeProvinceReportXlsx(report, Language::Vietnamese, xlsx));
  const auto cells = readXlsx(xlsx);
  EXPECT_EQ(cells.at("Kiến nghị của cơ quan!A6"), "s:Mã cơ quan");
  EXPECT_EQ(cells.at("Kiến nghị của cơ quan!C6"), "s:Khó khăn, vướng mắc");
  EXPECT_EQ(cells.at("Kiến nghị của cơ quan!A7"), "s:H55.12");
  EXPECT_EQ(cells.at("Kiến nghị của cơ quan!C7"), "s:Đường truyền chập chờn ở thôn Trà Bồng");
  EXPECT_EQ(cells.at("Kiến nghị của cơ quan!A8"), "s:H55.30.05");
  EXPECT_EQ(cells.at("Kiến nghị của cơ quan!D8"), "s:Cấp thêm token dự phòng");
  const std::string pdf = dir.file("tinh-2026.pdf");
  ASSERT_TRUE(writeProvinceReportPdf(report, Language::Vietnamese, kNow, pdf));
  const std::string text = pdfText(pdf);
  EXPECT_NE(text.find("Khó khăn, vướng mắc và đề xuất, kiến nghị của các cơ quan"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Cấp thêm token dự phòng"), std::string::npos) << text;
}

}  // namespace
}  // namespace cks::print
