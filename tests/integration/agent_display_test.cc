// What cksctl's text looks like on the officer's screen (issue 12, points 9, 11, 12): tables
// that fit an 80-column terminal (COLUMNS) and print whole with --wide; certificates named by
// the fingerprint the certs table shows, openssl's colon form or a short prefix; and times in
// Vietnam time whatever the PC's own zone.
#include <gtest/gtest.h>

#include <cctype>
#include <sstream>

#include "core/certificate.h"
#include "core/text_table.h"
#include "core/time_format.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/process.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// `cksctl --config … ARGS…` with environment `env` ("COLUMNS=80", "TZ=…").
CommandResult ctlWith(const AgentUnderTest& agent, const std::vector<std::string>& env,
                      const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(buildPath("bin/cksctl"));
  argv.push_back("--config");
  argv.push_back(agent.config());
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

size_t widestLine(const std::string& text) {
  size_t widest = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) widest = std::max(widest, displayWidth(line));
  return widest;
}

// The form `openssl x509 -noout -fingerprint -sha256` prints: upper case, colon-separated.
std::string opensslForm(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (!out.empty()) out += ':';
    out += char(std::toupper(hex[i]));
    out += char(std::toupper(hex[i + 1]));
  }
  return out;
}

class AgentDisplayTest : public ::testing::Test {
 protected:
  AgentDisplayTest() : hsm_(dir_.path()) {}

  // Tokens with long Vietnamese labels and holders, one certificate expiring within the alert
  // thresholds (the alert's message is the long column) and one far from it.
  void createTokens() {
    hsm_.createToken("Phó Chủ tịch văn hóa");
    expiring_ = ca_.issue(individualSpec("Nguyễn Thị Ánh Tuyết Phòng Văn hóa - Xã hội",
                                         now() - 24h * 1000, vietnamNoonIn(20, now())));
    hsm_.writeCertificate("Phó Chủ tịch văn hóa", expiring_, "CTS ca nhan", "01");
    hsm_.createToken("Văn thư");
    clerk_ = ca_.issue(
        organizationSpec("ỦY BAN NHÂN DÂN XÃ BÌNH CHƯƠNG", now() - 24h * 300, now() + 24h * 700));
    hsm_.writeCertificate("Văn thư", clerk_, "CTS to chuc", "02");
  }

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
  std::vector<std::uint8_t> expiring_;
  std::vector<std::uint8_t> clerk_;
};

// Issue 15, review finding 5: a token's label and a certificate's name are whatever was written
// on the token; printed raw, an escape sequence clears the officer's screen or rewrites what the
// table says. cksctl shows control characters escaped (the JSON output keeps them, escaped as
// JSON does).
TEST_F(AgentDisplayTest, ControlCharactersInALabelOrANameAreShownEscaped) {
  const std::string label = "\x1b[2JVăn thư";
  const std::string serial = hsm_.createToken(label);
  hsm_.writeCertificate(label,
                        ca_.issue(individualSpec("Nguyễn Văn An\r\x1b]0;pwned\x07",
                                                 now() - 24h * 100, now() + 24h * 300)),
                        "CTS ca nhan", "01");
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto tokens = agent.ctl({"tokens", "--wide"});
  ASSERT_EQ(tokens.exit_code, 0) << tokens.err;
  EXPECT_EQ(tokens.out.find('\x1b'), std::string::npos) << tokens.out;
  EXPECT_NE(tokens.out.find("\\x1b[2JVăn thư"), std::string::npos) << tokens.out;
  const auto certs = agent.ctl({"certs", "--wide"});
  ASSERT_EQ(certs.exit_code, 0) << certs.err;
  for (const char control : {'\x1b', '\r', '\x07'}) {
    EXPECT_EQ(certs.out.find(control), std::string::npos) << int(control) << ": " << certs.out;
  }
  EXPECT_NE(certs.out.find("Nguyễn Văn An\\r\\x1b]0;pwned\\x07"), std::string::npos) << certs.out;
  EXPECT_EQ(findBy(agent.ctlArray({"tokens"}), "serial", serial)->getValue<std::string>("label"),
            label);
}

TEST_F(AgentDisplayTest, EveryTableFitsEightyColumnsAndWidePrintsItWhole) {
  createTokens();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto filed =
      agent.ctl({"request", "revoke", "--cert", sha256Hex(clerk_), "--reason", "device_lost"});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;

  for (const auto& command : std::vector<std::vector<std::string>>{
           {"alerts"}, {"alerts", "--all"}, {"certs"}, {"tokens"}, {"requests"}}) {
    for (const char* lang : {"vi", "en"}) {
      std::vector<std::string> args = command;
      args.insert(args.end(), {"--lang", lang});
      const auto fitted = ctlWith(agent, {"COLUMNS=80"}, args);
      ASSERT_EQ(fitted.exit_code, 0) << command[0] << fitted.err;
      EXPECT_LE(widestLine(fitted.out), 80u) << command[0] << " " << lang << "\n" << fitted.out;
    }
  }
  // A narrower terminal is honoured too.
  EXPECT_LE(widestLine(ctlWith(agent, {"COLUMNS=60"}, {"alerts"}).out), 60u);

  // --wide: the alert's message whole on one line, as the API gives it.
  const auto alerts = agent.ctlArray({"alerts"});
  ASSERT_EQ(alerts->size(), 1u);
  const std::string message = alerts->getObject(0)->getValue<std::string>("message");
  const auto wide = ctlWith(agent, {"COLUMNS=80"}, {"alerts", "--wide"});
  EXPECT_NE(wide.out.find(message), std::string::npos) << wide.out;
  EXPECT_GT(widestLine(wide.out), 80u);
  // Fitted, no word of it is lost.
  const auto fitted = ctlWith(agent, {"COLUMNS=80"}, {"alerts"});
  for (const char* word : {"Nguyễn", "Tuyết", "20", "gia", "hạn"}) {
    EXPECT_NE(fitted.out.find(word), std::string::npos) << word << "\n" << fitted.out;
  }
}

TEST_F(AgentDisplayTest, CertsShowAFingerprintThatRequestsAccept) {
  createTokens();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const std::string fingerprint = sha256Hex(clerk_);

  // The certs table shows the start of each fingerprint…
  const auto certs = ctlWith(agent, {"COLUMNS=80"}, {"certs"});
  ASSERT_EQ(certs.exit_code, 0) << certs.err;
  EXPECT_NE(certs.out.find("Dấu vân tay"), std::string::npos) << certs.out;
  const std::string shown = fingerprint.substr(0, 12);
  EXPECT_NE(certs.out.find(shown), std::string::npos) << certs.out;
  EXPECT_NE(ctlWith(agent, {}, {"certs", "--wide"}).out.find(fingerprint), std::string::npos);

  // …and what it shows names the certificate, as does openssl's colon form in upper case.
  const auto by_shown = agent.ctl({"request", "renew", "--cert", shown});
  EXPECT_EQ(by_shown.exit_code, 0) << by_shown.err;
  const auto by_openssl = agent.ctl(
      {"request", "revoke", "--cert", opensslForm(fingerprint), "--reason", "device_lost"});
  EXPECT_EQ(by_openssl.exit_code, 0) << by_openssl.err;
  const auto requests = agent.ctlArray({"requests"});
  ASSERT_EQ(requests->size(), 2u);
  for (size_t i = 0; i < requests->size(); ++i) {
    EXPECT_EQ(requests->getObject(unsigned(i))->getValue<std::string>("fingerprint_sha256"),
              fingerprint);
  }

  // Too short a prefix is said to be too short, not "not in the inventory".
  const auto short_prefix =
      agent.ctl({"request", "revoke", "--cert", fingerprint.substr(0, 6), "--reason", "lost"});
  EXPECT_EQ(short_prefix.exit_code, 2);
  EXPECT_NE(short_prefix.err.find("ít nhất 8 chữ số đầu"), std::string::npos) << short_prefix.err;
  EXPECT_EQ(short_prefix.err.find("Không có chứng thư số"), std::string::npos) << short_prefix.err;

  // A request by the start of its id, in any case.
  const std::string id = requests->getObject(0)->getValue<std::string>("id");
  std::string upper = id.substr(0, 8);
  for (char& c : upper) c = char(std::toupper(c));
  const auto shown_request = agent.ctl({"request", "show", upper});
  EXPECT_EQ(shown_request.exit_code, 0) << shown_request.err;
  EXPECT_NE(shown_request.out.find(id), std::string::npos) << shown_request.out;
}

TEST_F(AgentDisplayTest, TimesAreVietnamTimeWhateverThePcZoneAndDaysLeftAreCalendarDays) {
  createTokens();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto status = agent.ctlObject({"status"});
  const auto last_scan = parseIsoUtc(status->getValue<std::string>("last_scan"));
  ASSERT_TRUE(last_scan);
  const std::string vietnam = formatLocalDateTime(*last_scan, vietnamTimeZone());
  // A PC set to New York time (UTC-5 or -4) still shows Vietnam time.
  const auto text = ctlWith(agent, {"TZ=America/New_York"}, {"status"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(vietnam), std::string::npos) << vietnam << "\n" << text.out;

  // Days left count calendar days in Vietnam: the expiring certificate ends at noon 20 days on.
  const auto certs = agent.ctlArray({"certs"});
  const auto tuyet = findBy(certs, "fingerprint_sha256", sha256Hex(expiring_));
  ASSERT_TRUE(tuyet);
  EXPECT_EQ(tuyet->getValue<int>("days_left"), 20);
  EXPECT_NE(ctlWith(agent, {"COLUMNS=200"}, {"certs"})
                .out.find(formatLocalDate(vietnamNoonIn(20, now()), vietnamTimeZone())),
            std::string::npos);
}

TEST_F(AgentDisplayTest, TheDisplayZoneIsASetting) {
  createTokens();
  AgentUnderTest agent(dir_.path(), "agent",
                       {.modules = {SoftHsm::kModule}, .extra = "\n[display]\ntime_zone = UTC\n"});
  agent.start();
  const auto status = agent.ctlObject({"status"});
  const auto last_scan = parseIsoUtc(status->getValue<std::string>("last_scan"));
  ASSERT_TRUE(last_scan);
  const auto text = agent.ctl({"status"});
  EXPECT_NE(text.out.find(formatLocalDateTime(*last_scan, *parseTimeZone("UTC"))),
            std::string::npos)
      << text.out;

  TempDir other;
  AgentUnderTest bad(other.path(), "agent",
                     {.modules = {SoftHsm::kModule}, .extra = "\n[display]\ntime_zone = Mars\n"});
  const auto refused = bad.ctl({"status"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("time_zone"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace cks::test
