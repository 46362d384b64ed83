// Revocation across the province (issue 16): a test CA publishes its revocation list over HTTP,
// the real cks-hub fetches it, and the real cks-agent on SoftHSM tokens learns each
// certificate's status through `cksctl sync`: `cksctl certs` shows good, revoked and unknown.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "core/time_format.h"
#include "tests/hub/hub_under_test.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/crl_server.h"
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

std::string text(const Object::Ptr& o, const std::string& key) {
  return o && o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : "∅";
}

class RevocationEndToEndTest : public ::testing::Test {
 protected:
  RevocationEndToEndTest()
      : hsm_(dir_.path()),
        hub_(dir_.path().string(), {.extra = "[revocation]\nca_files = ca.pem\ncrl_urls = " +
                                             server_.url("/g2.crl") + "\n"}) {}

  void SetUp() override {
    hsm_.createToken("Văn thư");
    hsm_.createToken("Chủ tịch");
    write("Văn thư", "Nguyễn Thị Bình", "1001");
    write("Chủ tịch", "Nguyễn Văn An", "1002");
    ca_.revoke("1002", listed_ - 72h, 1);
    server_.serve("/g2.crl", ca_.crl(listed_, listed_ + 24h * 7, 7));
    std::ofstream(dir_.file("ca.pem"))
        << TestCa::pem(ca_.rootDer()) << TestCa::pem(ca_.issuingDer());
    hub_.start();
    for (int i = 0; i < 100 && server_.requests("/g2.crl") == 0; ++i) {
      std::this_thread::sleep_for(100ms);
    }
    ASSERT_EQ(server_.requests("/g2.crl"), 1) << hub_.log();
    writeFile(dir_.file("hub-ca.pem"), hub_.serverCa());
  }

  void write(const std::string& token, const std::string& holder, const std::string& serial) {
    auto spec = individualSpec(holder, now() - 24h * 300, now() + 24h * 400);
    spec.serial_hex = serial;
    hsm_.writeCertificate(token, ca_.issue(spec), "CTS " + serial, "01");
  }

  void enroll(AgentUnderTest& agent) {
    const std::string code = hub_.enrollCode("H21.09", "UBND xã Bình Chương");
    const auto enrolled =
        agent.ctl({"enroll", "--hub", "https://127.0.0.1:" + std::to_string(hub_.port()), "--code",
                   code, "--hub-ca", dir_.file("hub-ca.pem")});
    ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << readFile(agent.log());
  }

  void sync(AgentUnderTest& agent) {
    const auto synced = agent.ctl({"sync"});
    ASSERT_EQ(synced.exit_code, 0) << synced.out << synced.err << readFile(agent.log());
  }

  // `cksctl certs --json`'s revocation object of the certificate `serial`.
  Object::Ptr revocationOf(AgentUnderTest& agent, const std::string& serial) {
    const auto cert = findBy(agent.ctlArray({"certs"}), "serial", serial);
    EXPECT_TRUE(cert) << "no certificate " << serial;
    if (!cert) return nullptr;
    EXPECT_EQ(text(cert->getObject("chain"), "status"), "unknown");
    return cert->getObject("revocation");
  }

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
  CrlServer server_;
  HubUnderTest hub_;
  const TimePoint listed_ = now() - 1h;  // the list's thisUpdate
};

TEST_F(RevocationEndToEndTest, AgentsLearnGoodRevokedAndUnknownThroughTheirSync) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  enroll(agent);
  const auto before = revocationOf(agent, "1002");
  EXPECT_EQ(text(before, "status"), "unknown") << "nothing told yet";
  EXPECT_EQ(text(before, "as_of"), "∅");

  // The first sync reports the certificates; the hub queues their statuses; the next pull
  // brings them.
  sync(agent);
  sync(agent);
  const auto good = revocationOf(agent, "1001");
  EXPECT_EQ(text(good, "status"), "good");
  EXPECT_EQ(text(good, "as_of"), formatIsoUtc(listed_));
  EXPECT_EQ(text(good, "revoked_at"), "∅");
  const auto revoked = revocationOf(agent, "1002");
  EXPECT_EQ(text(revoked, "status"), "revoked");
  EXPECT_EQ(text(revoked, "revoked_at"), formatIsoUtc(listed_ - 72h));
  EXPECT_EQ(text(revoked, "reason"), "keyCompromise");

  // A certificate first seen after the last feed is unknown until the next one.
  hsm_.createToken("Kế toán");
  write("Kế toán", "Trần Văn Cường", "1003");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  EXPECT_EQ(text(revocationOf(agent, "1003"), "status"), "unknown");

  // The officer's table, in Vietnamese.
  const auto table = agent.ctl({"certs", "--wide"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(
      table.out.find("Đã bị thu hồi ngày " + formatLocalDate(listed_ - 72h, vietnamTimeZone()) +
                     " (Khóa bí mật bị lộ)"),
      std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("Chưa bị thu hồi (theo danh sách thu hồi ngày"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("Chưa rõ tổ chức cấp"), std::string::npos) << table.out;

  sync(agent);
  sync(agent);
  EXPECT_EQ(text(revocationOf(agent, "1003"), "status"), "good");
}

}  // namespace
}  // namespace cks::test
