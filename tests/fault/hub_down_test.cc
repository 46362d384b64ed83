// Fault: the hub is down for a whole agent session (the agent restarts in between, changes pile
// up in the outbox), then comes back.
#include "tests/fault/fault_helpers.h"

namespace cks::test {
namespace {

using HubDownFaultTest = FaultTest;

TEST_F(HubDownFaultTest, AnAgentSessionWithoutTheHubIsShippedWhenTheHubIsBack) {
  AgentUnderTest agent(dir_.path(), "agent", agentSetup());
  agent.start();
  const auto enrolled = enroll(agent, hub_.port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);

  hub_process_.kill9();
  ASSERT_EQ(agent.stop(), 0);
  agent.start();  // a session that never sees the hub
  for (int i = 0; i < 5; ++i) {
    changeTokens(agent, 1);
    if (HasFatalFailure()) return;
    const auto offline = agent.ctl({"sync"});
    EXPECT_EQ(offline.exit_code, 4) << offline.out << offline.err;
  }
  const int waiting = agentBacklog(agent);
  EXPECT_GE(waiting, 5);
  ASSERT_EQ(agent.stop(), 0);
  agent.start();  // the outbox survives a restart
  EXPECT_GE(agentBacklog(agent), waiting);
  changeTokens(agent, 2);
  EXPECT_EQ(agent.ctl({"sync"}).exit_code, 4);
  note(std::to_string(agentBacklog(agent)) + " entries waited for the hub");

  hub_process_.start();
  syncUntilOk(agent);
  expectConsistent(agent);
}

}  // namespace
}  // namespace cks::test
