// The province's console in a real browser (headless Chromium, tests/support/web_browser.h),
// against a real cks-hub with real agents on SoftHSM tokens that enrolled and synced: what a
// Sở officer clicks and reads, checked against the store's truth as `cks-hub admin` gives it.
// Each page is kept as a 1366×768 screenshot in the build's test-artifacts/ folder.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "tests/hub/hub_under_test.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"
#include "tests/support/web_browser.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using Poco::JSON::Array;
using Poco::JSON::Object;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// What an agency can write into a certificate's name: markup that must stay text.
constexpr const char* kMarkupName =
    "<img src=x onerror=\"document.title='pwned'\">Trần <b>Thị</b> Bình";
constexpr const char* kNewPassword = "Sở KH&CN tỉnh 2026!";

class ConsoleBrowserTest : public ::testing::Test {
 protected:
  // `console`: more of the hub's [console] section.
  explicit ConsoleBrowserTest(const std::string& console = "")
      : hsm_(dir_.path()),
        console_port_(freePort()),
        hub_(
            dir_.path(),
            {.extra = "[console]\nport = " + std::to_string(console_port_) +
                      "\nbind = 127.0.0.1\nwww = " CKS_SOURCE_DIR "/hub/console/www\n" + console}) {
  }

  void SetUp() override {
    hsm_.createToken("Văn thư");
    hsm_.createToken("Chủ tịch");
    hsm_.writeCertificate(
        "Văn thư",
        ca_.issue(organizationSpec("UBND XÃ BÌNH CHƯƠNG", now() - 24h * 300, now() + 24h * 800)),
        "CTS UBND xa", "01");
    hsm_.writeCertificate(
        "Chủ tịch",
        ca_.issue(individualSpec("Nguyễn Văn An", now() - 24h * 300, vietnamNoonIn(9, now()))),
        "CTS ca nhan", "01");
    hsm_.writeCertificate(
        "Chủ tịch",
        ca_.issue(individualSpec(kMarkupName, now() - 24h * 30, vietnamNoonIn(200, now()))),
        "CTS ky hieu", "02");
    hub_.start();
    writeFile(dir_.file("hub-ca.pem"), hub_.serverCa());
    agent_ = std::make_unique<AgentUnderTest>(dir_.path(), "agent",
                                              AgentSetup{.modules = {SoftHsm::kModule}});
    agent_->start();
    const std::string code = hub_.enrollCode("H21.09", "UBND xã Bình Chương");
    const auto enrolled = agent_->ctl(
        {"enroll", "--hub", hubUrl(), "--code", code, "--hub-ca", dir_.file("hub-ca.pem")});
    ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
    const auto synced = agent_->ctl({"sync"});
    ASSERT_EQ(synced.exit_code, 0) << synced.err;
    browser_ = std::make_unique<WebBrowser>(dir_.path(), dir_.file("downloads"));
  }

  std::string hubUrl() const { return "https://127.0.0.1:" + std::to_string(hub_.port()); }
  std::string consoleUrl(const std::string& page = "") const {
    return "https://127.0.0.1:" + std::to_string(console_port_) + "/" + page;
  }

  // `cks-hub admin user add`: the account's one-time password (the second line's value).
  std::string addUser(const std::string& name, const std::string& role) {
    const auto added = hub_.admin({"user", "add", "--name", name, "--role", role});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    std::istringstream lines(added.out);
    std::string line;
    std::getline(lines, line);
    std::getline(lines, line);
    return line.substr(line.rfind(' ') + 1);
  }

  void submitLogin(const std::string& name, const std::string& password) {
    browser_->type("#login input[name=name]", name);
    browser_->type("#login input[name=password]", password);
    browser_->click("#login button[type=submit]");
  }

  // Logs in as a new account of `role`, changing its one-time password as the console asks.
  void signIn(const std::string& name, const std::string& role) {
    const std::string once = addUser(name, role);
    browser_->open(consoleUrl());
    submitLogin(name, once);
    browser_->type("#password input[name=current]", once);
    browser_->type("#password input[name=next]", kNewPassword);
    browser_->click("#password button[type=submit]");
    browser_->waitFor("#nav");
  }

  // The hub's own record of the agency's certificates.
  Array::Ptr inventory() {
    const auto listed = hub_.admin({"inventory", "--agency", "H21.09", "--json"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return Poco::JSON::Parser().parse(listed.out).extract<Array::Ptr>();
  }

  Object::Ptr certificateNamed(const std::string& part) {
    const auto all = inventory();
    for (size_t i = 0; i < all->size(); ++i) {
      const auto c = all->getObject(static_cast<unsigned>(i));
      if (c->getValue<std::string>("subject").find(part) != std::string::npos) return c;
    }
    ADD_FAILURE() << "the hub holds no certificate of " << part;
    return new Object;
  }

  // The visible text of every cell of the rows of `table`, a row per line, cells by " | ".
  std::vector<std::string> rows(const std::string& table) {
    std::vector<std::string> out;
    for (const auto& row : browser_->elements(table + " tbody tr")) {
      out.push_back(browser_->textOf(row));
    }
    return out;
  }

  // The visible text of cell `n` (from 1) of each row of `table`.
  std::vector<std::string> column(const std::string& table, int n) {
    std::vector<std::string> out;
    for (const auto& cell :
         browser_->elements(table + " tbody tr td:nth-child(" + std::to_string(n) + ")")) {
      out.push_back(browser_->textOf(cell));
    }
    return out;
  }

  // Picks `value` in the filter `select` of the page `section` and shows the list again; returns
  // once its rows are at least `rows` (the rows shown before are taken away first).
  void filterBy(const std::string& section, const std::string& select, const std::string& value,
                size_t rows) {
    browser_->click(section + " select[name=" + select + "] option[value='" + value + "']");
    browser_->run("document.querySelector('" + section + " tbody').replaceChildren();");
    browser_->click(section + " .filters button[type=submit]");
    browser_->waitForCount(section + " tbody tr", rows);
  }

  // A second commune's PC (enrolled over HTTPS as `cksctl enroll` does), pushing `entries`.
  void secondCommunePushes(const std::vector<std::string>& entries) {
    const auto pc = hub_.enroll("H21.10", "UBND xã Ia Băng");
    const auto pushed = hub_.post(pc, "/v1/push", pushJson(entries));
    ASSERT_EQ(pushed.status, 200) << pushed.body;
  }

  // `cks-hub admin LIST… --json` of agencies H21.09 and H21.10, one array.
  std::vector<Object::Ptr> bothAgencies(const std::vector<std::string>& list) {
    std::vector<Object::Ptr> out;
    for (const char* agency : {"H21.09", "H21.10"}) {
      auto args = list;
      args.insert(args.end(), {"--agency", agency, "--json"});
      const auto listed = hub_.admin(args);
      EXPECT_EQ(listed.exit_code, 0) << listed.err;
      const auto items = Poco::JSON::Parser().parse(listed.out).extract<Array::Ptr>();
      for (size_t i = 0; i < items->size(); ++i) out.push_back(items->getObject(unsigned(i)));
    }
    return out;
  }

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
  int console_port_;
  HubUnderTest hub_;
  std::unique_ptr<AgentUnderTest> agent_;
  std::unique_ptr<WebBrowser> browser_;
};

TEST_F(ConsoleBrowserTest, AnOfficerLogsInWithTheOneTimePasswordSetsHisOwnAndFindsACertificate) {
  const std::string once = addUser("canbo.so", "officer");
  browser_->open(consoleUrl());
  EXPECT_EQ(browser_->text("#login h2"), "Đăng nhập");
  browser_->screenshot(artifactPath("console-login.png"));
  // The first load (page, styles, scripts, texts) stays light for a commune's slow line.
  const int first_load = browser_
                             ->run(R"(
      let bytes = performance.getEntriesByType("navigation")[0].encodedBodySize;
      for (const r of performance.getEntriesByType("resource")) bytes += r.encodedBodySize;
      return bytes;)")
                             .convert<int>();
  EXPECT_GT(first_load, 0);
  EXPECT_LE(first_load, 300 * 1024) << "bytes of the first load";
  std::ofstream(artifactPath("console-first-load-bytes.txt")) << first_load << "\n";

  submitLogin("canbo.so", once);
  // The one-time password opens only the form that replaces it.
  browser_->waitFor("#password");
  EXPECT_FALSE(browser_->shown("#nav a")) << "no page before the password is changed";
  browser_->screenshot(artifactPath("console-change-password.png"));
  browser_->type("#password input[name=current]", once);
  browser_->type("#password input[name=next]", kNewPassword);
  browser_->click("#password button[type=submit]");
  browser_->waitFor("#nav");
  EXPECT_NE(browser_->text("#who").find("canbo.so"), std::string::npos);

  // The chairman's certificate, by the first 10 hex digits of its fingerprint.
  const auto chairman = certificateNamed("Nguyễn Văn An");
  const std::string prefix = chairman->getValue<std::string>("fingerprint_sha256").substr(0, 10);
  browser_->open(consoleUrl("#certificates"));
  browser_->type("#certificates input[name=search]", prefix);
  browser_->click("#certificates .filters button[type=submit]");
  browser_->waitForText("#certificates tbody", "Nguyễn Văn An");
  const auto shown = rows("#certificates");
  ASSERT_EQ(shown.size(), 1u) << "one certificate has that prefix";
  EXPECT_NE(shown[0].find("H21.09"), std::string::npos) << shown[0];
  EXPECT_NE(shown[0].find(chairman->getValue<std::string>("serial")), std::string::npos)
      << shown[0];
  browser_->screenshot(artifactPath("console-certificates.png"));

  // A new visit keeps the session (an HttpOnly cookie the page's script cannot read).
  browser_->open(consoleUrl("#audit"));
  const std::string chain = browser_->waitForText("#audit .chain", "Chuỗi nhật ký toàn vẹn");
  EXPECT_TRUE(std::regex_search(chain, std::regex("\\([1-9][0-9]* dòng\\)"))) << chain;
  EXPECT_EQ(browser_->run("return document.cookie;").convert<std::string>(), "");
}

TEST_F(ConsoleBrowserTest, MarkupAnAgencyWroteIsShownAsText) {
  signIn("lanhdao", "viewer");
  browser_->open(consoleUrl("#certificates"));
  browser_->type("#certificates input[name=search]", "Trần");
  browser_->click("#certificates .filters button[type=submit]");
  browser_->waitForText("#certificates tbody", "Bình");
  const auto shown = rows("#certificates");
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_NE(shown[0].find(kMarkupName), std::string::npos) << shown[0];
  EXPECT_TRUE(browser_->elements("#certificates tbody img, #certificates tbody b").empty());
  EXPECT_NE(browser_->run("return document.title;").convert<std::string>(), "pwned");
  browser_->screenshot(artifactPath("console-markup-as-text.png"));
}

TEST_F(ConsoleBrowserTest, RepeatedWrongPasswordsLockTheAccountAndTheLoginSaysSo) {
  const std::string once = addUser("thu.ky", "officer");
  browser_->open(consoleUrl());
  const auto attempt = [&](const std::string& password) {
    browser_->run("document.querySelector('#login .error').textContent = '';");
    submitLogin("thu.ky", password);
  };
  for (int wrong = 0; wrong < 5; ++wrong) {
    attempt("sai mật khẩu " + std::to_string(wrong));
    browser_->waitForText("#login .error", "Sai tên đăng nhập hoặc mật khẩu");
  }
  // Now even the right password is refused, and the page says for how long.
  attempt(once);
  const std::string said = browser_->waitForText("#login .error", "bị tạm khóa");
  EXPECT_EQ(said.find("Z"), std::string::npos) << "a time as people read it: " << said;
  EXPECT_FALSE(browser_->shown("#nav a")) << said;
  browser_->screenshot(artifactPath("console-locked.png"));
}

TEST_F(ConsoleBrowserTest, AnAdminImportsTheAgencyDirectoryAndIssuesACodeThatEnrolsAPC) {
  signIn("quantri", "admin");
  // The directory as the province keeps it, saved from Excel.
  const std::string csv = dir_.file("danh-ba-don-vi.csv");
  writeFile(csv,
            "code,name,type,parent\nH21.20,UBND xã Bình Minh,commune,\n"
            "H21.21,Phòng Tư pháp huyện,department,\n");
  browser_->open(consoleUrl("#agencies"));
  browser_->attach("#agencies .import input[type=file]", csv);
  browser_->click("#agencies .import button[type=submit]");
  browser_->waitForText("#agencies .import .result", "Đã nhập 2 dòng: 2 mới");
  browser_->waitForText("#agencies tbody", "UBND xã Bình Minh");
  // The same picker takes the workbook the province keeps in Excel (written by openpyxl).
  const std::string xlsx = dir_.file("danh-ba-don-vi.xlsx");
  const auto written =
      runCommand({"/usr/bin/python3", "-c",
                  "import sys, openpyxl\n"
                  "book = openpyxl.Workbook()\n"
                  "book.active.append(['code', 'name', 'type', 'parent'])\n"
                  "book.active.append(['H21.22', 'UBND xã Bình Phước', 'commune', ''])\n"
                  "book.save(sys.argv[1])\n",
                  xlsx});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  browser_->attach("#agencies .import input[type=file]", xlsx);
  browser_->click("#agencies .import button[type=submit]");
  browser_->waitForText("#agencies .import .result", "Đã nhập 1 dòng: 1 mới");
  browser_->waitForText("#agencies tbody", "UBND xã Bình Phước");
  const auto listed = hub_.admin({"agencies", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("UBND xã Bình Minh"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("Phòng Tư pháp huyện"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("UBND xã Bình Phước"), std::string::npos) << listed.out;
  browser_->screenshot(artifactPath("console-agencies.png"));

  // A code for the new commune, shown once, with what its PC needs.
  browser_->open(consoleUrl("#agents"));
  browser_->type("#agents .issue input[name=agency]", "H21.20");
  browser_->click("#agents .issue button[type=submit]");
  const std::string code = browser_->waitForText("#agents .issued .code-text", "-");
  const std::string url = browser_->text("#agents .issued .hub-url");
  // The hub's name as its certificate gives it ([tls] server_names) and the sync port.
  EXPECT_EQ(url, "https://hub.test.gov.vn:" + std::to_string(hub_.port()));
  browser_->screenshot(artifactPath("console-enrolment-code.png"));
  browser_->click("#agents .issued .ca-file");
  const std::string ca = browser_->downloaded("hub-ca.pem");
  EXPECT_EQ(readFile(ca), hub_.serverCa());

  // The commune's IT officer types what the page shows (here the name resolves to loopback).
  AgentUnderTest pc(dir_.path(), "binhminh",
                    {.modules = {SoftHsm::kModule}, .host_name = "PC-BINHMINH"});
  pc.start();
  const auto enrolled = pc.ctl({"enroll", "--hub", hubUrl(), "--code", code, "--hub-ca", ca});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  ASSERT_EQ(pc.ctl({"sync"}).exit_code, 0);
  browser_->refresh();
  browser_->waitForText("#agents table.agents tbody", "PC-BINHMINH");
  EXPECT_NE(browser_->text("#agents table.agents tbody").find("H21.20"), std::string::npos);
  // The code was used: it cannot enrol a second PC.
  browser_->waitForText("#agents table.codes tbody", "H21.20");
  browser_->screenshot(artifactPath("console-agents.png"));
}

TEST_F(ConsoleBrowserTest, TheDashboardShowsTheStoresTruthAndAFigureOpensItsList) {
  signIn("lanhdao", "viewer");
  // After login the dashboard is the first page.
  const auto figure = [&](const std::string& name) {
    return std::stoi(browser_->text("#dashboard .figure[data-figure=" + name + "] strong"));
  };
  const auto expiring = hub_.admin({"expiring", "--days", "30", "--json"});
  ASSERT_EQ(expiring.exit_code, 0) << expiring.err;
  const auto soon = Poco::JSON::Parser().parse(expiring.out).extract<Array::Ptr>();
  ASSERT_EQ(soon->size(), 1u) << "the chairman's certificate, 9 days left";
  EXPECT_EQ(figure("expiring_30"), 1);
  EXPECT_EQ(figure("expiring_90"), 1);
  EXPECT_EQ(figure("agencies_with_agent"), 1);
  EXPECT_EQ(figure("locked_tokens"), 0);
  EXPECT_EQ(figure("open_requests"), 0);
  browser_->screenshot(artifactPath("console-dashboard.png"));

  browser_->click("#dashboard .figure[data-figure=expiring_30]");
  browser_->waitForText("#certificates tbody", "Nguyễn Văn An");
  EXPECT_EQ(rows("#certificates").size(), 1u);
}

TEST_F(ConsoleBrowserTest, AnOfficerTakesARequestFromTheInboxToCompletedAndTheAgencyLearnsIt) {
  // A renewal of the certificate whose holder's name carries markup (200 days left).
  const std::string fingerprint =
      certificateNamed("Trần")->getValue<std::string>("fingerprint_sha256");
  const auto filed = agent_->ctl({"request", "renew", "--cert", fingerprint});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  const std::string id =
      filed.out.substr(filed.out.find_last_of('\n', filed.out.size() - 2) + 1, 36);
  ASSERT_EQ(agent_->ctl({"sync"}).exit_code, 0);

  signIn("canbo.so", "officer");
  browser_->open(consoleUrl("#requests"));
  browser_->waitForText("#requests tbody", "UBND xã Bình Chương");
  EXPECT_EQ(rows("#requests").size(), 1u);
  browser_->screenshot(artifactPath("console-requests.png"));
  browser_->click("#requests tbody a");
  browser_->waitForText("#request .facts", kMarkupName);
  EXPECT_TRUE(browser_->elements("#request img, #request .facts b").empty());
  browser_->click("#request .steps button[data-to=in_progress]");
  browser_->waitForText("#request .facts", "Đang xử lý");
  browser_->click("#request .steps button[data-to=completed]");
  browser_->waitForText("#request .facts", "Hoàn thành");
  EXPECT_NE(browser_->text("#request tbody").find("canbo.so"), std::string::npos)
      << "the history names who completed it";
  browser_->screenshot(artifactPath("console-request.png"));

  const auto at_hub = hub_.admin({"requests", "--json"});
  ASSERT_EQ(at_hub.exit_code, 0) << at_hub.err;
  const auto held = findBy(Poco::JSON::Parser().parse(at_hub.out).extract<Array::Ptr>(), "id", id);
  ASSERT_TRUE(held) << at_hub.out;
  EXPECT_EQ(held->getValue<std::string>("state"), "completed");
  // The agency learns it at its next sync.
  ASSERT_EQ(agent_->ctl({"sync"}).exit_code, 0);
  const auto at_agent = findBy(agent_->ctlArray({"requests"}), "id", id);
  ASSERT_TRUE(at_agent);
  EXPECT_EQ(at_agent->getValue<std::string>("state"), "completed");
}

// Sáp nhập: the officer publishes a merger on the page; the commune's PC plans its batch from
// the announcement, files it and syncs; the merger's card then shows that unit's batch arrived,
// counted as the hub holds it (`admin merger list --json`), and the other units' not yet.
TEST_F(ConsoleBrowserTest, AnOfficerPublishesAMergerAndSeesEachUnitsBatchArrive) {
  signIn("canbo.so", "officer");
  browser_->open(consoleUrl("#mergers"));
  browser_->type("#mergers input[name=from]", "H21.09, H21.10=UBND xã Bình Hải");
  browser_->type("#mergers input[name=into_code]", "H21.20");
  browser_->type("#mergers input[name=into_name]", "UBND xã Bình Sơn");
  browser_->type("#mergers input[name=decision]", "Nghị quyết số 1/NQ-HĐND");
  browser_->click("#mergers form button[type=submit]");
  browser_->waitForText("#mergers .error", "Đã công bố sáp nhập vào UBND xã Bình Sơn: đã báo 1");
  browser_->waitForText("#mergers .merger h3", "đã nhận lô của 0/3 đơn vị");

  ASSERT_EQ(agent_->ctl({"sync"}).exit_code, 0);
  const std::string plan = dir_.file("plan.json");
  const auto planned = agent_->ctl({"merger", "plan", "-o", plan});
  ASSERT_EQ(planned.exit_code, 0) << planned.out << planned.err;
  const auto applied = agent_->ctl({"merger", "apply", plan, "--json"});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const size_t filed = Poco::JSON::Parser()
                           .parse(applied.out.substr(0, applied.out.find('\n')))
                           .extract<Object::Ptr>()
                           ->getArray("filed")
                           ->size();
  ASSERT_GE(filed, 1u) << applied.out;
  ASSERT_EQ(agent_->ctl({"sync"}).exit_code, 0);

  browser_->refresh();
  browser_->waitForText("#mergers .merger h3", "đã nhận lô của 1/3 đơn vị");
  const std::string arrived = browser_->text("#mergers tr[data-unit='H21.09']");
  EXPECT_NE(arrived.find(std::to_string(filed) + " đề nghị, nhận lúc"), std::string::npos)
      << arrived;
  EXPECT_EQ(browser_->elements("#mergers tr.arrived").size(), 1u);
  EXPECT_NE(browser_->text("#mergers tr[data-unit='H21.10']").find("Chưa nhận"), std::string::npos);
  EXPECT_NE(browser_->text("#mergers tr[data-unit='H21.20']").find("Đơn vị mới"),
            std::string::npos);
  EXPECT_NE(browser_->text("#mergers tr[data-unit='H21.20']").find("Chưa nhận"), std::string::npos);
  // Each kind and state as the hub holds them, in words.
  const auto listed = hub_.admin({"merger", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto merger = Poco::JSON::Parser().parse(listed.out).extract<Array::Ptr>()->getObject(0);
  EXPECT_EQ(merger->getValue<std::string>("published_by"), "canbo.so");
  const auto batch = merger->getArray("units")->getObject(0)->getObject("batch");
  ASSERT_TRUE(batch) << listed.out;
  EXPECT_EQ(batch->getValue<size_t>("requests"), filed);
  const auto counts = batch->getArray("counts");
  for (size_t i = 0; i < counts->size(); ++i) {
    const auto count = counts->getObject(unsigned(i));
    const std::string words = std::to_string(count->getValue<int>("count")) + " " +
                              (count->getValue<std::string>("kind") == "revocation"
                                   ? "Thu hồi chứng thư số"
                                   : "Thay đổi nội dung thông tin chứng thư số") +
                              " (Sở KH&CN đã tiếp nhận)";
    EXPECT_EQ(count->getValue<std::string>("state"), "received");
    EXPECT_NE(arrived.find(words), std::string::npos) << arrived << " lacks " << words;
  }
  browser_->screenshot(artifactPath("console-mergers.png"));
}

TEST_F(ConsoleBrowserTest, AViewerDownloadsTheProvinceAggregateWithTheStoresFigures) {
  const std::string year =
      std::to_string(int(std::chrono::year_month_day(
                             std::chrono::floor<std::chrono::days>(now() + std::chrono::hours(7)))
                             .year()));
  ASSERT_EQ(agent_->ctl({"report", "submit", "--year", year}).exit_code, 0);
  ASSERT_EQ(agent_->ctl({"sync"}).exit_code, 0);
  const auto province = hub_.admin({"report", "province", "--year", year, "--json"});
  ASSERT_EQ(province.exit_code, 0) << province.err;
  const auto line = Poco::JSON::Parser()
                        .parse(province.out)
                        .extract<Object::Ptr>()
                        ->getArray("by_agency")
                        ->getObject(0);

  signIn("lanhdao", "viewer");
  browser_->open(consoleUrl("#reports"));
  browser_->type("#reports .filters input[name=year]", year);
  browser_->click("#reports .filters button[type=submit]");
  browser_->waitForText("#reports tbody", "H21.09");
  // A viewer is not offered what only officers may do.
  EXPECT_FALSE(browser_->shown("#reports .deadline"));
  EXPECT_FALSE(browser_->shown("#reports .upward"));
  EXPECT_FALSE(browser_->shown("#nav a[href='#mergers']"));
  browser_->screenshot(artifactPath("console-reports.png"));
  browser_->click("#reports .xlsx");
  const std::string xlsx = browser_->downloaded("bao-cao-tinh-" + year + ".xlsx");
  // The agency's line of the "Theo cơ quan" sheet, read with a real XLSX reader.
  const auto sheet =
      runCommand({"/usr/bin/python3", "-c",
                  "import sys, openpyxl\n"
                  "for row in openpyxl.load_workbook(sys.argv[1])['Theo cơ "
                  "quan'].iter_rows(values_only=True):\n"
                  "    if row[0] == 'H21.09': print('|'.join(str(v) for v in row))\n",
                  xlsx});
  ASSERT_EQ(sheet.exit_code, 0) << sheet.err;
  const std::string expected_start = "H21.09|UBND xã Bình Chương|";
  EXPECT_EQ(sheet.out.rfind(expected_start, 0), 0u) << sheet.out;
  // The contract figures close the line: valid, expired, tokens, locked, renewals due.
  std::string figures;
  for (const char* name : {"certificates_valid", "certificates_expired", "tokens", "tokens_locked",
                           "renewals_due_next_year"}) {
    figures += "|" + std::to_string(line->getValue<int>(name));
  }
  EXPECT_NE(sheet.out.find(figures + "\n"), std::string::npos) << sheet.out << " vs " << figures;
}

// Token: the dashboard's locked tokens open the Token page filtered to them, and it shows the
// serials the hub holds as locked (`admin tokens --json`); without the filter, every token.
TEST_F(ConsoleBrowserTest, TheLockedTokensFigureOpensTheTokenPageWithTheHubsLockedTokens) {
  // SoftHSM never locks a PIN: the second commune's PC reports a locked token as a real one does.
  secondCommunePushes(
      {entryJson(1, "0b6c3f9e-1d2a-4c5b-8e7f-0a0000000001", "token_inserted",
                 tokenBody("KHOA-01", "Token Kế toán")),
       entryJson(2, "0b6c3f9e-1d2a-4c5b-8e7f-0a0000000002", "token_pin_state_changed",
                 R"({"token": {"serial": "KHOA-01", "manufacturer": "Viettel-CA", )"
                 R"("pin_state": "locked"}})"),
       entryJson(3, "0b6c3f9e-1d2a-4c5b-8e7f-0a0000000003", "token_inserted",
                 tokenBody("MO-02", "Token Một cửa"))});
  std::vector<std::string> locked;
  std::vector<std::string> every;
  for (const auto& token : bothAgencies({"tokens"})) {
    const std::string serial = token->getValue<std::string>("serial");
    every.push_back(serial);
    if (token->getValue<std::string>("pin_state") == "locked") locked.push_back(serial);
  }
  ASSERT_EQ(locked, std::vector<std::string>{"KHOA-01"});
  ASSERT_EQ(every.size(), 4u) << "two SoftHSM tokens and two of the second commune";

  signIn("lanhdao", "viewer");
  EXPECT_EQ(browser_->text("#dashboard .figure[data-figure=locked_tokens] strong"), "1");
  browser_->click("#dashboard .figure[data-figure=locked_tokens]");
  browser_->waitForText("#tokens tbody", "KHOA-01");
  EXPECT_EQ(column("#tokens", 2), locked);
  const auto shown = rows("#tokens");
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_NE(shown[0].find("Đã khóa PIN"), std::string::npos) << shown[0];
  EXPECT_NE(shown[0].find("H21.10"), std::string::npos) << shown[0];
  browser_->screenshot(artifactPath("console-tokens.png"));
  // The export is the list as filtered.
  browser_->click("#tokens a.export[data-format=csv]");
  const std::string exported = readFile(browser_->downloaded("tokens.csv"));
  EXPECT_NE(exported.find("KHOA-01"), std::string::npos) << exported;
  EXPECT_EQ(exported.find("MO-02"), std::string::npos) << exported;

  filterBy("#tokens", "pin_state", "", every.size());
  auto serials = column("#tokens", 2);
  std::sort(serials.begin(), serials.end());
  std::sort(every.begin(), every.end());
  EXPECT_EQ(serials, every);
}

// Cảnh báo: filtered by severity the page shows that severity only, as many as the hub holds
// (`admin alerts --json`); an alert's agency leads to the agency's page.
TEST_F(ConsoleBrowserTest, TheAlertsPageFilteredBySeverityShowsOnlyThatSeverity) {
  std::vector<std::string> entries;
  int seq = 0;
  for (const char* severity : {"critical", "warning", "info", "critical"}) {
    ++seq;
    entries.push_back(
        entryJson(seq, "3c9d2e7a-5b1f-4e6d-9a8c-0b000000000" + std::to_string(seq), "alert_raised",
                  alertBody({.uuid = "3c9d2e7a-5b1f-4e6d-9a8c-0b000000000" + std::to_string(seq),
                             .kind = "hub_unreachable",
                             .severity = severity,
                             .threshold_days = 7,
                             .params = {{"last_contact", "2026-11-15T02:00:00Z"}}})));
  }
  secondCommunePushes(entries);
  size_t critical = 0;
  size_t every = 0;
  for (const auto& alert : bothAgencies({"alerts"})) {
    ++every;
    if (alert->getValue<std::string>("severity") == "critical") ++critical;
    // The text carries the values the agent sent, none left blank.
    if (alert->getValue<std::string>("kind") == "hub_unreachable") {
      EXPECT_NE(alert->getValue<std::string>("message").find("(quá 7 ngày)"), std::string::npos)
          << alert->getValue<std::string>("message");
    }
  }
  ASSERT_GE(critical, 2u);
  ASSERT_GT(every, critical);

  signIn("lanhdao", "viewer");
  browser_->open(consoleUrl("#alerts"));
  browser_->waitForCount("#alerts tbody tr", every);
  filterBy("#alerts", "severity", "critical", critical);
  const auto severities = column("#alerts", 1);
  EXPECT_EQ(severities, std::vector<std::string>(critical, "Nghiêm trọng"));
  browser_->screenshot(artifactPath("console-alerts-filtered.png"));

  browser_->click("#alerts tbody a[href='#agency/H21.10']");
  browser_->waitForText("#agency h2", "H21.10 – UBND xã Ia Băng");
}

// Chứng thư số: sorted by name, the page lists the names the hub holds in that order; filtered
// by kind, only that kind.
TEST_F(ConsoleBrowserTest, TheCertificatesPageSortedByNameShowsTheNamesInOrder) {
  std::vector<std::string> names;
  const auto held = inventory();
  for (size_t i = 0; i < held->size(); ++i) {
    names.push_back(held->getObject(unsigned(i))->getValue<std::string>("common_name"));
  }
  std::sort(names.begin(), names.end());

  signIn("lanhdao", "viewer");
  browser_->open(consoleUrl("#certificates"));
  browser_->waitForCount("#certificates tbody tr", names.size());
  ASSERT_NE(column("#certificates", 1), names) << "the soonest expiry first is another order";
  filterBy("#certificates", "sort", "common_name", names.size());
  EXPECT_EQ(column("#certificates", 1), names);
  browser_->screenshot(artifactPath("console-certificates-by-name.png"));

  filterBy("#certificates", "kind", "organization", 1);
  EXPECT_EQ(column("#certificates", 1), std::vector<std::string>{"UBND XÃ BÌNH CHƯƠNG"});
}

// The console with the least idle timeout [console] idle_timeout takes.
class ConsoleIdleTest : public ConsoleBrowserTest {
 protected:
  ConsoleIdleTest() : ConsoleBrowserTest("idle_timeout = 5\n") {}
};

TEST_F(ConsoleIdleTest, ASessionPastItsIdleTimeoutReturnsThePageToTheLoginSayingWhy) {
  signIn("lanhdao", "viewer");
  browser_->click("#nav a[href='#certificates']");
  browser_->waitForText("#certificates tbody", "Nguyễn Văn An");
  // The page calls the hub only when used: the session was last used before now. Once the
  // timeout has passed since, the next click finds it ended.
  const auto used = std::chrono::steady_clock::now();
  std::this_thread::sleep_until(used + 5s + 500ms);
  browser_->click("#nav a[href='#alerts']");
  browser_->waitForText("#login .error", "Cần đăng nhập (phiên làm việc đã hết hạn");
  EXPECT_TRUE(browser_->shown("#login input[name=password]"));
  EXPECT_FALSE(browser_->shown("#nav a"));
  EXPECT_FALSE(browser_->shown("#alerts"));
  browser_->screenshot(artifactPath("console-idle-login.png"));
  // Logging in again opens the page that was asked for.
  submitLogin("lanhdao", kNewPassword);
  browser_->waitFor("#nav");
  browser_->waitFor("#alerts");
}

// Certificate login (login_certificate.js, POST /login/certificate) is not driven here. A
// headless Chromium picks a client certificate only through the AutoSelectCertificateForUrls
// policy, which Chromium on Linux reads from /etc/chromium/policies/managed alone (there is no
// per-profile or command-line form), with the certificate in an NSS database under $HOME. A
// test would have to write into /etc: it needs root, and it changes every Chromium on the
// machine while it runs. tests/hub/console_certificate_test.cc logs in with each certificate
// over real mutual TLS instead, on SQLite and PostgreSQL.

}  // namespace
}  // namespace cks::test
