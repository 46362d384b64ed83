// End to end with the real binaries: SoftHSM tokens created by the test, cks-agent scanning
// them through cks-p11probe, and cksctl reading the result as an IT officer would.
#include <gtest/gtest.h>

#include <regex>

#include "core/certificate.h"
#include "tests/support/agent_under_test.h"
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

class AgentInventoryTest : public ::testing::Test {
 protected:
  AgentInventoryTest() : hsm_(dir_.path()) {}

  // The commune of the demo: the clerk's organisation token, the chairman's token.
  void createCommune() {
    clerk_serial_ = hsm_.createToken("Văn thư");
    chairman_serial_ = hsm_.createToken("Chủ tịch");
    org_der_ =
        ca_.issue(organizationSpec("UBND XÃ BÌNH CHƯƠNG", now() - 24h * 300, now() + 24h * 800));
    chairman_der_ =
        ca_.issue(individualSpec("Nguyễn Văn An", now() - 24h * 1000, vietnamNoonIn(9, now())));
    hsm_.writeCertificate("Văn thư", org_der_, "CTS UBND xa", "01");
    hsm_.writeCertificate("Chủ tịch", chairman_der_, "CTS ca nhan", "01");
  }

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
  std::string clerk_serial_, chairman_serial_;
  std::vector<std::uint8_t> org_der_, chairman_der_;
};

TEST_F(AgentInventoryTest, CertsJsonCarriesEveryContractField) {
  createCommune();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  ASSERT_EQ(agent.once().exit_code, 0);
  agent.start();
  const auto certs = agent.ctlArray({"certs"});
  ASSERT_EQ(certs->size(), 2u);

  const auto chairman = findBy(certs, "token_serial", chairman_serial_);
  ASSERT_TRUE(chairman);
  EXPECT_EQ(chairman->getValue<std::string>("fingerprint_sha256"), sha256Hex(chairman_der_));
  EXPECT_TRUE(std::regex_match(chairman->getValue<std::string>("fingerprint_sha256"),
                               std::regex("[0-9a-f]{64}")));
  EXPECT_EQ(chairman->getValue<std::string>("common_name"), "Nguyễn Văn An");
  EXPECT_EQ(chairman->getValue<std::string>("subject").rfind("CN=Nguyễn Văn An,OU=", 0), 0u);
  EXPECT_EQ(chairman->getValue<std::string>("issuer"),
            "CN=CA phục vụ các cơ quan Nhà nước G2,O=Ban Cơ yếu Chính phủ,C=VN");
  EXPECT_EQ(chairman->getValue<std::string>("organization"), "UBND tỉnh Quảng Ngãi");
  EXPECT_TRUE(
      std::regex_match(chairman->getValue<std::string>("serial"), std::regex("[1-9a-f][0-9a-f]*")));
  EXPECT_TRUE(std::regex_match(chairman->getValue<std::string>("not_after"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  EXPECT_TRUE(std::regex_match(chairman->getValue<std::string>("not_before"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  EXPECT_EQ(chairman->getValue<int>("days_left"), 9);  // calendar days in Vietnam
  EXPECT_EQ(chairman->getValue<std::string>("kind"), "individual");
  EXPECT_EQ(chairman->getValue<std::string>("status"), "expiring");
  EXPECT_EQ(chairman->getValue<std::string>("token_label"), "Chủ tịch");
  EXPECT_TRUE(chairman->getValue<bool>("present"));

  const auto org = findBy(certs, "token_serial", clerk_serial_);
  ASSERT_TRUE(org);
  EXPECT_EQ(org->getValue<std::string>("subject"),
            "CN=UBND XÃ BÌNH CHƯƠNG,O=UBND TỈNH QUẢNG NGÃI,L=Quảng Ngãi,C=VN");
  EXPECT_EQ(org->getValue<std::string>("kind"), "organization");
  EXPECT_EQ(org->getValue<std::string>("status"), "valid");
  EXPECT_GE(org->getValue<int>("days_left"), 799);
}

TEST_F(AgentInventoryTest, TokensAndStatusJsonCarryEveryContractField) {
  createCommune();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto tokens = agent.ctlArray({"tokens"});
  ASSERT_EQ(tokens->size(), 2u) << "the blank SoftHSM slot must not count as a token";
  const auto clerk = findBy(tokens, "serial", clerk_serial_);
  ASSERT_TRUE(clerk);
  EXPECT_EQ(clerk->getValue<std::string>("label"), "Văn thư");
  EXPECT_EQ(clerk->getValue<std::string>("manufacturer"), "SoftHSM project");
  EXPECT_EQ(clerk->getValue<std::string>("model"), "SoftHSM v2");
  EXPECT_EQ(clerk->getValue<std::string>("module"), SoftHsm::kModule);
  EXPECT_EQ(clerk->getValue<std::string>("pin_state"), "ok");
  EXPECT_TRUE(clerk->getValue<bool>("present"));
  EXPECT_EQ(clerk->getValue<int>("cert_count"), 1);
  EXPECT_FALSE(clerk->getValue<std::string>("first_seen").empty());
  EXPECT_FALSE(clerk->getValue<std::string>("last_seen").empty());

  const auto status = agent.ctlObject({"status"});
  EXPECT_TRUE(std::regex_match(status->getValue<std::string>("last_scan"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  const auto modules = status->getArray("modules");
  ASSERT_EQ(modules->size(), 1u);
  EXPECT_EQ(modules->getObject(0)->getValue<std::string>("path"), SoftHsm::kModule);
  EXPECT_EQ(modules->getObject(0)->getValue<std::string>("outcome"), "ok");
  EXPECT_TRUE(modules->getObject(0)->has("detail"));
}

TEST_F(AgentInventoryTest, RemovedTokenIsKeptWithItsHistory) {
  createCommune();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto before = findBy(agent.ctlArray({"tokens"}), "serial", chairman_serial_);
  ASSERT_TRUE(before);

  hsm_.unplug("Chủ tịch");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  const auto gone = findBy(agent.ctlArray({"tokens"}), "serial", chairman_serial_);
  ASSERT_TRUE(gone) << "an unplugged token stays in the inventory";
  EXPECT_FALSE(gone->getValue<bool>("present"));
  EXPECT_EQ(gone->getValue<std::string>("first_seen"), before->getValue<std::string>("first_seen"));
  EXPECT_EQ(gone->getValue<int>("cert_count"), 1) << "its certificates are remembered";
  const auto cert = findBy(agent.ctlArray({"certs"}), "token_serial", chairman_serial_);
  ASSERT_TRUE(cert);
  EXPECT_FALSE(cert->getValue<bool>("present"));
  EXPECT_EQ(cert->getValue<std::string>("common_name"), "Nguyễn Văn An");
  const auto clerk = findBy(agent.ctlArray({"tokens"}), "serial", clerk_serial_);
  EXPECT_TRUE(clerk->getValue<bool>("present")) << "the other token is untouched";

  hsm_.plugIn("Chủ tịch");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  const auto back = findBy(agent.ctlArray({"tokens"}), "serial", chairman_serial_);
  EXPECT_TRUE(back->getValue<bool>("present"));
  EXPECT_EQ(back->getValue<std::string>("first_seen"), before->getValue<std::string>("first_seen"));
  EXPECT_EQ(agent.ctlArray({"tokens"})->size(), 2u) << "plugged in again, not a new token";
}

TEST_F(AgentInventoryTest, SameTokenKeepsItsIdentityByItsSerialInASecondStore) {
  createCommune();
  AgentUnderTest office(dir_.path(), "office",
                        {.modules = {SoftHsm::kModule}, .host_name = "PC-VANPHONG"});
  ASSERT_EQ(office.once().exit_code, 0);
  // The chairman's token goes to another PC (another store) while a new token appears here.
  hsm_.unplug("Chủ tịch");
  hsm_.createToken("Cán bộ mới");
  hsm_.plugIn("Chủ tịch");
  AgentUnderTest home(dir_.path(), "home",
                      {.modules = {SoftHsm::kModule}, .host_name = "PC-CHUTICH"});
  ASSERT_EQ(home.once().exit_code, 0);
  ASSERT_EQ(office.once().exit_code, 0);

  office.start();
  home.start();
  const auto here = findBy(office.ctlArray({"tokens"}), "serial", chairman_serial_);
  const auto there = findBy(home.ctlArray({"tokens"}), "serial", chairman_serial_);
  ASSERT_TRUE(here && there);
  EXPECT_EQ(here->getValue<std::string>("label"), there->getValue<std::string>("label"));
  EXPECT_EQ(office.ctlArray({"tokens"})->size(), 3u);
  EXPECT_EQ(here->getValue<std::string>("last_host"), "PC-VANPHONG");
  EXPECT_EQ(there->getValue<std::string>("last_host"), "PC-CHUTICH");
  const auto cert_here = findBy(office.ctlArray({"certs"}), "token_serial", chairman_serial_);
  const auto cert_there = findBy(home.ctlArray({"certs"}), "token_serial", chairman_serial_);
  EXPECT_EQ(cert_here->getValue<std::string>("fingerprint_sha256"),
            cert_there->getValue<std::string>("fingerprint_sha256"));
}

TEST_F(AgentInventoryTest, UnparseableCertificateIsRecordedWithItsFingerprint) {
  createCommune();
  const std::vector<std::uint8_t> truncated(chairman_der_.begin(), chairman_der_.begin() + 100);
  hsm_.writeCertificate("Chủ tịch", truncated, "hong", "02");
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  ASSERT_EQ(agent.once().exit_code, 0);
  agent.start();
  const auto certs = agent.ctlArray({"certs"});
  ASSERT_EQ(certs->size(), 3u) << "the good certificates are still listed";
  const auto broken = findBy(certs, "fingerprint_sha256", sha256Hex(truncated));
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->getValue<std::string>("status"), "unparseable");
  EXPECT_EQ(broken->getValue<std::string>("token_serial"), chairman_serial_);
  EXPECT_TRUE(broken->isNull("days_left"));
  EXPECT_EQ(agent.ctl({"certs"}).exit_code, 0) << "the text view copes with it too";
}

TEST_F(AgentInventoryTest, ExpiringFilterKeepsOnlyCertificatesEndingWithinTheDays) {
  createCommune();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto soon = agent.ctlArray({"certs", "--expiring", "30"});
  ASSERT_EQ(soon->size(), 1u);
  EXPECT_EQ(soon->getObject(0)->getValue<std::string>("token_serial"), chairman_serial_);
  EXPECT_EQ(agent.ctlArray({"certs", "--expiring", "5"})->size(), 0u);
  EXPECT_EQ(agent.ctlArray({"certs", "--expiring", "900"})->size(), 2u);
}

TEST_F(AgentInventoryTest, HumanOutputIsVietnameseByDefaultAndEnglishOnRequest) {
  createCommune();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto vi = agent.ctl({"certs", "--wide"});
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  EXPECT_NE(vi.out.find("Chứng thư số"), std::string::npos) << vi.out;
  EXPECT_NE(vi.out.find("Sắp hết hạn"), std::string::npos);
  EXPECT_NE(vi.out.find("Nguyễn Văn An"), std::string::npos);
  EXPECT_NE(vi.out.find("UBND XÃ BÌNH CHƯƠNG"), std::string::npos);
  const auto en = agent.ctl({"certs", "--lang", "en", "--wide"});
  EXPECT_NE(en.out.find("Certificates"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("Expiring"), std::string::npos);
  const auto status = agent.ctl({"status"});
  EXPECT_NE(status.out.find("Lần quét gần nhất"), std::string::npos) << status.out;
  const auto tokens = agent.ctl({"--lang=en", "tokens", "--wide"});
  EXPECT_NE(tokens.out.find("Văn thư"), std::string::npos) << tokens.out;
  EXPECT_NE(tokens.out.find("Plugged in"), std::string::npos);
}

TEST_F(AgentInventoryTest, LockedTokenShowsItsPinStateFromTheTokenFlags) {
  createCommune();
  const std::string spy_log = dir_.file("spy.log");
  setenv("CKS_SPY_TARGET", SoftHsm::kModule, 1);
  setenv("CKS_SPY_LOG", spy_log.c_str(), 1);
  setenv("CKS_SPY_TOKEN_FLAGS", "0x40000", 1);  // CKF_USER_PIN_LOCKED
  setenv("CKS_SPY_TOKEN_FLAGS_FOR_SERIAL", chairman_serial_.c_str(), 1);
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {testModule("spy")}});
  ASSERT_EQ(agent.once().exit_code, 0);
  agent.start();
  const auto tokens = agent.ctlArray({"tokens"});
  EXPECT_EQ(findBy(tokens, "serial", chairman_serial_)->getValue<std::string>("pin_state"),
            "locked");
  EXPECT_EQ(findBy(tokens, "serial", clerk_serial_)->getValue<std::string>("pin_state"), "ok");
  const auto text = agent.ctl({"tokens", "--wide"});
  EXPECT_NE(text.out.find("Đã khóa PIN"), std::string::npos) << text.out;
}

TEST_F(AgentInventoryTest, AgentNeverLogsInToAToken) {
  createCommune();
  const std::string spy_log = dir_.file("spy.log");
  setenv("CKS_SPY_TARGET", SoftHsm::kModule, 1);
  setenv("CKS_SPY_LOG", spy_log.c_str(), 1);
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {testModule("spy")}, .slot_events = true});
  ASSERT_EQ(agent.once().exit_code, 0);
  agent.start();
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  ASSERT_EQ(agent.ctlArray({"certs"})->size(), 2u);
  agent.stop();
  const std::string calls = readFile(spy_log);
  // The log proves the spy saw the agent's calls, so the absence below means something.
  EXPECT_NE(calls.find("C_GetTokenInfo"), std::string::npos);
  EXPECT_NE(calls.find("C_FindObjects"), std::string::npos);
  for (const char* forbidden : {"C_Login", "C_InitPIN", "C_SetPIN", "C_InitToken", "C_Sign"}) {
    EXPECT_EQ(calls.find(forbidden), std::string::npos) << forbidden << " was called";
  }
}

}  // namespace
}  // namespace cks::test
