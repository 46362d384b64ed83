// The official forms as the head of the agency and the province read them: each form is
// rendered to a real PDF and read back with poppler-utils (pdftotext -layout, pdffonts,
// pdftoppm), so the checks see what a printer or a PDF viewer shows.
#include "print/request_forms.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "core/time_format.h"
#include "tests/print/pdf_reading.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cks::print {
namespace {

namespace fs = std::filesystem;
using test::readFile;
using test::runCommand;
using test::TempDir;
using test::writeFile;

// (report_documents_test.cc frees the font caches once for the whole binary.)

TimePoint at(const char* iso) {
  const auto parsed = parseIsoUtc(iso);
  if (!parsed) throw std::runtime_error(std::string("bad time in test: ") + iso);
  return *parsed;
}

// 10:00 on 15 June 2026 in Vietnam.
const TimePoint kNow = at("2026-06-15T03:00:00Z");

FormHeader quangNgaiCommune() {
  FormHeader header;
  header.agency_name = "UBND xã Bình Chương";  // printed in capitals
  header.agency_code = "H55.30.05";
  header.parent_body = "UBND tỉnh Quảng Ngãi";
  header.province_place = "Quảng Ngãi";
  header.addressee = "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi";
  header.document_symbol = "UBND-VP";
  header.signer_name = "Trần Văn Bảy";
  return header;
}

const std::string kTuyet = std::string(64, 'a');
const std::string kHung = std::string(64, 'b');
const std::string kBinhMy = std::string(64, 'c');
const std::string kThao = std::string(64, 'd');

std::map<std::string, RequestedCertificateInfo> inventory() {
  return {
      {kTuyet,
       {.holder = "Nguyễn Thị Ánh Tuyết",
        .serial = "54030a0b1c2d3e4f",
        .not_after = at("2026-08-20T09:00:00Z"),
        .token_serial = "TK0012345"}},
      {kHung,
       {.holder = "Đặng Quốc Hưng",
        .serial = "5403aa01",
        .not_after = at("2027-03-01T00:00:00Z"),
        .token_serial = "TK0054321"}},
      {kBinhMy,
       {.holder = "UBND XÃ BÌNH MỸ",
        .serial = "5403bb02",
        .not_after = at("2028-01-01T00:00:00Z"),
        .token_serial = "TK0077777"}},
      {kThao,
       {.holder = "Huỳnh Thị Thảo",
        .serial = "5403cc03",
        .not_after = at("2028-05-05T00:00:00Z"),
        .token_serial = "TK0099887"}},
  };
}

Request newIndividual(std::string id, std::string name, std::string id_number,
                      std::string position) {
  Request request;
  request.id = std::move(id);
  request.kind = RequestKind::NewCertificate;
  request.subscriber = SubscriberKind::Individual;
  request.fields = {{"full_name", std::move(name)},
                    {"id_number", std::move(id_number)},
                    {"position", std::move(position)},
                    {"email", "tuyetnta@quangngai.gov.vn"},
                    {"phone", "0905181088"}};
  return request;
}

Request forCertificate(std::string id, RequestKind kind, const std::string& fingerprint) {
  Request request;
  request.id = std::move(id);
  request.kind = kind;
  request.fingerprint_sha256 = fingerprint;
  return request;
}

std::string pdfText(const std::string& path) { return test::pdfLayoutText(path); }
std::string flowText(const std::string& path) { return test::pdfFlowText(path); }

std::vector<std::string> pages(const std::string& text) {
  std::vector<std::string> out;
  std::string page;
  std::istringstream in(text);
  while (std::getline(in, page, '\f')) {
    if (page.find_first_not_of(" \n") != std::string::npos) out.push_back(page);
  }
  return out;
}

// Keeps a page of a form as build/<preset>/test-artifacts/forms/NAME.png.
std::string keepPageImage(const std::string& pdf, const std::string& name, int page = 1) {
  return test::keepPageImage(pdf, "forms", name, page);
}

class RequestFormTest : public ::testing::Test {
 protected:
  // Renders, keeps the page image of a form, and reads the PDF back in both ways: `layout`
  // as the page shows it (pdftotext -layout), `flow` with wrapped cells joined again.
  struct FormText {
    std::string layout;
    std::string flow;
  };
  FormText render(const std::vector<Request>& requests, const std::string& name,
                  Language language = Language::Vietnamese) {
    path_ = dir_.file(name + ".pdf");
    const Status status =
        writeRequestForm(requests, quangNgaiCommune(), inventory(), language, kNow, path_);
    EXPECT_TRUE(status) << status.error().message;
    if (!status) return {};
    if (name.starts_with("mau-")) keepPageImage(path_, name);
    return {pdfText(path_), flowText(path_)};
  }

  static void expectHeadingAndSignature(const std::string& text) {
    for (const char* expected :
         {"UBND TỈNH QUẢNG NGÃI", "UBND XÃ BÌNH CHƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "Độc lập - Tự do - Hạnh phúc", "Số:", "/UBND-VP", "Quảng Ngãi, ngày 15 tháng 6 năm 2026",
          "Kính gửi: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi.", "Nghị định số 68/2024/NĐ-CP",
          "(mã định danh H55.30.05)", "Nơi nhận:", "THỦ TRƯỞNG CƠ QUAN",
          "(Ký, ghi rõ họ tên và đóng dấu)", "Trần Văn Bảy"}) {
      EXPECT_NE(text.find(expected), std::string::npos) << "missing «" << expected << "» in\n"
                                                        << text;
    }
  }

  static void expectContains(const std::string& text, std::initializer_list<const char*> all) {
    for (const char* expected : all) {
      EXPECT_NE(text.find(expected), std::string::npos) << "missing «" << expected << "» in\n"
                                                        << text;
    }
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(RequestFormTest, NewIndividualsGoOnForm01WithTheirPersonalData) {
  Request tuyet =
      newIndividual("r-01a", "Nguyễn Thị Ánh Tuyết", "051190001234", "Phó Chủ tịch UBND xã");
  Request thao = newIndividual("r-01b", "Huỳnh Thị Thảo", "051195004321", "Công chức Tư pháp");
  thao.fields["email"] = "thaoht@quangngai.gov.vn";
  thao.fields["note"] = "Mới tuyển dụng";
  const FormText text = render({tuyet, thao}, "mau-01");
  expectHeadingAndSignature(text.layout);
  expectContains(text.layout, {"Mẫu số 01", "ĐỀ NGHỊ CẤP CHỨNG THƯ CHỮ KÝ SỐ CHUYÊN DÙNG CÔNG VỤ",
                               "CHO CÁ NHÂN", "Nguyễn Thị Ánh Tuyết", "051190001234",
                               "Huỳnh Thị Thảo", "051195004321", "0905181088"});
  expectContains(text.flow, {"STT", "Họ và tên", "Số định danh cá nhân", "Chức vụ, đơn vị công tác",
                             "Phó Chủ tịch UBND xã", "Công chức Tư pháp", "thaoht@quangngai.gov.vn",
                             "Mới tuyển dụng"});
}

TEST_F(RequestFormTest, NewOrganizationGoesOnForm02WithItsEstablishmentDecision) {
  Request ward;
  ward.id = "r-02";
  ward.kind = RequestKind::NewCertificate;
  ward.subscriber = SubscriberKind::Organization;
  ward.fields = {{"name", "UBND PHƯỜNG CẨM THÀNH"},
                 {"establishment_decision", "Nghị quyết số 1677/NQ-UBTVQH15"},
                 {"agency_code", "H55.01.02"},
                 {"address", "Số 02 Hùng Vương, Quảng Ngãi"},
                 {"email", "camthanh@quangngai.gov.vn"}};
  const FormText text = render({ward}, "mau-02");
  expectHeadingAndSignature(text.layout);
  expectContains(text.layout, {"Mẫu số 02", "CHO CƠ QUAN, TỔ CHỨC", "H55.01.02"});
  expectContains(text.flow, {"Tên cơ quan, tổ chức", "Quyết định thành lập",
                             "UBND PHƯỜNG CẨM THÀNH", "Số 02 Hùng Vương, Quảng Ngãi"});
}

TEST_F(RequestFormTest, NewDeviceGoesOnForm03WithWhoAnswersForIt) {
  Request system;
  system.id = "r-03";
  system.kind = RequestKind::NewCertificate;
  system.subscriber = SubscriberKind::Device;
  system.fields = {{"name", "Hệ thống quản lý văn bản"},
                   {"purpose", "Ký số văn bản đi tự động"},
                   {"manager", "Đặng Quốc Hưng"},
                   {"email", "cntt@quangngai.gov.vn"}};
  const FormText text = render({system}, "mau-03");
  expectHeadingAndSignature(text.layout);
  expectContains(text.layout, {"Mẫu số 03", "CHO THIẾT BỊ, DỊCH VỤ, PHẦN MỀM", "Đặng Quốc Hưng"});
  expectContains(text.flow, {"Mục đích sử dụng", "Người chịu trách nhiệm quản lý",
                             "Hệ thống quản lý văn bản", "Ký số văn bản đi tự động"});
}

TEST_F(RequestFormTest, RenewalsGoOnForm04WithSerialAndExpiry) {
  Request tuyet = forCertificate("r-04", RequestKind::Renewal, kTuyet);
  tuyet.fields["note"] = "Gia hạn lần đầu";
  Request hung = forCertificate("r-05", RequestKind::Renewal, kHung);
  const FormText text = render({tuyet, hung}, "mau-04");
  expectHeadingAndSignature(text.layout);
  expectContains(text.layout,
                 {"Mẫu số 04", "ĐỀ NGHỊ GIA HẠN", "CHỨNG THƯ CHỮ KÝ SỐ CHUYÊN DÙNG CÔNG VỤ",
                  "Nguyễn Thị Ánh Tuyết", "54030A0B1C2D3E4F", "20/08/2026", "TK0012345",
                  "Đặng Quốc Hưng", "5403AA01", "01/03/2027"});
  expectContains(text.flow, {"STT", "Họ và tên / Tên cơ quan, tổ chức", "Số hiệu chứng thư số",
                             "Số hiệu thiết bị lưu khóa bí mật", "Ngày hết hạn", "Ghi chú",
                             "Gia hạn lần đầu"});
  // Rows in the order given, numbered from 1.
  EXPECT_LT(text.layout.find("Nguyễn Thị Ánh Tuyết"), text.layout.find("Đặng Quốc Hưng"));
  EXPECT_NE(text.flow.find(" 1 Nguyễn Thị Ánh Tuyết"), std::string::npos) << text.flow;
}

TEST_F(RequestFormTest, ChangesGoOnForm04WithTheCaseAndTheNewValues) {
  Request hung = forCertificate("r-06", RequestKind::ChangeOfInformation, kHung);
  hung.change_case = ChangeCase::IndividualAgency;
  hung.fields = {{"agency", "UBND PHƯỜNG CẨM THÀNH"}};
  Request tuyet = forCertificate("r-07", RequestKind::ChangeOfInformation, kTuyet);
  tuyet.change_case = ChangeCase::IndividualEmail;
  tuyet.fields = {{"email", "tuyet@camthanh.gov.vn"}, {"note", "Theo Quyết định số 12/QĐ-UBND"}};
  const FormText text = render({hung, tuyet}, "mau-04-thay-doi");
  expectHeadingAndSignature(text.layout);
  expectContains(text.layout, {"Mẫu số 04", "ĐỀ NGHỊ THAY ĐỔI NỘI DUNG THÔNG TIN",
                               "CHỨNG THƯ CHỮ KÝ SỐ CHUYÊN DÙNG CÔNG VỤ", "Đặng Quốc Hưng",
                               "5403AA01", "UBND PHƯỜNG CẨM THÀNH", "tuyet@camthanh.gov.vn"});
  expectContains(
      text.flow,
      {"Trường hợp thay đổi", "Nội dung thay đổi", "Cá nhân chuyển cơ quan, tổ chức công tác",
       "Cơ quan, tổ chức công tác mới: UBND PHƯỜNG CẨM THÀNH",
       "Cá nhân thay đổi địa chỉ thư điện tử công vụ",
       "Thư điện tử công vụ mới: tuyet@camthanh.gov.vn", "Ghi chú: Theo Quyết định số"});
}

TEST_F(RequestFormTest, RevocationsGoOnForm05WithReasonsAndTheHandoverRecords) {
  Request commune = forCertificate("r-08", RequestKind::Revocation, kBinhMy);
  commune.revocation_reason = RevocationReason::UnitReorganized;
  Request lost = forCertificate("r-09", RequestKind::Revocation, kThao);
  lost.revocation_reason = RevocationReason::DeviceLost;
  const FormText text = render({commune, lost}, "mau-05");
  expectHeadingAndSignature(text.layout);
  expectContains(text.layout, {"Mẫu số 05", "ĐỀ NGHỊ THU HỒI", "UBND XÃ BÌNH MỸ", "5403BB02",
                               "TK0077777", "Huỳnh Thị Thảo", "TK0099887"});
  expectContains(text.flow, {"Lý do thu hồi", "Mất thiết bị lưu khóa bí mật",
                             "(biên bản bàn giao theo Mẫu số 08)",
                             "biên bản xác nhận mất thiết bị theo Mẫu số 09"});
}

TEST_F(RequestFormTest, RevocationsWithoutALostDeviceNeedOnlyTheHandoverRecord) {
  Request commune = forCertificate("r-08", RequestKind::Revocation, kBinhMy);
  commune.revocation_reason = RevocationReason::UnitReorganized;
  const FormText text = render({commune}, "revocation-08");
  EXPECT_NE(text.flow.find("Mẫu số 08"), std::string::npos);
  EXPECT_EQ(text.flow.find("Mẫu số 09"), std::string::npos);
}

TEST_F(RequestFormTest, RecoveryGoesOnForm06WithTheTokenAndItsCertificates) {
  Request recover;
  recover.id = "r-10";
  recover.kind = RequestKind::DeviceRecovery;
  recover.token_serial = "TK0099887";
  const FormText text = render({recover}, "mau-06");
  expectHeadingAndSignature(text.layout);
  expectContains(text.layout,
                 {"Mẫu số 06", "ĐỀ NGHỊ KHÔI PHỤC THIẾT BỊ LƯU KHÓA BÍ MẬT", "TK0099887"});
  expectContains(text.flow, {"Số hiệu thiết bị lưu khóa bí mật", "Huỳnh Thị Thảo (5403CC03)",
                             "Thiết bị bị khóa, không sử dụng được"});
  // Only the certificates last seen on that token are listed.
  EXPECT_EQ(text.flow.find("Nguyễn Thị Ánh Tuyết"), std::string::npos);
}

TEST_F(RequestFormTest, FontsAreEmbedded) {
  render({forCertificate("r-11", RequestKind::Renewal, kTuyet)}, "fonts");
  const auto fonts = runCommand({"pdffonts", path_});
  ASSERT_EQ(fonts.exit_code, 0) << fonts.err;
  // name type encoding emb sub uni object ID: "emb" is the fifth column from the end.
  std::istringstream lines(fonts.out);
  std::string line;
  std::getline(lines, line);  // the column names
  std::getline(lines, line);  // the rule
  int count = 0;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::vector<std::string> columns;
    for (std::string word; words >> word;) columns.push_back(word);
    ASSERT_GE(columns.size(), 6u) << line;
    EXPECT_NE(columns[0].find("DejaVu"), std::string::npos) << line;
    EXPECT_EQ(columns[columns.size() - 5], "yes") << "not embedded: " << line;
    ++count;
  }
  EXPECT_GE(count, 2) << fonts.out;  // regular and bold at least
}

TEST_F(RequestFormTest, FortyRenewalsRunOverSeveralPagesEachWithTheTableHeader) {
  const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi"};
  const char* given[] = {"Thị Ánh Tuyết", "Quốc Hưng", "Thị Thảo", "Văn Mỹ", "Hữu Lộc"};
  std::map<std::string, RequestedCertificateInfo> certificates;
  std::vector<Request> requests;
  for (int i = 0; i < 40; ++i) {
    const std::string fingerprint = std::string(60, 'e') + std::to_string(1000 + i);
    const std::string name =
        std::string(family[i % 8]) + " " + given[i % 5] + " " + std::to_string(i + 1);
    char serial[16];
    std::snprintf(serial, sizeof serial, "5403%04x", i);
    certificates[fingerprint] = {.holder = name,
                                 .serial = serial,
                                 .not_after = at("2026-09-01T00:00:00Z"),
                                 .token_serial = "TK" + std::to_string(7000 + i)};
    requests.push_back(forCertificate("r-" + std::to_string(i), RequestKind::Renewal, fingerprint));
  }
  const std::string path = dir_.file("forty.pdf");
  const Status status = writeRequestForm(requests, quangNgaiCommune(), certificates,
                                         Language::Vietnamese, kNow, path);
  ASSERT_TRUE(status) << status.error().message;
  const std::vector<std::string> all = pages(pdfText(path));
  ASSERT_GE(all.size(), 2u);
  keepPageImage(path, "mau-04-trang-2", 2);
  for (size_t i = 0; i < all.size(); ++i) {
    const bool has_rows = all[i].find("TK70") != std::string::npos;
    if (!has_rows) continue;
    EXPECT_NE(all[i].find("Số hiệu chứng thư số"), std::string::npos) << "page " << i + 1;
    EXPECT_NE(all[i].find("STT"), std::string::npos) << "page " << i + 1;
  }
  // Every request is listed once, the signature block comes last, the form number first.
  const std::string text = pdfText(path);
  for (int i = 0; i < 40; ++i) {
    const std::string token = "TK" + std::to_string(7000 + i);
    const auto first = text.find(token);
    EXPECT_NE(first, std::string::npos) << token;
    EXPECT_EQ(text.find(token, first + 1), std::string::npos) << token;
  }
  EXPECT_NE(all.front().find("Mẫu số 04"), std::string::npos);
  EXPECT_NE(all.back().find("THỦ TRƯỞNG CƠ QUAN"), std::string::npos);
  // Pages are numbered from page 2, at the top (Decree 30/2020).
  std::istringstream second(all[1]);
  std::string first_line;
  while (std::getline(second, first_line) &&
         first_line.find_first_not_of(' ') == std::string::npos) {
  }
  EXPECT_EQ(first_line.substr(first_line.find_first_not_of(' ')), "2");
  EXPECT_EQ(all[0].find("\n1\n"), std::string::npos);
}

TEST_F(RequestFormTest, MixingKindsIsRefusedAndTheExistingFileIsUntouched) {
  const std::string path = dir_.file("form.pdf");
  writeFile(path, "the form printed yesterday");
  Request renewal = forCertificate("r-renew", RequestKind::Renewal, kTuyet);
  Request revocation = forCertificate("r-revoke", RequestKind::Revocation, kHung);
  revocation.revocation_reason = RevocationReason::HolderLeft;
  const Status status = writeRequestForm({renewal, revocation}, quangNgaiCommune(), inventory(),
                                         Language::Vietnamese, kNow, path);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "form: các đề nghị in chung một mẫu phải cùng một loại: r-renew là «Gia hạn chứng "
            "thư số (Mẫu số 04)», r-revoke là «Thu hồi chứng thư số (Mẫu số 05)»");
  EXPECT_EQ(readFile(path), "the form printed yesterday");
  // Nothing else was left in the folder (no temporary file).
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST_F(RequestFormTest, RenewalAndChangeAreNotMixedEvenThoughBothAreForm04) {
  Request renewal = forCertificate("r-a", RequestKind::Renewal, kTuyet);
  Request change = forCertificate("r-b", RequestKind::ChangeOfInformation, kHung);
  change.change_case = ChangeCase::IndividualEmail;
  change.fields = {{"email", "hung@quangngai.gov.vn"}};
  const Status status = writeRequestForm({renewal, change}, quangNgaiCommune(), inventory(),
                                         Language::English, kNow, dir_.file("x.pdf"));
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("requests on one form must be of one kind"),
            std::string::npos)
      << status.error().message;
  EXPECT_FALSE(fs::exists(dir_.file("x.pdf")));
}

TEST_F(RequestFormTest, NewCertificatesForDifferentSubscriberKindsAreNotMixed) {
  Request person = newIndividual("r-p", "Đặng Quốc Hưng", "051190001234", "Chuyên viên");
  Request ward;
  ward.id = "r-o";
  ward.kind = RequestKind::NewCertificate;
  ward.subscriber = SubscriberKind::Organization;
  ward.fields = {{"name", "UBND PHƯỜNG CẨM THÀNH"}};
  const Status status = writeRequestForm({person, ward}, quangNgaiCommune(), inventory(),
                                         Language::Vietnamese, kNow, dir_.file("x.pdf"));
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("Mẫu số 01"), std::string::npos);
  EXPECT_NE(status.error().message.find("Mẫu số 02"), std::string::npos);
}

TEST_F(RequestFormTest, RefusesNoRequestsAnUnknownSubscriberKindAndAnUnknownCertificate) {
  const std::string path = dir_.file("x.pdf");
  const auto header = quangNgaiCommune();
  const auto certificates = inventory();
  Status status = writeRequestForm({}, header, certificates, Language::Vietnamese, kNow, path);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "form: không có đề nghị nào để in");

  Request unknown;
  unknown.id = "r-u";
  unknown.kind = RequestKind::NewCertificate;
  status = writeRequestForm({unknown}, header, certificates, Language::English, kNow, path);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "form: request r-u has no form yet (its subscriber kind is unknown)");

  Request stranger = forCertificate("r-s", RequestKind::Renewal, std::string(64, 'f'));
  status = writeRequestForm({stranger}, header, certificates, Language::English, kNow, path);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("request r-s: no information on certificate ffff"),
            std::string::npos)
      << status.error().message;
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(RequestFormTest, ReplacesAnExistingFormWhole) {
  const std::string path = dir_.file("form.pdf");
  writeFile(path, "old");
  ASSERT_TRUE(writeRequestForm({forCertificate("r-1", RequestKind::Renewal, kTuyet)},
                               quangNgaiCommune(), inventory(), Language::Vietnamese, kNow, path));
  EXPECT_EQ(readFile(path).substr(0, 5), "%PDF-");
  EXPECT_NE(pdfText(path).find("Nguyễn Thị Ánh Tuyết"), std::string::npos);
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST_F(RequestFormTest, AFolderThatDoesNotExistIsAnError) {
  const std::string path = dir_.file("missing/form.pdf");
  const Status status =
      writeRequestForm({forCertificate("r-1", RequestKind::Renewal, kTuyet)}, quangNgaiCommune(),
                       inventory(), Language::Vietnamese, kNow, path);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("cannot create a temporary file in"), std::string::npos)
      << status.error().message;
  EXPECT_EQ(status.error().message.rfind(path, 0), 0u) << status.error().message;
}

TEST_F(RequestFormTest, DatesBelowTenAndMonthsBelowThreeHaveALeadingZero) {
  const std::string path = dir_.file("feb.pdf");
  // 23:30 UTC on 4 February is already 5 February in Vietnam.
  ASSERT_TRUE(writeRequestForm({forCertificate("r-1", RequestKind::Renewal, kTuyet)},
                               quangNgaiCommune(), inventory(), Language::Vietnamese,
                               at("2026-02-04T23:30:00Z"), path));
  EXPECT_NE(pdfText(path).find("Quảng Ngãi, ngày 05 tháng 02 năm 2026"), std::string::npos);
}

TEST_F(RequestFormTest, EnglishIsAReadingAid) {
  const FormText text =
      render({forCertificate("r-1", RequestKind::Renewal, kTuyet)}, "en", Language::English);
  expectContains(text.layout,
                 {"Form No. 04", "REQUEST TO RENEW", "HEAD OF THE AGENCY", "Nguyễn Thị Ánh Tuyết"});
}

TEST_F(RequestFormTest, TextThatIsNotUtf8StillPrints) {
  Request person = newIndividual("r-x", "Nguy\xe1n V\xe3n A", "051190001234", "Chuyên viên");
  const FormText text = render({person}, "latin1");
  expectContains(text.layout, {"Mẫu số 01", "Nguy", "051190001234"});
}

}  // namespace
}  // namespace cks::print
