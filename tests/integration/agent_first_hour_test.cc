// The agent's first hour on a PC, as the officer meets it: one cks-agent per store (and per
// port), cksctl for a person who is not root (the secret's group, and a clear "permission
// denied" when they are not in it), `--version` on every program, and `cksctl doctor`.
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <regex>
#include <thread>

#include "tests/support/agent_under_test.h"
#include "tests/support/impostor.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using Poco::JSON::Array;
using Poco::JSON::Object;

int lineCount(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

// `cks-agent --config FILE`, ended after 10 s if it does not stop by itself (exit 124 then).
CommandResult startSecondAgent(const std::string& config) {
  return runCommand({"timeout", "10", buildPath("bin/cks-agent"), "--config", config});
}

// The test's folder opened to others, so that a non-root user can reach its configuration (and
// be stopped by the secret's own mode, which is what the tests are about).
void openToOthers(const std::string& dir) { chmod(dir.c_str(), 0755); }

// cksctl run as the user `nobody` (group nogroup), as a records clerk would run it.
CommandResult ctlAsNobody(const AgentUnderTest& agent, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      "runuser", "-u", "nobody", "--", buildPath("bin/cksctl"), "--config", agent.config()};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

// The finding of `check` whose verdict is `verdict`, or null.
Object::Ptr finding(const Array::Ptr& findings, const std::string& check,
                    const std::string& verdict) {
  for (size_t i = 0; i < findings->size(); ++i) {
    const auto f = findings->getObject(static_cast<unsigned>(i));
    if (f->getValue<std::string>("check") == check &&
        f->getValue<std::string>("verdict") == verdict) {
      return f;
    }
  }
  return nullptr;
}

Array::Ptr doctorJson(const CommandResult& result) {
  return Poco::JSON::Parser().parse(result.out).extract<Array::Ptr>();
}

TEST(AgentFirstHourTest, EveryProgramSaysItsVersion) {
  for (const char* program : {"cks-agent", "cksctl", "cks-p11probe"}) {
    const auto result = runCommand({buildPath(std::string("bin/") + program), "--version"});
    EXPECT_EQ(result.exit_code, 0) << program << ": " << result.err;
    EXPECT_TRUE(std::regex_search(
        result.out, std::regex(std::string("^") + program + " [0-9]+\\.[0-9]+\\.[0-9]+\n$")))
        << result.out;
  }
}

TEST(AgentFirstHourTest, ASecondAgentOnTheSameStoreRefusesToStartAndTheFirstKeepsServing) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  hsm.createToken("Văn thư");
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();

  const auto took_from = std::chrono::steady_clock::now();
  const auto second = startSecondAgent(agent.config());
  EXPECT_LT(std::chrono::steady_clock::now() - took_from, 10s);
  EXPECT_EQ(second.exit_code, 2) << second.out << second.err;
  EXPECT_EQ(lineCount(second.err), 1) << second.err;
  EXPECT_NE(second.err.find(agent.store()), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("pid " + std::to_string(agent.pid())), std::string::npos) << second.err;

  // A one-off scan would write the same store: refused alike.
  const auto once = agent.once();
  EXPECT_EQ(once.exit_code, 2) << once.err;

  ASSERT_TRUE(agent.running());
  const auto status = agent.ctl({"tokens", "--json"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("Văn thư"), std::string::npos);
  agent.stop();
  // The lock goes with the process: the store is free again.
  EXPECT_EQ(agent.once().exit_code, 0);
}

TEST(AgentFirstHourTest, ASecondAgentOnTheSamePortCannotListenThere) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  AgentUnderTest first(dir.path(), "first", {.modules = {SoftHsm::kModule}});
  AgentUnderTest second(dir.path(), "second", {.modules = {SoftHsm::kModule}});
  // Another store, the first agent's port: the kernel must refuse the second listener (Poco's
  // default SO_REUSEPORT let both listen and share the requests).
  const std::regex port("\nport = [0-9]+\n");
  std::smatch first_port;
  const std::string first_ini = readFile(first.config());
  ASSERT_TRUE(std::regex_search(first_ini, first_port, port));
  writeFile(second.config(), std::regex_replace(readFile(second.config()), port, first_port.str(),
                                                std::regex_constants::format_first_only));
  first.start();

  const auto result = startSecondAgent(second.config());
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.err.find("listen on 127.0.0.1"), std::string::npos) << result.err;
  EXPECT_EQ(first.ctl({"status"}).exit_code, 0);
}

// Issue 15, review finding 4: with the agent stopped, a local user who listened on its port
// received the API secret from the next cksctl run (and could then use the API as IT staff).
// cksctl sends the secret only to a listener that proved it knows it.
TEST(AgentFirstHourTest, AProgramListeningInTheAgentsPlaceNeverReceivesTheSecret) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  hsm.createToken("Văn thư");
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(agent.stop(), 0);
  std::string secret = readFile(agent.secretFile());
  secret.erase(secret.find_last_not_of('\n') + 1);
  ASSERT_EQ(secret.size(), 64u);
  {
    Impostor impostor(agent.apiPort());
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"status"}, {"tokens", "--json"}, {"sync"}, {"scan"}}) {
      const auto result = agent.ctl(args);
      EXPECT_EQ(result.exit_code, 3) << args[0] << ": " << result.out << result.err;
      EXPECT_NE(result.err.find("127.0.0.1:" + std::to_string(agent.apiPort())), std::string::npos)
          << result.err;
    }
    EXPECT_GE(impostor.connections(), 4);
    EXPECT_EQ(impostor.received().find(secret), std::string::npos) << impostor.received();
  }
  agent.start();
  EXPECT_EQ(agent.ctl({"status"}).exit_code, 0) << "the real agent proves itself";
}

TEST(AgentFirstHourTest, ACksctlUserWhoMayNotReadTheSecretIsToldSoNotThatTheAgentIsDown) {
  TempDir dir;
  openToOthers(dir.path());
  SoftHsm hsm(dir.path());
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const std::string secret = dir.file("agent.secret");

  const auto denied = ctlAsNobody(agent, {"certs"});
  EXPECT_EQ(denied.exit_code, 2) << denied.out << denied.err;
  EXPECT_NE(denied.err.find("permission denied"), std::string::npos) << denied.err;
  EXPECT_NE(denied.err.find(secret), std::string::npos) << denied.err;
  EXPECT_NE(denied.err.find("usermod -aG cks nobody"), std::string::npos) << denied.err;
  EXPECT_EQ(denied.err.find("Không kết nối được"), std::string::npos) << denied.err;

  const auto english = ctlAsNobody(agent, {"--lang", "en", "status"});
  EXPECT_EQ(english.exit_code, 2);
  EXPECT_NE(english.err.find("Permission denied reading the local API's secret " + secret),
            std::string::npos)
      << english.err;
}

TEST(AgentFirstHourTest, TheSecretsGroupMayUseCksctlAndAnOldSecretIsHandedToIt) {
  TempDir dir;
  openToOthers(dir.path());
  SoftHsm hsm(dir.path());
  hsm.createToken("Văn thư");
  // The first start with no group: owner-only, as before the group existed.
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const std::string secret = dir.file("agent.secret");
  struct stat info {};
  ASSERT_EQ(stat(secret.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  agent.stop();

  // The install created the group since: the next start gives the secret to it.
  writeFile(agent.config(),
            std::regex_replace(readFile(agent.config()), std::regex("secret_group = \n"),
                               "secret_group = nogroup\n"));
  agent.start();
  ASSERT_EQ(stat(secret.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640u);
  const struct group* nogroup = getgrnam("nogroup");
  ASSERT_NE(nogroup, nullptr);
  EXPECT_EQ(info.st_gid, nogroup->gr_gid);

  const auto clerk = ctlAsNobody(agent, {"tokens"});
  EXPECT_EQ(clerk.exit_code, 0) << clerk.err;
  EXPECT_NE(clerk.out.find("Văn thư"), std::string::npos) << clerk.out;
}

TEST(AgentFirstHourTest, DoctorSaysWhatIsWrongAndHowToFixIt) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  hsm.createToken("Văn thư");
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  const std::string good_ini = readFile(agent.config());
  const std::string missing_module = dir.file("no-such-pkcs11.so");
  writeFile(agent.config(), std::regex_replace(good_ini, std::regex("\nmodules = ([^\n]*)\n"),
                                               "\nmodules = $1, " + missing_module + "\n"));

  // The agent has never run (it would not, with that module): the configuration and each
  // module are judged all the same.
  const auto before = agent.ctl({"doctor", "--json"});
  EXPECT_EQ(before.exit_code, 1) << before.err;
  const auto early = doctorJson(before);
  EXPECT_TRUE(finding(early, "config", "problem")) << before.out;
  EXPECT_TRUE(finding(early, "module", "ok")) << before.out;
  const auto missing = finding(early, "module", "problem");
  ASSERT_TRUE(missing) << before.out;
  EXPECT_NE(missing->getValue<std::string>("message").find(missing_module), std::string::npos);
  EXPECT_NE(missing->getValue<std::string>("fix").find("[pkcs11] modules"), std::string::npos);
  EXPECT_TRUE(finding(early, "secret", "problem")) << before.out;
  EXPECT_TRUE(finding(early, "store", "problem")) << before.out;
  const auto text = agent.ctl({"doctor"});
  EXPECT_NE(text.out.find("[LỖI] Mô-đun PKCS#11 " + missing_module), std::string::npos) << text.out;

  writeFile(agent.config(), good_ini);
  agent.start();
  const auto running = agent.ctl({"doctor"});
  EXPECT_EQ(running.exit_code, 1) << running.err;
  EXPECT_NE(running.out.find("[ĐẠT] Mô-đun PKCS#11"), std::string::npos) << running.out;
  EXPECT_NE(running.out.find("Chưa đăng ký với hub của tỉnh"), std::string::npos) << running.out;
  EXPECT_NE(running.out.find("Cách sửa: xin Sở KH&CN mã đăng ký"), std::string::npos)
      << running.out;
  const auto findings = doctorJson(agent.ctl({"doctor", "--json"}));
  EXPECT_TRUE(finding(findings, "agent", "ok"));
  EXPECT_TRUE(finding(findings, "store", "ok"));
  EXPECT_TRUE(finding(findings, "secret", "ok"));
  EXPECT_TRUE(finding(findings, "enrolment", "problem"));

  const auto english = agent.ctl({"doctor", "--lang", "en"});
  EXPECT_NE(english.out.find("Not enrolled with the province's hub."), std::string::npos)
      << english.out;
  EXPECT_NE(english.out.find("problem(s) to fix"), std::string::npos) << english.out;

  // Stopped: said, with the way to start it; the store is checked directly.
  agent.stop();
  const auto stopped = doctorJson(agent.ctl({"doctor", "--json"}));
  const auto down = finding(stopped, "agent", "problem");
  ASSERT_TRUE(down);
  EXPECT_NE(down->getValue<std::string>("fix").find("systemctl start cks-agent"),
            std::string::npos);
  EXPECT_TRUE(finding(stopped, "store", "ok"));
}

TEST(AgentFirstHourTest, DoctorAsAUserWhoMayNotReadTheSecretSaysSo) {
  TempDir dir;
  openToOthers(dir.path());
  SoftHsm hsm(dir.path());
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto result = ctlAsNobody(agent, {"doctor"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("permission denied"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("sudo usermod -aG cks nobody"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace cks::test
