// How the agent behaves as a service: what it tells systemd (a real notification socket that
// the test listens on, as systemd would), where it logs, and p11-kit's registered modules.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <regex>

#include "tests/support/agent_under_test.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

// The receiving end of NOTIFY_SOCKET.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("bind " + path);
    }
    timeval timeout{0, 100000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~NotifySocket() { close(fd_); }

  // Every datagram received within `span`.
  std::vector<std::string> receive(std::chrono::milliseconds span) {
    std::vector<std::string> messages;
    const auto until = std::chrono::steady_clock::now() + span;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < until) {
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n > 0) messages.emplace_back(buffer, size_t(n));
    }
    return messages;
  }

 private:
  int fd_;
};

int countContaining(const std::vector<std::string>& messages, const std::string& text) {
  int count = 0;
  for (const auto& message : messages) count += message.find(text) != std::string::npos;
  return count;
}

TEST(AgentServiceTest, TellsSystemdItIsReadyItsCountsAndThatItIsAlive) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  hsm.createToken("Văn thư");
  NotifySocket notify(dir.file("notify"));
  setenv("NOTIFY_SOCKET", dir.file("notify").c_str(), 1);
  setenv("WATCHDOG_USEC", "400000", 1);  // systemd's WatchdogSec=0.4s: a ping every 200 ms
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto running = notify.receive(1500ms);
  ASSERT_GE(countContaining(running, "READY=1"), 1);
  EXPECT_GE(countContaining(running, "WATCHDOG=1"), 4) << "pings at half the watchdog interval";
  EXPECT_GE(countContaining(running, "STATUS=1/1 tokens present, 0 certificates"), 1)
      << "the status after the first scan carries the counts";
  EXPECT_EQ(agent.stop(), 0);
  EXPECT_GE(countContaining(notify.receive(300ms), "STOPPING=1"), 1);
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");
}

TEST(AgentServiceTest, WritesItsLogToTheConfiguredFile) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  AgentUnderTest agent(dir.path(), "agent",
                       {.modules = {SoftHsm::kModule},
                        .extra = "file = " + dir.file("logs/agent.log") + "\nconsole = false\n"});
  std::filesystem::create_directories(dir.file("logs"));
  agent.start();
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  agent.stop();
  const std::string log = readFile(dir.file("logs/agent.log"));
  EXPECT_NE(log.find("started on PC-VANTHU"), std::string::npos) << log;
  EXPECT_NE(log.find("scan: "), std::string::npos);
  EXPECT_NE(log.find("cks-agent stopped"), std::string::npos);
  EXPECT_EQ(readFile(agent.log()).find("scan: "), std::string::npos) << "console logging is off";
}

TEST(AgentServiceTest, ScansTheModulesRegisteredWithP11Kit) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  const std::string serial = hsm.createToken("Văn thư");
  // Debian's softhsm2 package registers its module with p11-kit, as token vendors' packages do.
  const auto listed = runCommand({buildPath("bin/cks-p11probe"), "--registered-modules"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  ASSERT_NE(listed.out.find("libsofthsm2.so"), std::string::npos) << listed.out;

  // No module configured: p11-kit's registry is the only source.
  AgentUnderTest agent(dir.path(), "agent", {.modules = {}});
  writeFile(agent.config(), std::regex_replace(readFile(agent.config()), std::regex("modules = \n"),
                                               "modules =\nuse_p11kit = true\n"));
  const auto once = agent.once();
  ASSERT_EQ(once.exit_code, 0) << once.err;
  agent.start();
  EXPECT_TRUE(findBy(agent.ctlArray({"tokens"}), "serial", serial));
  const auto modules = agent.ctlObject({"status"})->getArray("modules");
  EXPECT_GE(modules->size(), 1u) << "status lists the registered modules it scanned";
}

TEST(AgentServiceTest, FirstStartCreatesTheStoreFolder) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  AgentUnderTest agent(dir.path(), "agent",
                       {.modules = {SoftHsm::kModule},
                        .extra = "[store]\npath = " + dir.file("state/cks/agent.db") + "\n"});
  // The generated [store] section comes first; point it at the new folder instead.
  writeFile(agent.config(),
            std::regex_replace(readFile(agent.config()), std::regex("\\[store\\]\npath = [^\n]*\n"),
                               "", std::regex_constants::format_first_only));
  const auto once = agent.once();
  ASSERT_EQ(once.exit_code, 0) << once.err;
  EXPECT_TRUE(std::filesystem::exists(dir.file("state/cks/agent.db")));
}

}  // namespace
}  // namespace cks::test
