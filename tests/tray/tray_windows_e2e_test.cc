// cks-tray.exe (mingw-w64) under wine against the real agent: `--check` reaches the agent's
// local API through wine's WinHTTP, and the tray UI (notification icon, balloon) starts under
// Xvfb, shows the alert and leaves cleanly. Skipped only when the cross compiler or wine is
// missing.
#include <filesystem>
#include <thread>

#include "tests/support/process.h"
#include "tests/tray/desktop_session.h"
#include "tests/tray/tray_e2e_fixture.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

class TrayWindowsE2eTest : public TrayE2eTest {
 protected:
  void SetUp() override {
    exe_ = buildPath("windows/cks-tray.exe");
    if (!std::filesystem::exists(exe_)) {
      GTEST_SKIP() << "cks-tray.exe was not built (x86_64-w64-mingw32-g++-posix is not installed)";
    }
    if (!haveProgram("wine")) GTEST_SKIP() << "wine is not installed";
    TrayE2eTest::SetUp();
    // One prefix per build directory, kept: creating one costs ~6 s.
    prefix_ = buildPath("test-artifacts/tray/wineprefix");
    env_ = {
        {"WINEPREFIX", prefix_}, {"WINEDEBUG", "-all"}, {"WINEDLLOVERRIDES", "mscoree,mshtml="}};
  }

  void TearDown() override {
    if (!prefix_.empty()) runShell("WINEPREFIX='" + prefix_ + "' wineserver -k 2>/dev/null");
  }

  std::string exe_;
  std::string prefix_;
  std::map<std::string, std::string> env_;
};

TEST_F(TrayWindowsE2eTest, ChecksTheAgentAndRunsItsTrayUnderWine) {
  // The display first: wine's desktop process, started by the first program of the prefix,
  // serves every later one.
  DesktopSession session(dir_.file(""));
  auto env = env_;
  env["DISPLAY"] = session.display();
  const std::string config = windowsPath(agent_->config());
  {
    SessionProcess check({"wine", exe_, "--config", config, "--check"}, env,
                         dir_.file("wine-check.log"));
    EXPECT_EQ(check.wait(60s), 0) << readFile(dir_.file("wine-check.log"));
  }
  const std::string check_log = readFile(dir_.file("wine-check.log"));
  EXPECT_NE(check_log.find("trên máy PC-VANTHU: 1 cảnh báo đang mở, mức cao nhất: Cần chú ý"),
            std::string::npos)
      << check_log;

  const std::string log = dir_.file("wine-tray.log");
  SessionProcess tray({"wine", exe_, "--config", config, "--state",
                       windowsPath(dir_.file("wine-state.txt")), "--quit-after", "6"},
                      env, log);
  ASSERT_TRUE(
      eventually([&] { return readFile(log).find("pop-up (warning") != std::string::npos; }, 30s))
      << readFile(log);
  EXPECT_NE(readFile(log).find(alert_.message), std::string::npos) << readFile(log);
  EXPECT_TRUE(
      eventually([&] { return readFile(log).find("icon amber") != std::string::npos; }, 5s));
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(tray.running()) << readFile(log);
  const std::string shot = artefacts_ + "/windows-balloon.png";
  EXPECT_TRUE(session.screenshot(shot));
  std::cout << "screenshot of the balloon under wine: " << shot << std::endl;
  RecordProperty("screenshot", shot);

  EXPECT_EQ(tray.wait(30s), 0) << readFile(log);
  const std::string text = readFile(log);
  EXPECT_NE(text.find("stopped"), std::string::npos) << text;
  EXPECT_EQ(text.find("Unhandled"), std::string::npos) << text;  // wine's crash report
  // The state file (written through wine) remembers the pop-up for the next start.
  EXPECT_NE(readFile(dir_.file("wine-state.txt")).find("popped " + alert_.uuid), std::string::npos);
  std::filesystem::copy_file(log, artefacts_ + "/windows-tray.log",
                             std::filesystem::copy_options::overwrite_existing);
}

}  // namespace
}  // namespace cks::test
