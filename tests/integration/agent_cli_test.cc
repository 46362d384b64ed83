// The command-line contract of cks-agent and cksctl: exit codes, one clear line for bad
// configuration, clean and quick stop, the local API's secret, and fast detection of tokens.
#include <sys/stat.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include "agent/local_api_client.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_modules.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

int lineCount(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

TEST(AgentCliTest, CksctlSaysSoWhenTheAgentIsNotRunning) {
  TempDir dir;
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  const auto never_started = agent.ctl({"certs"});
  EXPECT_EQ(never_started.exit_code, 3);
  EXPECT_NE(never_started.err.find("cks-agent"), std::string::npos) << never_started.err;
  EXPECT_NE(never_started.err.find("Không kết nối được"), std::string::npos);

  SoftHsm hsm(dir.path());
  agent.start();
  EXPECT_EQ(agent.ctl({"status"}).exit_code, 0);
  agent.stop();
  const auto stopped = agent.ctl({"tokens", "--json"});
  EXPECT_EQ(stopped.exit_code, 3);
  EXPECT_TRUE(stopped.out.empty());
  const auto english = agent.ctl({"--lang", "en", "status"});
  EXPECT_NE(english.err.find("Cannot reach the cks-agent service"), std::string::npos);
}

TEST(AgentCliTest, ConfigMayStandAnywhereOnTheLine) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  hsm.createToken("Văn thư");
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto after =
      runCommand({buildPath("bin/cksctl"), "tokens", "--json", "--config", agent.config()});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  const auto inline_form =
      runCommand({buildPath("bin/cksctl"), "tokens", "--config=" + agent.config()});
  EXPECT_EQ(inline_form.exit_code, 0) << inline_form.err;
  EXPECT_NE(inline_form.out.find("Văn thư"), std::string::npos);
}

TEST(AgentCliTest, CksctlRefusesBadUsageWithExitTwo) {
  TempDir dir;
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  EXPECT_EQ(agent.ctl({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(agent.ctl({"certs", "--expiring", "soon"}).exit_code, 2);
  EXPECT_EQ(agent.ctl({"certs", "--lang", "fr"}).exit_code, 2);
  EXPECT_EQ(agent.ctl({"--bogus", "certs"}).exit_code, 2);
  EXPECT_EQ(runCommand({buildPath("bin/cksctl")}).exit_code, 2);
  const auto missing =
      runCommand({buildPath("bin/cksctl"), "--config", dir.file("none.ini"), "certs"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("none.ini"), std::string::npos) << missing.err;
}

struct BadConfig {
  std::string name;
  std::string ini;       // the file's text; MODULE and DIR are replaced
  std::string expected;  // what its one line must mention
};

class AgentBadConfigTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(AgentBadConfigTest, StopsWithOneClearLineAndExitTwo) {
  TempDir dir;
  auto fill = [&](std::string text) {
    for (auto [from, to] : {std::pair<std::string, std::string>{"MODULE", SoftHsm::kModule},
                            {"DIR", dir.path().string()}}) {
      for (size_t at; (at = text.find(from)) != std::string::npos;)
        text.replace(at, from.size(), to);
    }
    return text;
  };
  const std::string ini = fill(GetParam().ini);
  const std::string expected = fill(GetParam().expected);
  const std::string config = dir.file("agent.ini");
  writeFile(config, ini);
  const auto result = runCommand({buildPath("bin/cks-agent"), "--config", config});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(lineCount(result.err), 1) << result.err;
  EXPECT_NE(result.err.find(config), std::string::npos) << "names the file: " << result.err;
  EXPECT_NE(result.err.find(expected), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("agent.db"))) << "nothing started";
  EXPECT_EQ(runCommand({buildPath("bin/cks-agent"), "--config", config, "--once"}).exit_code, 2);
}

INSTANTIATE_TEST_SUITE_P(
    EachKindOfMistake, AgentBadConfigTest,
    ::testing::Values(
        BadConfig{
            "UnknownKey", "[pkcs11]\nmodules = MODULE\n[scan]\nintervall = 5m\n",
            ":4: [scan] intervall: không có mục này (các mục của [scan]: interval, slot_events)"},
        BadConfig{"UnknownSection", "[pkcs11]\nmodules = MODULE\n[sacn]\ninterval = 5m\n",
                  "[sacn]: không có nhóm này"},
        BadConfig{"BadDuration", "[pkcs11]\nmodules = MODULE\n[scan]\ninterval = often\n",
                  "[scan] interval: giá trị \"often\" không hợp lệ"},
        BadConfig{"TooShortInterval", "[pkcs11]\nmodules = MODULE\n[scan]\ninterval = 1s\n",
                  "ít nhất 5s"},
        BadConfig{"BadPort", "[pkcs11]\nmodules = MODULE\n[api]\nport = 70000\n",
                  "[api] port: giá trị \"70000\" không hợp lệ (cần một cổng TCP từ 1 đến 65535)"},
        BadConfig{"BadBoolean", "[pkcs11]\nmodules = MODULE\nuse_p11kit = maybe\n",
                  "[pkcs11] use_p11kit: giá trị \"maybe\" không hợp lệ (cần true hoặc false)"},
        BadConfig{"BadLanguage", "[agent]\nlanguage = fr\n[pkcs11]\nmodules = MODULE\n",
                  "[agent] language: giá trị \"fr\" không hợp lệ (cần vi hoặc en)"},
        BadConfig{"MissingModuleFile", "[pkcs11]\nmodules = MODULE, DIR/vendor/libfake.so\n",
                  ":2: [pkcs11] modules: DIR/vendor/libfake.so: không có tệp này"},
        BadConfig{"NoModuleAtAll", "[store]\npath = DIR/agent.db\n",
                  "[pkcs11] modules: chưa khai báo thư viện PKCS#11 nào"},
        BadConfig{"NotKeyValue", "[pkcs11]\nmodules = MODULE\nthis is not a setting\n",
                  ":3: cần dạng 'mục = giá trị'"},
        BadConfig{"KeySetTwice", "[pkcs11]\nmodules = MODULE\nmodules = MODULE\n",
                  "đặt hai lần (lần đầu ở dòng 2)"},
        // The officer who chose English in the file reads the problem in English.
        BadConfig{
            "InTheFilesLanguage",
            "[agent]\nlanguage = en\n[pkcs11]\nmodules = MODULE\n[scan]\nintervall = 5m\n",
            ":6: [scan] intervall: unknown key (known keys in [scan]: interval, slot_events)"}),
    [](const auto& test_info) { return test_info.param.name; });

TEST(AgentCliTest, MissingConfigFileIsAConfigurationError) {
  TempDir dir;
  const auto result = runCommand({buildPath("bin/cks-agent"), "--config", dir.file("nope.ini")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(lineCount(result.err), 1) << result.err;
  EXPECT_NE(result.err.find(dir.file("nope.ini") + ": không có tệp này"), std::string::npos)
      << result.err;
  EXPECT_EQ(runCommand({buildPath("bin/cks-agent"), "--frobnicate"}).exit_code, 2);
}

TEST(AgentCliTest, SigtermStopsTheAgentCleanlyWithinTwoSeconds) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  hsm.createToken("Văn thư");
  setenv("CKS_SPY_TARGET", SoftHsm::kModule, 1);
  AgentUnderTest agent(dir.path(), "agent",
                       {.modules = {SoftHsm::kModule, testModule("spy")}, .slot_events = true});
  agent.start();
  std::chrono::milliseconds took{};
  EXPECT_EQ(agent.stop(5s, &took), 0);
  EXPECT_LT(took, 2s);
  EXPECT_NE(readFile(agent.log()).find("cks-agent stopped"), std::string::npos);
}

TEST(AgentCliTest, SigtermDuringAHangingScanStillStopsWithinTwoSeconds) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  AgentUnderTest agent(
      dir.path(), "agent",
      {.modules = {testModule("hang")}, .probe_timeout = "60s", .wait_for_first_scan = false});
  agent.start();
  std::this_thread::sleep_for(300ms);  // the first scan is now stuck in the hanging module
  std::chrono::milliseconds took{};
  EXPECT_EQ(agent.stop(5s, &took), 0);
  EXPECT_LT(took, 2s);
}

TEST(AgentCliTest, LocalApiNeedsTheSecretAndTheSecretFileIsPrivate) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  AgentUnderTest agent(dir.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  struct stat info {};
  ASSERT_EQ(stat(dir.file("agent.secret").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  const std::string ini = readFile(agent.config());
  const auto port_at = ini.find("port = ") + 7;
  const int port = std::stoi(ini.substr(port_at, ini.find('\n', port_at) - port_at));
  // The agent refuses a wrong secret or none (sent as a client that skips GET /v1/hello would).
  auto ask = [&](const std::string& path, const std::string& bearer) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!bearer.empty()) request.set("Authorization", "Bearer " + bearer);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    return std::pair{int(response.getStatus()), body};
  };
  const auto wrong = ask("/v1/certificates", std::string(64, 'a'));
  EXPECT_EQ(wrong.first, 401);
  EXPECT_EQ(wrong.second.find("fingerprint"), std::string::npos);
  EXPECT_EQ(ask("/v1/tokens", "").first, 401);
  // cksctl's client with a wrong secret does not even send it: the agent's proof does not match.
  const auto refused =
      agent::LocalApiClient(port, std::string(64, 'a')).request("GET", "/v1/certificates", 5s);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("did not prove"), std::string::npos)
      << refused.error().message;
}

TEST(AgentCliTest, SlotEventsBringANewTokenInWithoutWaitingForTheScanInterval) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  hsm.createToken("Văn thư");
  setenv("CKS_SPY_TARGET", SoftHsm::kModule, 1);
  AgentUnderTest agent(
      dir.path(), "agent",
      {.modules = {testModule("spy")}, .scan_interval = "1h", .slot_events = true});
  agent.start();
  ASSERT_TRUE(eventually([&] { return agent.ctlArray({"tokens"})->size() == 1; }, 5s));
  const std::string serial = hsm.createToken("Cán bộ mới");
  EXPECT_TRUE(eventually(
      [&] { return findBy(agent.ctlArray({"tokens"}), "serial", serial) != nullptr; }, 8s))
      << readFile(agent.log());
}

}  // namespace
}  // namespace cks::test
