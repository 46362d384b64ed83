// Vendor middleware crashes and hangs: the agent must report such a module, keep scanning the
// others and keep running. Uses the deliberately broken modules of tests/pkcs11/modules.
#include <gtest/gtest.h>

#include "tests/support/agent_under_test.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_modules.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

Poco::JSON::Object::Ptr moduleStatus(AgentUnderTest& agent, const std::string& path) {
  return findBy(agent.ctlObject({"status"})->getArray("modules"), "path", path);
}

TEST(AgentIsolationTest, CrashingAndHangingModulesAreReportedAndTheGoodOneIsScanned) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  const std::string serial = hsm.createToken("Văn thư");
  AgentUnderTest agent(dir.path(), "agent",
                       {.modules = {testModule("crash"), testModule("hang"), SoftHsm::kModule},
                        .probe_timeout = "2s"});
  const auto started = std::chrono::steady_clock::now();
  const auto once = agent.once();
  EXPECT_EQ(once.exit_code, 0) << once.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 6s)
      << "modules are probed in parallel: one hang costs one timeout";

  agent.start();
  const auto crash = moduleStatus(agent, testModule("crash"));
  ASSERT_TRUE(crash);
  EXPECT_EQ(crash->getValue<std::string>("outcome"), "failed");
  // SIGSEGV, or SIGABRT under AddressSanitizer.
  EXPECT_NE(crash->getValue<std::string>("detail").find("terminated by signal"), std::string::npos);
  const auto hang = moduleStatus(agent, testModule("hang"));
  ASSERT_TRUE(hang);
  EXPECT_EQ(hang->getValue<std::string>("outcome"), "timeout");
  EXPECT_EQ(moduleStatus(agent, SoftHsm::kModule)->getValue<std::string>("outcome"), "ok");
  EXPECT_TRUE(findBy(agent.ctlArray({"tokens"}), "serial", serial));

  // Scans go on; the failing modules keep the instant they started failing.
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  EXPECT_TRUE(agent.running());
  EXPECT_EQ(moduleStatus(agent, testModule("crash"))->getValue<std::string>("since"),
            crash->getValue<std::string>("since"));
  const auto text = agent.ctl({"status"});
  EXPECT_NE(text.out.find("lỗi"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("quá thời gian chờ"), std::string::npos) << text.out;
}

TEST(AgentIsolationTest, TokensBehindAFailingModuleAreNotMarkedRemoved) {
  TempDir dir;
  SoftHsm hsm(dir.path());
  const std::string serial = hsm.createToken("Chủ tịch");
  setenv("CKS_SPY_TARGET", SoftHsm::kModule, 1);
  AgentUnderTest agent(dir.path(), "agent", {.modules = {testModule("spy")}});
  ASSERT_EQ(agent.once().exit_code, 0);
  // The driver now fails to load: we do not know whether the token is still plugged in.
  setenv("CKS_SPY_TARGET", "/nonexistent/vendor-pkcs11.so", 1);
  ASSERT_EQ(agent.once().exit_code, 0);
  agent.start();
  const auto token = findBy(agent.ctlArray({"tokens"}), "serial", serial);
  ASSERT_TRUE(token);
  EXPECT_TRUE(token->getValue<bool>("present"));
  EXPECT_EQ(moduleStatus(agent, testModule("spy"))->getValue<std::string>("outcome"), "failed");
}

}  // namespace
}  // namespace cks::test
