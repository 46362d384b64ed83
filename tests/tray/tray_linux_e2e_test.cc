// cks-tray on Linux against the real agent, in a throwaway desktop (Xvfb, D-Bus, dunst): the
// pop-up reaches the notification daemon with the agent's Vietnamese text, once, even when the
// agent is killed and started again and when the tray itself restarts.
#include <signal.h>

#include <thread>

#include "tests/support/impostor.h"
#include "tests/support/process.h"
#include "tests/tray/desktop_session.h"
#include "tests/tray/tray_e2e_fixture.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

class TrayLinuxE2eTest : public TrayE2eTest {
 protected:
  std::unique_ptr<SessionProcess> startTray(DesktopSession& session) {
    auto env = session.environment();
    env["ASAN_OPTIONS"] = "detect_leaks=0";  // GTK and fontconfig keep their caches for ever
    return std::make_unique<SessionProcess>(
        std::vector<std::string>{buildPath("bin/cks-tray"), "--config", agent_->config(), "--state",
                                 dir_.file("tray-state/state")},
        env, dir_.file("tray.log"));
  }

  std::string trayLog() { return readFile(dir_.file("tray.log")); }

  // Occurrences of `text` in the tray's log.
  int inLog(const std::string& text) {
    const std::string log = trayLog();
    int count = 0;
    for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++count;
    return count;
  }
};

TEST_F(TrayLinuxE2eTest, PopsUpTheAgentsAlertOnceAcrossAgentAndTrayRestarts) {
  for (const char* tool : {"Xvfb", "dbus-run-session", "dunst", "dbus-monitor", "import"}) {
    ASSERT_TRUE(haveProgram(tool)) << tool << " is missing: run scripts/bootstrap.sh";
  }
  DesktopSession session(dir_.file(""));
  auto tray = startTray(session);

  // The pop-up: a Notify call carrying the agent's sentence, and the icon amber (a warning).
  ASSERT_TRUE(eventually([&] { return session.notifications(alert_.message) == 1; }, 15s))
      << trayLog() << session.monitorLog();
  EXPECT_TRUE(eventually([&] { return inLog("icon amber") == 1; }, 5s)) << trayLog();
  std::this_thread::sleep_for(500ms);  // dunst draws the bubble
  const std::string shot = artefacts_ + "/linux-notification.png";
  EXPECT_TRUE(session.screenshot(shot));
  std::cout << "screenshot of the pop-up: " << shot << std::endl;
  RecordProperty("screenshot", shot);

  // The agent is killed and started again: the tray goes grey, reconnects, re-reads the alerts
  // and does not pop the same one up again.
  ASSERT_EQ(::kill(agent_->pid(), SIGKILL), 0);
  ASSERT_TRUE(eventually([&] { return inLog("cks-agent not reachable") >= 1; }, 40s)) << trayLog();
  EXPECT_TRUE(eventually([&] { return inLog("icon grey") == 2; }, 5s)) << trayLog();
  agent_->start();
  ASSERT_TRUE(
      eventually([&] { return inLog("reconnected to cks-agent: 1 open alert(s)") == 1; }, 15s))
      << trayLog();
  EXPECT_TRUE(eventually([&] { return inLog("icon amber") == 2; }, 5s)) << trayLog();
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(session.notifications(alert_.message), 1) << session.monitorLog();

  // The tray restarts (the user logs out and in): the state file remembers the pop-up.
  EXPECT_EQ(tray->terminate(10s), 0) << trayLog();
  tray = startTray(session);
  ASSERT_TRUE(
      eventually([&] { return inLog("connected to cks-agent: 1 open alert(s)") == 3; }, 15s))
      << trayLog();
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(session.notifications(alert_.message), 1) << session.monitorLog();
  EXPECT_EQ(inLog("pop-up ("), 1) << trayLog();
  EXPECT_EQ(tray->terminate(10s), 0) << trayLog();
  std::filesystem::copy_file(dir_.file("tray.log"), artefacts_ + "/linux-tray.log",
                             std::filesystem::copy_options::overwrite_existing);
}

TEST_F(TrayLinuxE2eTest, CheckPrintsOneLineAboutTheRealAgent) {
  const auto result =
      runCommand({buildPath("bin/cks-tray"), "--config", agent_->config(), "--check"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("1 cảnh báo đang mở, mức cao nhất: Cần chú ý"), std::string::npos)
      << result.out;
  const auto english = runCommand(
      {buildPath("bin/cks-tray"), "--config", agent_->config(), "--check", "--lang", "en"});
  EXPECT_NE(english.out.find("1 open alert(s), worst: Warning"), std::string::npos) << english.out;
  // The agent stopped: exit code 3 and a sentence saying so.
  agent_->stop();
  const auto down =
      runCommand({buildPath("bin/cks-tray"), "--config", agent_->config(), "--check"});
  EXPECT_EQ(down.exit_code, 3);
  EXPECT_NE(down.err.find("Không kết nối được tới dịch vụ cks-agent"), std::string::npos)
      << down.err;
}

// Issue 15, finding 4: with the agent stopped, a local user's program listening on its port
// never receives the API secret from the tray (it proves who listens first, as cksctl does);
// the real agent proves itself.
TEST_F(TrayLinuxE2eTest, AProgramListeningInTheAgentsPlaceNeverReceivesTheSecretFromTheTray) {
  std::string secret = readFile(agent_->secretFile());
  secret.erase(secret.find_last_not_of('\n') + 1);
  ASSERT_FALSE(secret.empty());
  ASSERT_EQ(agent_->stop(), 0);
  {
    Impostor impostor(agent_->apiPort());
    const auto result =
        runCommand({buildPath("bin/cks-tray"), "--config", agent_->config(), "--check"});
    EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
    EXPECT_NE(result.err.find("127.0.0.1:" + std::to_string(agent_->apiPort())), std::string::npos)
        << result.err;
    const auto english = runCommand(
        {buildPath("bin/cks-tray"), "--config", agent_->config(), "--check", "--lang", "en"});
    EXPECT_EQ(english.exit_code, 3);
    EXPECT_NE(english.err.find("did not prove that it knows the API secret"), std::string::npos)
        << english.err;
    EXPECT_GE(impostor.connections(), 1);
    EXPECT_EQ(impostor.received().find(secret), std::string::npos) << impostor.received();
    EXPECT_NE(impostor.received().find("GET /v1/hello?nonce="), std::string::npos);
  }
  agent_->start();
  EXPECT_EQ(
      runCommand({buildPath("bin/cks-tray"), "--config", agent_->config(), "--check"}).exit_code, 0)
      << "the real agent proves itself";
}

// Issue 12, point 17: every program says its version, the tray too (no desktop needed).
TEST(TrayLinuxVersionTest, SaysItsVersionWithoutADesktop) {
  const auto result = runCommand({buildPath("bin/cks-tray"), "--version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("cks-tray ", 0), 0u) << result.out;
}

}  // namespace
}  // namespace cks::test
