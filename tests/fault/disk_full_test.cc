// A full disk under the agent's store (issue 15, "Disk full and I/O errors"): a real tmpfs of
// 2 MB (tests/support/small_disk.h, needs root) filled to the last byte while the agent runs.
// A scan is refused with an error naming the store, nothing recorded before is lost, the agent
// keeps answering from what it holds, and its own timer records the change once space is back.
#include "tests/fault/fault_helpers.h"
#include "tests/support/small_disk.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

class DiskFullFaultTest : public FaultTest {
 protected:
  // Whether the agent lists the certificate of token `label` as on a plugged-in token.
  bool shownPresent(AgentUnderTest& agent, const std::string& label) {
    const auto tokens = agent.ctlArray({"tokens"});
    for (unsigned i = 0; i < tokens->size(); ++i) {
      const auto token = tokens->getObject(i);
      if (token->getValue<std::string>("label") == label) return token->getValue<bool>("present");
    }
    return false;
  }
};

TEST_F(DiskFullFaultTest, AFullDiskRefusesTheScanNamingTheStoreAndTheAgentResumesByItself) {
  SmallDisk disk(dir_.file("store-disk"), 2 * 1024 * 1024);
  auto setup = agentSetup();
  setup.store = disk.folder() + "/agent.db";
  setup.scan_interval = "5s";  // "by itself": the timer's scan, nobody runs cksctl scan again
  AgentUnderTest agent(dir_.path(), "agent", setup);
  agent.start();
  const auto enrolled = enroll(agent, hub_.port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);
  const auto certificates = certificateView(agent.ctlArray({"certs"}));
  const auto tokens = tokenView(agent.ctlArray({"tokens"}));

  disk.fill();
  const std::string& label = token_labels_[0];
  hsm_.unplug(label);
  plugged_[label] = false;
  const auto refused = agent.ctl({"scan"});
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  EXPECT_NE(refused.err.find(setup.store + ": database or disk is full"), std::string::npos)
      << refused.err;
  EXPECT_EQ(refused.err.find('{'), std::string::npos) << "a sentence, not JSON: " << refused.err;
  EXPECT_NE(tail(agent.log()).find(setup.store), std::string::npos) << tail(agent.log());

  // It answers from what it holds, all of it: the inventory as last recorded.
  EXPECT_EQ(certificateView(agent.ctlArray({"certs"})), certificates);
  EXPECT_EQ(tokenView(agent.ctlArray({"tokens"})), tokens);
  EXPECT_EQ(agent.ctl({"status"}).exit_code, 0);
  EXPECT_TRUE(shownPresent(agent, label));

  disk.free();
  EXPECT_TRUE(eventually([&] { return !shownPresent(agent, label); }, 20s))
      << "the timer's scan did not record the unplugged token once there was room\n"
      << tail(agent.log());
  EXPECT_EQ(integrityCheck(agent.store()), "ok");
  syncUntilOk(agent);
  expectConsistent(agent);
}

}  // namespace
}  // namespace cks::test
