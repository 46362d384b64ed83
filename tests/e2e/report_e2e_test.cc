// The yearly report across the province, end to end (issue 6): three agencies, each a real
// cks-agent on its own SoftHSM tokens, enrolled with a real cks-hub over mutual TLS. The
// province sends the deadline through the feed; two agencies submit and sync; the third has
// only begun its draft when its PC goes off (its agent stopped), so the province sees a draft
// and counts it missing; a
// resubmission replaces the earlier figures; the third comes back after the deadline, submits,
// and completes the province. (The clocks are real: the deadline is today, and "after" is after
// the province's aggregate of the deadline day.)
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <memory>

#include "core/time_format.h"
#include "core/working_days.h"
#include "tests/hub/hub_under_test.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using Poco::JSON::Object;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

struct Agency {
  std::string code;
  std::string name;
  std::vector<std::string> holders;  // one token each, with one valid certificate
};

class ReportEndToEndTest : public ::testing::Test {
 protected:
  ReportEndToEndTest() : hub_(dir_.path()) {}

  void SetUp() override {
    hub_.start();
    writeFile(dir_.file("hub-ca.pem"), hub_.serverCa());
  }

  // The agency's tokens in a SoftHSM of its own (the agent keeps the SOFTHSM2_CONF it was
  // started with), its agent started and enrolled.
  AgentUnderTest& start(const Agency& agency) {
    const std::string folder = dir_.file(agency.code);
    std::filesystem::create_directories(folder);
    hsms_.push_back(std::make_unique<SoftHsm>(folder));
    for (const auto& holder : agency.holders) {
      hsms_.back()->createToken(holder);
      hsms_.back()->writeCertificate(
          holder, ca_.issue(individualSpec(holder, now() - 24h * 100, now() + 24h * 600)),
          "CTS " + holder, "01");
    }
    // The reminder is on: the province's deadline must reach the officer.
    agents_.push_back(std::make_unique<AgentUnderTest>(
        folder, "agent", AgentSetup{.modules = {SoftHsm::kModule}, .report = ""}));
    AgentUnderTest& agent = *agents_.back();
    agent.start();
    const auto enrolled =
        agent.ctl({"enroll", "--hub", hubUrl(), "--code", hub_.enrollCode(agency.code, agency.name),
                   "--hub-ca", dir_.file("hub-ca.pem")});
    EXPECT_EQ(enrolled.exit_code, 0) << enrolled.err;
    return agent;
  }

  std::string hubUrl() const { return "https://127.0.0.1:" + std::to_string(hub_.port()); }

  Object::Ptr province() {
    const auto result = hub_.admin({"report", "province", "--year", year_, "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return Poco::JSON::Parser().parse(result.out).extract<Object::Ptr>();
  }

  static Object::Ptr line(const Object::Ptr& province, const std::string& agency) {
    const auto lines = province->getArray("by_agency");
    for (size_t i = 0; i < lines->size(); ++i) {
      if (lines->getObject(unsigned(i))->getValue<std::string>("agency") == agency) {
        return lines->getObject(unsigned(i));
      }
    }
    return nullptr;
  }

  TempDir dir_;
  TestCa ca_;
  HubUnderTest hub_;
  std::vector<std::unique_ptr<SoftHsm>> hsms_;
  std::vector<std::unique_ptr<AgentUnderTest>> agents_;
  const Date today_ = vietnamDate(now());
  const std::string year_ = std::to_string(int(std::chrono::year_month_day(today_).year()));
};

TEST_F(ReportEndToEndTest, ThreeAgenciesOneOfflineUntilAfterTheDeadlineAndAResubmission) {
  const Agency finance{"H21.01", "Sở Tài chính", {"Lê Thị Hoa", "Phạm Văn Đức"}};
  const Agency commune{"H21.09", "UBND xã Bình Chương", {"Nguyễn Văn An"}};
  const Agency late{"H21.10", "UBND xã Bình Mỹ", {"Trần Thị Lan", "Võ Minh Khoa", "Đặng Quý"}};
  AgentUnderTest& a = start(finance);
  AgentUnderTest& b = start(commune);
  AgentUnderTest& c = start(late);

  // The province's deadline is today; every agent learns it at its next sync.
  const std::string deadline = formatDate(today_);
  const auto sent = hub_.admin({"report", "deadline", "--year", year_, "--date", deadline});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  for (AgentUnderTest* agent : {&a, &b, &c}) ASSERT_EQ(agent->ctl({"sync"}).exit_code, 0);
  const std::string deadline_text = formatVietnameseDate(TimePoint(today_));
  for (AgentUnderTest* agent : {&a, &b, &c}) {
    const auto draft = agent->ctl({"report", "draft", "--year", year_});
    EXPECT_NE(draft.out.find("Chưa gửi Sở KH&CN; hạn nộp: " + deadline_text), std::string::npos)
        << draft.out;
  }
  const auto due = findBy(c.ctlArray({"alerts"}), "kind", "report_due");
  ASSERT_TRUE(due) << "the province's deadline did not open the reminder";
  EXPECT_NE(due->getValue<std::string>("message").find(deadline_text), std::string::npos)
      << due->getValue<std::string>("message");

  // Bình Mỹ's officer starts on the report, then the PC is switched off before submitting:
  // the province sees a draft in progress.
  ASSERT_EQ(c.ctl({"report", "set", "--year", year_, "remarks.difficulties=Mất điện"}).exit_code,
            0);
  ASSERT_EQ(c.ctl({"sync"}).exit_code, 0);
  ASSERT_EQ(c.stop(), 0);
  for (AgentUnderTest* agent : {&a, &b}) {
    ASSERT_EQ(agent->ctl({"report", "submit", "--year", year_}).exit_code, 0);
    ASSERT_EQ(agent->ctl({"sync"}).exit_code, 0);
  }
  auto at_deadline = province();
  EXPECT_EQ(at_deadline->getValue<int>("agencies_expected"), 3);
  EXPECT_EQ(at_deadline->getValue<int>("agencies_reported"), 2);
  ASSERT_EQ(at_deadline->getArray("missing")->size(), 1u);
  EXPECT_EQ(at_deadline->getArray("missing")->getElement<std::string>(0), late.code);
  EXPECT_EQ(at_deadline->getObject("totals")->getValue<int>("certificates_valid"), 2 + 1);
  EXPECT_EQ(at_deadline->getObject("totals")->getValue<int>("tokens"), 2 + 1);
  ASSERT_TRUE(line(at_deadline, finance.code));
  EXPECT_EQ(line(at_deadline, finance.code)->getValue<int>("version"), 1);
  const auto status = hub_.admin({"report", "status", "--year", year_, "--wide"});
  EXPECT_NE(status.out.find("Đã báo cáo 2/3 cơ quan; chưa báo cáo 1."), std::string::npos)
      << status.out;
  const auto late_line = status.out.find("H21.10 UBND xã Bình Mỹ");
  ASSERT_NE(late_line, std::string::npos) << status.out;
  EXPECT_EQ(
      status.out.find("Đang soạn, chưa nộp", late_line),
      status.out.find_first_not_of(' ', late_line + std::string("H21.10 UBND xã Bình Mỹ").size()))
      << status.out;

  // Sở Tài chính corrects its plan and submits again: version 2 replaces version 1.
  ASSERT_EQ(a.ctl({"report", "set", "--year", year_, "expected_new.individual=4"}).exit_code, 0);
  ASSERT_EQ(a.ctl({"report", "submit", "--year", year_}).exit_code, 0);
  ASSERT_EQ(a.ctl({"sync"}).exit_code, 0);
  auto corrected = province();
  ASSERT_TRUE(line(corrected, finance.code));
  EXPECT_EQ(line(corrected, finance.code)->getValue<int>("version"), 2);
  EXPECT_EQ(corrected->getObject("totals")->getValue<int>("expected_new_certificates"), 4);
  EXPECT_EQ(corrected->getValue<int>("agencies_reported"), 2);

  // Bình Mỹ comes back after the deadline: its reminder is still open, it submits, and the
  // province is complete.
  c.start();
  EXPECT_TRUE(findBy(c.ctlArray({"alerts"}), "kind", "report_due"));
  ASSERT_EQ(c.ctl({"report", "submit", "--year", year_}).exit_code, 0);
  EXPECT_FALSE(findBy(c.ctlArray({"alerts"}), "kind", "report_due"));
  ASSERT_EQ(c.ctl({"sync"}).exit_code, 0);
  auto complete = province();
  EXPECT_EQ(complete->getValue<int>("agencies_reported"), 3);
  EXPECT_EQ(complete->getArray("missing")->size(), 0u);
  EXPECT_EQ(complete->getObject("totals")->getValue<int>("certificates_valid"), 2 + 1 + 3);
  EXPECT_EQ(complete->getObject("totals")->getValue<int>("tokens"), 2 + 1 + 3);
  EXPECT_EQ(complete->getObject("totals")->getValue<int>("expected_new_certificates"), 4);
  ASSERT_TRUE(line(complete, late.code));
  EXPECT_EQ(line(complete, late.code)->getValue<int>("version"), 1);
}

}  // namespace
}  // namespace cks::test
