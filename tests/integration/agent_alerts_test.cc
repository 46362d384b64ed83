// Alerts end to end with the real binaries (docs/alerts.md): SoftHSM tokens scanned by
// cks-agent, the alert seen through `cksctl alerts`, acknowledged and snoozed as the IT officer
// does, PIN states from real wrong-PIN entries, the renewed certificate resolving the alert,
// and the event stream that cks-tray long-polls.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <future>

#include "agent/agent_config.h"
#include "agent/api_secret.h"
#include "agent/local_api_client.h"
#include "core/certificate.h"
#include "store/database.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/process.h"
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

class AgentAlertsTest : public ::testing::Test {
 protected:
  AgentAlertsTest() : hsm_(dir_.path()) {}

  // The chairman's token with a certificate that has 20 days left (noon, Vietnam time).
  void createChairman() {
    serial_ = hsm_.createToken("Chủ tịch");
    der_ = ca_.issue(individualSpec("Nguyễn Văn An", now() - 24h * 1000, vietnamNoonIn(20, now())));
    hsm_.writeCertificate("Chủ tịch", der_, "CTS ca nhan", "01");
  }

  // What a user does by mistyping the PIN in a signing program (the agent never logs in).
  void enterPin(const std::string& pin) {
    (void)runCommand({"pkcs11-tool", "--module", SoftHsm::kModule, "--token-label", "Chủ tịch",
                      "--login", "--pin", pin, "--list-objects"});
  }

  // An authenticated request to the agent's local API, as cks-tray makes it.
  std::pair<int, std::string> api(AgentUnderTest& agent, const std::string& method,
                                  const std::string& path, std::chrono::seconds timeout = 10s) {
    auto config = agent::loadAgentConfig(agent.config(), agent::FileChecks::Skip);
    auto secret = agent::readApiSecret(config->api_secret_file);
    const agent::LocalApiClient client(config->api_port, *secret);
    auto answer = client.request(method, path, timeout);
    if (!answer) throw std::runtime_error(answer.error().message);
    return {answer->http_status, answer->body};
  }

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
  std::string serial_;
  std::vector<std::uint8_t> der_;
};

TEST_F(AgentAlertsTest, AnExpiringCertificateRaisesOneAlertThatSurvivesRescansAndRestarts) {
  createChairman();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();

  auto alerts = agent.ctlArray({"alerts"});
  ASSERT_EQ(alerts->size(), 1u);
  const auto alert = alerts->getObject(0);
  EXPECT_EQ(alert->getValue<std::string>("kind"), "certificate_expiring");
  EXPECT_EQ(alert->getValue<std::string>("severity"), "warning");
  EXPECT_EQ(alert->getValue<int>("threshold_days"), 30);
  EXPECT_EQ(alert->getValue<std::string>("fingerprint_sha256"), sha256Hex(der_));
  EXPECT_EQ(alert->getValue<std::string>("token_serial"), serial_);
  EXPECT_EQ(alert->getValue<std::string>("state"), "open");
  // 20 days left is too late to renew under the request rules (at least 60): the alert says to
  // file a new certificate, not a renewal the rules would refuse (issue 12).
  EXPECT_EQ(alert->getValue<std::string>("message"),
            "Chứng thư số của Nguyễn Văn An (UBND xã Bình Chương) hết hạn sau 20 ngày — cần lập "
            "đề nghị cấp mới (không gia hạn được nữa: gia hạn phải lập khi còn ít nhất 60 ngày và "
            "tối đa 1 lần)");
  const auto refused = agent.ctl({"request", "renew", "--cert", sha256Hex(der_)});
  EXPECT_NE(refused.exit_code, 0) << "the advice and the request rules agree";
  EXPECT_FALSE(alert->getValue<std::string>("raised_at").empty());
  const int id = alert->getValue<int>("id");

  const auto english = agent.ctlArray({"alerts", "--lang", "en"});
  EXPECT_EQ(english->getObject(0)->getValue<std::string>("message"),
            "The certificate of Nguyễn Văn An (UBND xã Bình Chương) expires in 20 days — file a "
            "request for a new certificate (it can no longer be renewed: a renewal is filed at "
            "least 60 days before expiry, at most 1 time(s))");

  // Rescans and a restart raise nothing new.
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  ASSERT_EQ(agent.stop(), 0);
  agent.start();
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  alerts = agent.ctlArray({"alerts", "--all"});
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ(alerts->getObject(0)->getValue<int>("id"), id);

  // The text view, in Vietnamese.
  const auto text = agent.ctl({"alerts", "--wide"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Cảnh báo"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("hết hạn sau 20 ngày"), std::string::npos) << text.out;
}

TEST_F(AgentAlertsTest, TheOfficerAcknowledgesAndSnoozes) {
  createChairman();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto id = std::to_string(agent.ctlArray({"alerts"})->getObject(0)->getValue<int>("id"));

  const auto snoozed = agent.ctlObject({"snooze", id, "--days", "3"});
  EXPECT_EQ(snoozed->getValue<std::string>("state"), "snoozed");
  EXPECT_FALSE(snoozed->getValue<std::string>("snoozed_until").empty());
  EXPECT_EQ(agent.ctlArray({"alerts"})->size(), 0u) << "a snoozed alert is not open";
  const auto acked = agent.ctl({"ack", id});
  EXPECT_EQ(acked.exit_code, 0) << acked.err;
  EXPECT_NE(acked.out.find("Đã ghi nhận cảnh báo " + id), std::string::npos) << acked.out;
  // The default list holds state open only (issue 12: it still listed the acknowledged one);
  // --all shows it with its state.
  EXPECT_EQ(agent.ctlArray({"alerts"})->size(), 0u);
  EXPECT_EQ(agent.ctl({"alerts"}).out.find(id + " "), std::string::npos);
  const auto all = agent.ctlArray({"alerts", "--all"});
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->getObject(0)->getValue<std::string>("state"), "acknowledged");

  const auto unknown = agent.ctl({"ack", "999"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("999"), std::string::npos) << unknown.err;
  EXPECT_EQ(agent.ctl({"ack", "abc"}).exit_code, 2);
  EXPECT_EQ(agent.ctl({"ack"}).exit_code, 2);
  EXPECT_EQ(agent.ctl({"snooze", id}).exit_code, 2);                 // no --days
  EXPECT_EQ(agent.ctl({"snooze", id, "--days", "0"}).exit_code, 2);  // out of range
}

// Another program holds the store (a backup tool, sqlite3 at the prompt): the acknowledgement is
// "busy, try again" (503, exit 4), never "already resolved" (issue 13), and nothing changed.
TEST_F(AgentAlertsTest, AnAcknowledgementWhileAnotherProgramLocksTheStoreSaysTryAgain) {
  createChairman();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto id = std::to_string(agent.ctlArray({"alerts"})->getObject(0)->getValue<int>("id"));
  auto holder = store::Database::open(agent.store());
  ASSERT_TRUE(holder) << holder.error().message;
  ASSERT_TRUE((*holder)->exec("BEGIN IMMEDIATE"));

  const auto busy = agent.ctl({"ack", id});
  EXPECT_EQ(busy.exit_code, 4) << busy.err;
  EXPECT_NE(busy.err.find("Hãy thử lại"), std::string::npos) << busy.err;
  EXPECT_EQ(busy.err.find("đã được giải quyết"), std::string::npos) << busy.err;
  const auto [ack_status, ack_body] = api(agent, "POST", "/v1/alerts/" + id + "/ack");
  EXPECT_EQ(ack_status, 503) << ack_body;
  EXPECT_NE(ack_body.find("\"error\":\"store\""), std::string::npos) << ack_body;

  ASSERT_TRUE((*holder)->exec("ROLLBACK"));
  EXPECT_EQ(agent.ctlArray({"alerts"})->getObject(0)->getValue<std::string>("state"), "open");
  const auto acked = agent.ctl({"ack", id});
  EXPECT_EQ(acked.exit_code, 0) << acked.err;
}

TEST_F(AgentAlertsTest, AWrongPinRaisesCountLowAndTheNextGoodLoginClearsIt) {
  createChairman();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  enterPin("0000");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  const auto pin = findBy(agent.ctlArray({"alerts"}), "kind", "token_pin_count_low");
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin->getValue<std::string>("token_serial"), serial_);
  EXPECT_EQ(pin->getValue<std::string>("severity"), "warning");
  EXPECT_NE(pin->getValue<std::string>("message").find("đã bị nhập sai mã PIN"), std::string::npos);

  enterPin(SoftHsm::kUserPin);
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  EXPECT_FALSE(findBy(agent.ctlArray({"alerts"}), "kind", "token_pin_count_low"));
  const auto resolved = findBy(agent.ctlArray({"alerts", "--all"}), "kind", "token_pin_count_low");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->getValue<std::string>("state"), "resolved");
  EXPECT_EQ(resolved->getValue<std::string>("resolution"), "cleared");
}

TEST_F(AgentAlertsTest, TheRenewedCertificateOnTheSameTokenResolvesTheAlert) {
  createChairman();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(agent.ctlArray({"alerts"})->size(), 1u);

  const auto renewed =
      ca_.issue(individualSpec("Nguyễn Văn An", now() - 24h, now() + 24h * 20 + 24h * 3 * 365));
  hsm_.writeCertificate("Chủ tịch", renewed, "CTS ca nhan gia han", "02");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  EXPECT_EQ(agent.ctlArray({"alerts"})->size(), 0u);
  const auto all = agent.ctlArray({"alerts", "--all"});
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->getObject(0)->getValue<std::string>("resolution"), "renewed");
}

TEST_F(AgentAlertsTest, TheEventStreamWakesALongPollWhenAnAlertIsRaised) {
  createChairman();
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  // The expiry alert's event (the rules run right after the first scan is recorded).
  int cursor = 0;
  for (int i = 0; i < 50 && cursor < 1; ++i) {
    const auto [status, first] = api(agent, "GET", "/v1/events");
    ASSERT_EQ(status, 200) << first;
    cursor = Poco::JSON::Parser().parse(first).extract<Object::Ptr>()->getValue<int>("cursor");
    if (cursor < 1) std::this_thread::sleep_for(100ms);
  }
  ASSERT_GE(cursor, 1);

  // Nothing new: the poll waits its time out and keeps the cursor.
  const auto started = std::chrono::steady_clock::now();
  const auto [idle_status, idle] =
      api(agent, "GET", "/v1/events?after=" + std::to_string(cursor) + "&wait=1");
  EXPECT_EQ(idle_status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
  EXPECT_EQ(Poco::JSON::Parser().parse(idle).extract<Object::Ptr>()->getValue<int>("cursor"),
            cursor);

  // A poll waiting while a wrong PIN is entered and the token rescanned.
  auto poll = std::async(std::launch::async, [&] {
    return api(agent, "GET", "/v1/events?after=" + std::to_string(cursor) + "&wait=20", 30s);
  });
  std::this_thread::sleep_for(300ms);
  enterPin("0000");
  const auto poke = std::chrono::steady_clock::now();
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  ASSERT_EQ(poll.wait_for(10s), std::future_status::ready);
  const auto [woken_status, woken] = poll.get();
  EXPECT_LT(std::chrono::steady_clock::now() - poke, 10s);
  ASSERT_EQ(woken_status, 200) << woken;
  const auto answer = Poco::JSON::Parser().parse(woken).extract<Object::Ptr>();
  const auto events = answer->getArray("events");
  ASSERT_EQ(events->size(), 1u) << woken;
  EXPECT_EQ(events->getObject(0)->getValue<std::string>("type"), "alert_raised");
  EXPECT_EQ(events->getObject(0)->getObject("alert")->getValue<std::string>("kind"),
            "token_pin_count_low");
  EXPECT_EQ(answer->getValue<int>("cursor"), events->getObject(0)->getValue<int>("seq"));

  // A cursor from a replaced store: everything from the start.
  const auto [reset_status, reset] = api(agent, "GET", "/v1/events?after=100000&wait=0");
  EXPECT_EQ(reset_status, 200);
  EXPECT_EQ(Poco::JSON::Parser().parse(reset).extract<Object::Ptr>()->getArray("events")->size(),
            2u);
}

}  // namespace
}  // namespace cks::test
