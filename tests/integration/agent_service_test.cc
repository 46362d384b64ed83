// How the agent behaves as a service: what it tells systemd (a real notification socket that
// the test listens on, as systemd would), where it logs, p11-kit's registered modules, and what
// a local user cannot do to it (issue 15: its files' modes, its log kept up to a kill -9, its
// memory under an endless request body).
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
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

// A process's peak resident memory (VmHWM), in KiB.
long peakMemoryKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// The permission bits of `path` (-1 when it does not exist).
int modeOf(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 ? int(info.st_mode & 07777) : -1;
}

// POSTs a chunked body of `total` bytes (never announced by a Content-Length) to `path` on
// 127.0.0.1:`port`, and returns whatever answer came, read as soon as the server sends it (a
// server that stops reading answers early and closes).
std::string postChunked(int port, const std::string& path, const std::string& secret,
                        std::size_t total) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(std::uint16_t(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return "";
  }
  std::string answer;
  auto receive = [&](int wait_ms) {
    pollfd readable{fd, POLLIN, 0};
    char buffer[4096];
    while (poll(&readable, 1, wait_ms) == 1) {
      const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return true;
      answer.append(buffer, size_t(n));
    }
    return !answer.empty();
  };
  const std::string head =
      "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + secret +
      "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string chunk = "100000\r\n" + std::string(0x100000, 'a') + "\r\n";  // 1 MiB
  bool open = send(fd, head.data(), head.size(), MSG_NOSIGNAL) == ssize_t(head.size());
  for (std::size_t sent = 0; open && sent < total; sent += 0x100000) {
    for (std::size_t at = 0; open && at < chunk.size();) {
      const ssize_t n = send(fd, chunk.data() + at, chunk.size() - at, MSG_NOSIGNAL);
      open = n > 0;
      at += n > 0 ? size_t(n) : 0;
    }
    if (receive(0)) break;
  }
  if (open) (void)send(fd, "0\r\n\r\n", 5, MSG_NOSIGNAL);
  receive(10000);
  close(fd);
  return answer;
}

// Issue 15, review finding 6: a chunked body has no Content-Length to refuse it by, and the API
// read it whole (300 MB took the agent to 550 MB). It reads one byte past the endpoint's limit,
// answers 413 and lets the rest go.
TEST(AgentServiceTest, AnEndlessChunkedBodyIs413AndTheAgentsMemoryDoesNotFollowIt) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const long before = peakMemoryKib(agent.pid());
  ASSERT_GT(before, 0);
  std::string secret = readFile(agent.secretFile());
  secret.erase(secret.find_last_not_of("\n") + 1);
  const std::string answer =
      postChunked(agent.apiPort(), "/v1/requests", secret, std::size_t(200) << 20);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 300);
  EXPECT_NE(answer.find("too_large"), std::string::npos) << answer.substr(0, 300);
  const long after = peakMemoryKib(agent.pid());
  EXPECT_LT(after - before, 32 * 1024)
      << "peak memory went from " << before << " KiB to " << after << " KiB";
  EXPECT_EQ(agent.ctl({"status"}).exit_code, 0) << "the agent goes on answering";
}

// Issue 15, review finding 7: the log file was written through a buffer, so the lines that
// explain a crash were the ones lost with it. Warnings and errors reach the file at once.
TEST(AgentServiceTest, AWarningIsInTheLogFileEvenWhenTheAgentIsKilledRightAfter) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  const std::string broken = dir.file("broken-pkcs11.so");
  writeFile(broken, "not a PKCS#11 module\n");
  AgentUnderTest agent(dir.path(), "agent",
                       {.modules = {broken},
                        .extra = "file = " + dir.file("agent-file.log") + "\nconsole = false\n"});
  // Few lines, so that no buffer fills up and flushes them by chance.
  writeFile(agent.config(), std::regex_replace(readFile(agent.config()),
                                               std::regex("level = debug"), "level = information"));
  agent.start();
  // The warning is logged right after the first scan is recorded, which start() waits for.
  const bool warned = eventually(
      [&] {
        return readFile(dir.file("agent-file.log")).find("module " + broken) != std::string::npos;
      },
      2s);
  ASSERT_EQ(kill(agent.pid(), SIGKILL), 0);
  agent.stop();
  EXPECT_TRUE(warned);
  const std::string log = readFile(dir.file("agent-file.log"));
  EXPECT_NE(log.find(" Warning module " + broken), std::string::npos) << log;
}

// Issue 15, review finding 10: started by hand (no systemd UMask), the agent created its store
// and log readable by everyone (0644). They hold the inventory and the agency's requests.
TEST(AgentServiceTest, ItsStoreAndLogAreItsOwnersOnlyWhateverTheUmask) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  hsm.createToken("Văn thư");
  const mode_t umask_before = umask(022);
  AgentUnderTest agent(
      dir.path(), "agent",
      {.modules = {SoftHsm::kModule}, .extra = "file = " + dir.file("logs/agent.log") + "\n"});
  std::filesystem::create_directories(dir.file("logs"));
  agent.start();
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  umask(umask_before);
  for (const std::string& file : {agent.store(), agent.store() + "-wal", agent.store() + "-shm",
                                  dir.file("logs/agent.log")}) {
    EXPECT_EQ(modeOf(file), 0600) << file;
  }
}

}  // namespace
}  // namespace cks::test
