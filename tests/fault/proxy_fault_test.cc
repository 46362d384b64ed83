// Faults in the network between agent and hub: a TCP proxy (tests/support/fault_proxy.h) that
// refuses connections, delays them, truncates requests, and lets a request through but loses
// the hub's answer after the hub has acted, so that the agent sends the entries again.
#include <memory>

#include "tests/fault/fault_helpers.h"
#include "tests/support/fault_proxy.h"

namespace cks::test {
namespace {

using Mode = FaultProxy::Mode;

class ProxyFaultTest : public FaultTest {
 protected:
  void SetUp() override {
    FaultTest::SetUp();
    proxy_ = std::make_unique<FaultProxy>(hub_.port());
  }

  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(ProxyFaultTest, AnAnswerLostAfterTheHubStoredTheEntriesIsResentAndStoredOnce) {
  AgentUnderTest agent(dir_.path(), "agent", agentSetup());
  agent.start();
  const auto enrolled = enroll(agent, proxy_->port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);
  const std::int64_t acked_before = hubAcked();

  changeTokens(agent, 3);
  const int waiting = agentBacklog(agent);
  ASSERT_GT(waiting, 0);
  // Exchange 1 is the pull (with TLS 1.3 the handshake's last flight too); every later answer
  // (the push, and any resend on a new connection) is lost after the hub has stored the batch.
  proxy_->setFault({.mode = Mode::DropAnswer, .exchange = 2, .count = 1000});
  const auto lost = agent.ctl({"sync"});
  EXPECT_NE(lost.exit_code, 0) << lost.out;
  EXPECT_GE(proxy_->stats().answers_dropped, 1);
  EXPECT_EQ(hubAcked(), acked_before + waiting) << "the hub stored the batch";
  EXPECT_EQ(agentBacklog(agent), waiting) << "the agent never heard so and keeps it";

  proxy_->setFault({});
  const auto resent = agent.ctl({"sync"});
  EXPECT_EQ(resent.exit_code, 0) << resent.out << resent.err;
  EXPECT_EQ(hubAcked(), acked_before + waiting);
  expectConsistent(agent);
}

TEST_F(ProxyFaultTest, APushCutShortIsNotStoredAndIsSentAgain) {
  AgentUnderTest agent(dir_.path(), "agent", agentSetup());
  agent.start();
  const auto enrolled = enroll(agent, proxy_->port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);
  const std::int64_t acked_before = hubAcked();

  // 300 bytes: the push's HTTP headers and the start of its body reach the hub, the rest never
  // does (every resend is cut the same way). Cut before the change: the agent syncs by itself
  // a few seconds after a change, and that sync must not drain the backlog either.
  proxy_->setFault(
      {.mode = Mode::TruncateRequest, .keep_bytes = 300, .exchange = 2, .count = 1000});
  changeTokens(agent, 3);
  const int waiting = agentBacklog(agent);
  ASSERT_GT(waiting, 0);
  const auto cut = agent.ctl({"sync"});
  EXPECT_NE(cut.exit_code, 0) << cut.out;
  EXPECT_GE(proxy_->stats().truncated, 1);
  EXPECT_EQ(hubAcked(), acked_before) << "the hub stored part of a request";
  EXPECT_EQ(agentBacklog(agent), waiting);

  proxy_->setFault({});
  const auto resent = agent.ctl({"sync"});
  EXPECT_EQ(resent.exit_code, 0) << resent.out << resent.err;
  EXPECT_EQ(hubAcked(), acked_before + waiting);
  expectConsistent(agent);
}

TEST_F(ProxyFaultTest, RefusedDelayedTruncatedAndLostExchangesEndInAgreement) {
  // A short timeout, so that some delays outlast it.
  AgentUnderTest agent(dir_.path(), "agent", agentSetup("2s"));
  agent.start();
  const auto enrolled = enroll(agent, proxy_->port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);

  std::map<std::string, int> outcomes;  // "fault: cksctl exit code" -> rounds
  for (int round = 0; round < rounds_; ++round) {
    changeTokens(agent, std::uniform_int_distribution<int>(1, 3)(random_));
    if (HasFatalFailure()) return;
    const auto [fault, name] = networkFault(round % 4);
    proxy_->setFault(fault);
    const auto sync = agent.ctl({"sync"});
    ++outcomes[name + ": exit " + std::to_string(sync.exit_code)];
    proxy_->setFault({});
  }
  std::string summary;
  for (const auto& [what, rounds] : outcomes)
    summary += what + " ×" + std::to_string(rounds) + "; ";
  const auto stats = proxy_->stats();
  note(summary + "proxy: " + std::to_string(stats.connections) + " connections, " +
       std::to_string(stats.refused) + " refused, " + std::to_string(stats.delayed) + " delayed, " +
       std::to_string(stats.truncated) + " truncated, " + std::to_string(stats.answers_dropped) +
       " answers lost");
  if (rounds_ >= 8) {  // each kind twice: enough for every counter to move
    EXPECT_GT(stats.refused, 0);
    EXPECT_GT(stats.delayed, 0);
    EXPECT_GT(stats.truncated, 0);
    EXPECT_GT(stats.answers_dropped, 0);
  }

  syncUntilOk(agent);
  expectConsistent(agent);
}

}  // namespace
}  // namespace cks::test
