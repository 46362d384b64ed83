// The yearly report end to end with the real binaries (issue 6, docs/report.md "Agent side"):
// SoftHSM tokens with a valid, an expired and a revoked certificate, a token whose PIN is
// locked and one not seen during the year; the draft `cksctl report draft --json` makes of them
// against the hand count; the officer's figures set or refused; two submissions kept as
// versions 1 and 2, each with its outbox entry; and the report_due reminder opening and
// resolving once the report is submitted.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <filesystem>

#include "core/certificate.h"
#include "core/time_format.h"
#include "core/working_days.h"
#include "store/inventory.h"
#include "store/outbox.h"
#include "store/requests.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/process.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_modules.h"
#include "tests/support/test_pki.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using Poco::JSON::Object;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The report's year: this year in Vietnam.
int thisYear() { return int(std::chrono::year_month_day(vietnamDate(now())).year()); }

std::unique_ptr<store::Inventory> openStore(AgentUnderTest& agent) {
  auto inventory = store::Inventory::open(agent.store());
  if (!inventory) throw std::runtime_error(inventory.error().message);
  return std::move(*inventory);
}

std::vector<store::OutboxRow> reportEntries(AgentUnderTest& agent) {
  auto inventory = openStore(agent);
  const auto rows = store::Outbox(*inventory).pending("normal", 10000);
  if (!rows) throw std::runtime_error(rows.error().message);
  std::vector<store::OutboxRow> out;
  for (const auto& row : *rows) {
    if (row.kind == "report_submitted") out.push_back(row);
  }
  return out;
}

class AgentReportTest : public ::testing::Test {
 protected:
  AgentReportTest() : hsm_(dir_.path()) {}

  // A token labelled `label` with one certificate of `spec`; returns {serial, fingerprint}.
  std::pair<std::string, std::string> token(const std::string& label, const CertSpec& spec) {
    const std::string serial = hsm_.createToken(label);
    const auto der = ca_.issue(spec);
    hsm_.writeCertificate(label, der, "CTS", "01");
    return {serial, sha256Hex(der)};
  }

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
};

TEST_F(AgentReportTest, TheDraftCountsWhatTheAgentSawAndEachSubmissionIsAVersion) {
  const int year = thisYear();
  // Hand count. Văn thư: the organization's certificate, valid, due for renewal in June of next
  // year. Kế toán: expired. Chủ tịch: revoked (the token reported lost). Thủ quỹ: PIN locked.
  // Kho lưu trữ: last used more than a year ago, so not seen this year and proposed for
  // revocation.
  const TimePoint june_next_year =
      TimePoint(Date(std::chrono::year(year + 1) / std::chrono::June / 15)) + 5h;
  token("Văn thư", organizationSpec("UBND XÃ BÌNH CHƯƠNG", now() - 24h * 30, june_next_year));
  token("Kế toán", individualSpec("Trần Thị Bình", now() - 24h * 400, now() - 24h * 10));
  const auto chairman =
      token("Chủ tịch", individualSpec("Nguyễn Văn An", now() - 24h * 30, now() + 24h * 800));
  const auto treasurer =
      token("Thủ quỹ", individualSpec("Lê Văn Cường", now() - 24h * 30, now() + 24h * 800));
  const auto archive =
      token("Kho lưu trữ", individualSpec("Phạm Thị Dung", now() - 24h * 500, now() + 24h * 800));

  setenv("CKS_SPY_TARGET", SoftHsm::kModule, 1);
  setenv("CKS_SPY_LOG", dir_.file("spy.log").c_str(), 1);
  setenv("CKS_SPY_TOKEN_FLAGS", "0x40000", 1);  // CKF_USER_PIN_LOCKED
  setenv("CKS_SPY_TOKEN_FLAGS_FOR_SERIAL", treasurer.first.c_str(), 1);
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {testModule("spy")}});
  agent.start();

  const auto revoked =
      agent.ctl({"request", "revoke", "--cert", chairman.second, "--reason", "device_lost"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.out << revoked.err;
  hsm_.unplug("Kho lưu trữ");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  ASSERT_EQ(agent.stop(), 0);
  {
    // What the province's feed would have brought, applied to the store as the feed does: the
    // agency, and the revocation received and completed.
    auto inventory = openStore(agent);
    store::Outbox state(*inventory);
    ASSERT_TRUE(state.setState("agency_code", "H21.09.02"));
    ASSERT_TRUE(state.setState("agency_name", "UBND xã Bình Chương"));
    store::Requests requests(*inventory);
    const auto list = requests.list();
    ASSERT_TRUE(list && list->size() == 1u);
    const std::string id = list->front().request.id;
    for (const RequestState step : {RequestState::Received, RequestState::Completed}) {
      store::RequestStatusUpdate update{id, step,          now(),        "so.khcn",
                                        "", "CV-12/SKHCN", std::nullopt, std::nullopt};
      ASSERT_EQ(*requests.applyStatus(update, now()), store::StatusOutcome::Applied);
    }
    // The archive's token was last used more than a year ago.
    const std::string long_ago = formatIsoUtc(now() - 24h * 400);
    ASSERT_TRUE(inventory->withDatabase([&](store::Database& db) -> Status {
      for (const char* sql :
           {"UPDATE tokens SET first_seen = ?1, last_seen = ?1 WHERE serial = ?2",
            "UPDATE sightings SET first_seen = ?1, last_seen = ?1 WHERE token_id = "
            "(SELECT id FROM tokens WHERE serial = ?2)",
            "UPDATE token_certificates SET first_seen = ?1, last_seen = ?1 WHERE token_id = "
            "(SELECT id FROM tokens WHERE serial = ?2)"}) {
        auto stmt = db.prepare(sql);
        if (!stmt) return tl::unexpected(stmt.error());
        stmt->bind(1, long_ago).bind(2, archive.first);
        CKS_TRY(stmt->run());
      }
      auto stmt = db.prepare(
          "UPDATE certificates SET first_seen = ?1, last_seen = ?1 "
          "WHERE fingerprint = ?2");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind(1, long_ago).bind(2, archive.second);
      return stmt->run();
    }));
  }
  agent.start();

  const auto draft = agent.ctlObject({"report", "draft", "--year", std::to_string(year)});
  EXPECT_EQ(draft->getValue<std::string>("agency"), "H21.09.02");
  EXPECT_EQ(draft->getValue<std::string>("agency_name"), "UBND xã Bình Chương");
  EXPECT_EQ(draft->getValue<int>("year"), year);
  const auto totals = draft->getObject("totals");
  ASSERT_TRUE(totals);
  EXPECT_EQ(totals->getValue<int>("certificates_valid"), 3);  // Văn thư, Thủ quỹ, Kho lưu trữ
  EXPECT_EQ(totals->getValue<int>("certificates_expired"), 1);
  EXPECT_EQ(totals->getValue<int>("certificates_revoked"), 1);
  EXPECT_EQ(totals->getValue<int>("tokens"), 5);
  EXPECT_EQ(totals->getValue<int>("tokens_locked"), 1);
  EXPECT_EQ(totals->getValue<int>("tokens_not_seen"), 1);
  EXPECT_EQ(totals->getValue<int>("tokens_lost_or_damaged"), 1);
  EXPECT_EQ(totals->getValue<int>("renewals_due_next_year"), 1);
  EXPECT_EQ(totals->getValue<int>("revocation_candidates"), 1);
  EXPECT_EQ(totals->getValue<int>("requests_filed"), 1);
  EXPECT_EQ(totals->getValue<int>("requests_completed"), 1);
  const auto inventory = draft->getObject("inventory");
  EXPECT_EQ(inventory->getArray("tokens_not_seen")->getElement<std::string>(0), archive.first);
  EXPECT_EQ(inventory->getObject("certificates")->getObject("organization")->getValue<int>("valid"),
            1);
  EXPECT_EQ(inventory->getObject("certificates")->getObject("individual")->getValue<int>("revoked"),
            1);
  const auto plan = draft->getObject("plan");
  EXPECT_EQ(plan->getArray("renewals_by_month")->getObject(5)->getValue<int>("organization"), 1);
  EXPECT_EQ(plan->getArray("revocation_candidates")
                ->getObject(0)
                ->getValue<std::string>("fingerprint_sha256"),
            archive.second);
  EXPECT_EQ(draft->getObject("activity")
                ->getObject("by_kind")
                ->getObject("revocation")
                ->getValue<int>("completed"),
            1);

  // The same draft in words, for the commune's IT officer.
  const auto text = agent.ctl({"report", "draft", "--year", std::to_string(year)});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const std::string& expected :
       {"BÁO CÁO NĂM " + std::to_string(year) + " VỀ QUẢN LÝ, SỬ DỤNG CHỮ KÝ SỐ",
        std::string("Đơn vị: UBND xã Bình Chương (mã H21.09.02)"),
        std::string("đã hết hạn: 1; đã thu hồi: 1"), std::string("bị khóa PIN: 1"),
        "Không được sử dụng trong năm: 1 (" + archive.first + ")",
        "Kế hoạch năm " + std::to_string(year + 1), std::string("tháng 6: 1"),
        std::string("Chưa gửi Sở KH&CN")}) {
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
  }
  const auto english =
      agent.ctl({"report", "draft", "--year", std::to_string(year), "--lang", "en"});
  EXPECT_NE(english.out.find("Expected new certificates"), std::string::npos) << english.out;

  // The officer's figures: saved whole, or not at all.
  const auto set = agent.ctl({"report", "set", "--year", std::to_string(year),
                              "expected_new.individual=3", "note.expected_new=Tuyển thêm 3 = 3",
                              "remarks.proposals=Cấp thêm token dự phòng"});
  ASSERT_EQ(set.exit_code, 0) << set.out << set.err;
  const auto refused = agent.ctl({"report", "set", "--year", std::to_string(year),
                                  "expected_new.individual=5", "tokens_to_replace=nhiều"});
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.err.find("tokens_to_replace"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("nhiều"), std::string::npos) << refused.err;
  EXPECT_EQ(agent.ctl({"report", "set", "--year", std::to_string(year), "colour=blue"}).exit_code,
            2);
  const auto entered = agent.ctlObject({"report", "draft", "--year", std::to_string(year)});
  const auto expected_new = entered->getObject("plan")->getObject("expected_new");
  EXPECT_EQ(expected_new->getValue<int>("individual"), 3);  // not 5: nothing of the refused line
  EXPECT_EQ(expected_new->getValue<std::string>("note"), "Tuyển thêm 3 = 3");
  EXPECT_EQ(entered->getObject("remarks")->getValue<std::string>("proposals"),
            "Cấp thêm token dự phòng");
  EXPECT_EQ(entered->getObject("totals")->getValue<int>("expected_new_certificates"), 3);

  // Before any submission the export is the draft, for the agency's own records.
  const std::string workbook = dir_.file("bao-cao.xlsx");
  const auto draft_export =
      agent.ctl({"report", "export", "--year", std::to_string(year), "-o", workbook});
  ASSERT_EQ(draft_export.exit_code, 0) << draft_export.err;
  EXPECT_NE(draft_export.out.find("bản nháp"), std::string::npos) << draft_export.out;
  const auto sheets =
      runCommand({"/usr/bin/python3", "-c",
                  "import sys, openpyxl\nbook = openpyxl.load_workbook(sys.argv[1])\n"
                  "sheet = book.worksheets[0]\n"
                  "print('|'.join(book.sheetnames), sheet['A5'].value, repr(sheet['B5'].value))",
                  workbook});
  ASSERT_EQ(sheets.exit_code, 0) << sheets.err;
  EXPECT_EQ(sheets.out,
            "Tổng hợp|Chứng thư số|Thiết bị lưu khóa|Đề nghị|Kế hoạch năm sau|Đề xuất thu hồi|Kiến "
            "nghị Chứng thư số còn hiệu lực 3\n");
  // Another kind of file is refused before anything is written.
  const auto wrong = agent.ctl(
      {"report", "export", "--year", std::to_string(year), "-o", dir_.file("bao-cao.docx")});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find(".pdf"), std::string::npos) << wrong.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("bao-cao.docx")));

  // Two submissions: versions 1 and 2, both queued.
  const auto first = agent.ctl({"report", "submit", "--year", std::to_string(year)});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("bản 1"), std::string::npos) << first.out;
  const auto second = agent.ctl({"report", "submit", "--year", std::to_string(year)});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("bản 2"), std::string::npos) << second.out;
  const auto entries = reportEntries(agent);
  ASSERT_EQ(entries.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    const auto body = Poco::JSON::Parser().parse(entries[size_t(i)].body).extract<Object::Ptr>();
    EXPECT_EQ(body->getValue<int>("version"), i + 1);
    EXPECT_TRUE(parseIsoUtc(body->getValue<std::string>("submitted_at")));
    EXPECT_EQ(body->getObject("report")->getValue<int>("year"), year);
    EXPECT_EQ(body->getObject("report")->getObject("totals")->getValue<int>("tokens_locked"), 1);
  }
  // After a submission the export is the version the province received.
  const std::string printed = dir_.file("bao-cao.pdf");
  const auto pdf_export =
      agent.ctl({"report", "export", "--year", std::to_string(year), "-o", printed});
  ASSERT_EQ(pdf_export.exit_code, 0) << pdf_export.err;
  EXPECT_NE(pdf_export.out.find("bản 2"), std::string::npos) << pdf_export.out;
  const auto pdf_text = runCommand({"pdftotext", "-raw", printed, "-"});
  ASSERT_EQ(pdf_text.exit_code, 0) << pdf_text.err;
  for (const std::string& expected :
       {std::string("UBND XÃ BÌNH CHƯƠNG"), std::string("Mã định danh: H21.09.02"),
        "BÁO CÁO TÌNH HÌNH QUẢN LÝ, SỬ DỤNG CHỮ KÝ SỐ NĂM " + std::to_string(year),
        std::string("Chứng thư số còn hiệu lực 3"),
        // The close of an official report (issue 12, point 16).
        std::string("THỦ TRƯỞNG CƠ QUAN"), std::string("(Ký, ghi rõ họ tên, đóng dấu)")}) {
    EXPECT_NE(pdf_text.out.find(expected), std::string::npos) << expected << "\n" << pdf_text.out;
  }

  const auto after = agent.ctl({"report", "draft", "--year", std::to_string(year)});
  EXPECT_NE(after.out.find("Đã gửi Sở KH&CN 2 lần; bản gần nhất là bản 2"), std::string::npos)
      << after.out;
}

TEST_F(AgentReportTest, TheReminderIsOpenFromItsDateUntilTheReportIsSubmitted) {
  const int year = thisYear();
  token("Văn thư", organizationSpec("UBND XÃ BÌNH CHƯƠNG", now() - 24h * 30, now() + 24h * 700));
  // The reminder began on 1 January; the deadline is the last day of the year.
  AgentUnderTest agent(
      dir_.path(), "agent",
      {.modules = {SoftHsm::kModule}, .report = "remind_from = 01-01\ndeadline = 12-31\n"});
  agent.start();

  Object::Ptr due;
  for (int i = 0; i < 50 && !due; ++i) {
    due = findBy(agent.ctlArray({"alerts"}), "kind", "report_due");
    if (!due) std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(due) << "no report_due alert";
  EXPECT_EQ(due->getValue<std::string>("severity"), "warning");
  const std::string text = due->getValue<std::string>("message");
  EXPECT_NE(text.find("Chưa gửi báo cáo năm " + std::to_string(year)), std::string::npos) << text;
  EXPECT_NE(text.find("hạn nộp 31/12/" + std::to_string(year)), std::string::npos) << text;

  ASSERT_EQ(agent.ctl({"report", "submit", "--year", std::to_string(year)}).exit_code, 0);
  EXPECT_FALSE(findBy(agent.ctlArray({"alerts"}), "kind", "report_due"));
  const auto resolved = findBy(agent.ctlArray({"alerts", "--all"}), "kind", "report_due");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->getValue<std::string>("state"), "resolved");

  // A year the report cannot be for is a usage error, as is a report command without a year.
  EXPECT_EQ(agent.ctl({"report", "draft", "--year", "1999"}).exit_code, 2);
  EXPECT_EQ(agent.ctl({"report", "submit"}).exit_code, 2);
}

TEST_F(AgentReportTest, AnAgencyThatDoesNotReportThroughCksCanTurnTheReminderOff) {
  // A certificate 20 days from expiry: its alert shows that the monitor has run.
  token("Văn thư", organizationSpec("UBND XÃ BÌNH CHƯƠNG", now() - 24h * 300, now() + 24h * 20));
  AgentUnderTest agent(dir_.path(), "agent",
                       {.modules = {SoftHsm::kModule},
                        .report = "remind_from = 01-01\ndeadline = 12-31\nreminder = false\n"});
  agent.start();
  Object::Ptr expiring;
  for (int i = 0; i < 50 && !expiring; ++i) {
    expiring = findBy(agent.ctlArray({"alerts"}), "kind", "certificate_expiring");
    if (!expiring) std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(expiring) << "the monitor never ran";
  EXPECT_FALSE(findBy(agent.ctlArray({"alerts", "--all"}), "kind", "report_due"));
}

// Issue 12, point 16: `report set --year 2062` (a typo) was accepted and showed at the province
// as a draft for 2062. Every report command takes only the years from the agency's first record
// (here: the first scan, this year) to next year: exit 2 naming that range, nothing saved or
// queued.
TEST_F(AgentReportTest, OnlyTheYearsFromTheFirstRecordToNextYearAreAccepted) {
  const int year = thisYear();
  token("Văn thư", organizationSpec("UBND XÃ BÌNH CHƯƠNG", now() - 24h * 30, now() + 24h * 700));
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const std::string range =
      std::to_string(year) + " (năm có dữ liệu đầu tiên) đến " + std::to_string(year + 1);
  for (const int wrong : {2062, year - 1, year + 2}) {
    const std::string y = std::to_string(wrong);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"report", "set", "--year", y, "remarks.proposals=Gõ nhầm năm"},
             {"report", "draft", "--year", y},
             {"report", "submit", "--year", y},
             {"report", "export", "--year", y, "-o", dir_.file("bao-cao-" + y + ".pdf")}}) {
      const auto refused = agent.ctl(args);
      EXPECT_EQ(refused.exit_code, 2) << args[1] << " " << y << ": " << refused.out;
      EXPECT_NE(refused.err.find("Không nhận năm " + y), std::string::npos) << refused.err;
      EXPECT_NE(refused.err.find(range), std::string::npos) << refused.err;
    }
    EXPECT_FALSE(std::filesystem::exists(dir_.file("bao-cao-" + y + ".pdf")));
  }
  // Nothing of them reached the outbox; this year and next year are accepted.
  auto inventory = openStore(agent);
  const auto rows = store::Outbox(*inventory).pending("normal", 10000);
  ASSERT_TRUE(rows);
  for (const auto& row : *rows) {
    EXPECT_TRUE(row.kind != "report_draft_saved" && row.kind != "report_submitted") << row.body;
  }
  EXPECT_EQ(
      agent.ctl({"report", "set", "--year", std::to_string(year), "tokens_to_replace=1"}).exit_code,
      0);
  EXPECT_EQ(agent.ctl({"report", "draft", "--year", std::to_string(year + 1)}).exit_code, 0);
  const auto english = agent.ctl({"report", "draft", "--year", "2062", "--lang", "en"});
  EXPECT_EQ(english.exit_code, 2);
  EXPECT_NE(english.err.find("Year 2062 is not accepted"), std::string::npos) << english.err;
}

}  // namespace
}  // namespace cks::test
