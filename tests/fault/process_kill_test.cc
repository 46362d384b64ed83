// Faults: the agent, or the hub, killed with SIGKILL at a random moment of a sync, round after
// round, and restarted. Whatever the moment (mid-push, mid-transaction, between the hub's commit
// and the agent's acknowledgement), the outbox and the hub's idempotent store must end in
// agreement.
#include <signal.h>

#include <algorithm>
#include <functional>
#include <future>
#include <thread>

#include "tests/fault/fault_helpers.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// Small batches: a sync of a round's 1–4 entries is several pushes, so a kill can fall between
// them, and a resend after a kill can overlap what the hub already holds (entries 5–6 stored,
// then 5–7 sent).
constexpr char kSmallBatches[] = "[hub]\nbatch = 3\n";

class ProcessKillFaultTest : public FaultTest {
 protected:
  // Rounds of: change the tokens, start `cksctl sync`, `kill` at a random moment, `revive`.
  void killRounds(AgentUnderTest& agent, const std::function<void()>& kill,
                  const std::function<void()>& revive, const std::string& victim) {
    const milliseconds window = killWindow(agent);
    std::uniform_int_distribution<int> flips(1, 4);
    std::uniform_int_distribution<int> moment(0, int(window.count()));
    int interrupted = 0;
    int resent = 0;  // rounds after which the hub held entries the agent had to send again
    for (int round = 0; round < rounds_; ++round) {
      changeTokens(agent, flips(random_));
      if (HasFatalFailure()) return;
      const milliseconds delay(moment(random_));
      auto sync = std::async(std::launch::async, [&agent] { return agent.ctl({"sync"}); });
      std::this_thread::sleep_for(delay);
      kill();
      if (sync.get().exit_code != 0) ++interrupted;
      revive();
      const std::int64_t front = agentOutboxFront(agent.store());
      if (front > 0 && hubAcked() >= front) ++resent;
    }
    note(victim + " killed 0–" + std::to_string(window.count()) + " ms into each sync; " +
         std::to_string(interrupted) + " of " + std::to_string(rounds_) +
         " syncs did not finish, " + std::to_string(resent) +
         " left the hub holding entries the agent had to send again");
  }
};

TEST_F(ProcessKillFaultTest, AnAgentKilledAtRandomMomentsOfItsSyncsEndsInAgreementWithTheHub) {
  AgentUnderTest agent(dir_.path(), "agent", agentSetup("10s", kSmallBatches));
  agent.start();
  const auto enrolled = enroll(agent, hub_.port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);

  killRounds(
      agent, [&] { ASSERT_EQ(::kill(agent.pid(), SIGKILL), 0); },
      [&] {
        (void)agent.stop();  // reaps the killed process
        agent.start();
      },
      "the agent");
  if (HasFatalFailure()) return;

  syncUntilOk(agent);
  expectConsistent(agent);
}

TEST_F(ProcessKillFaultTest, AHubKilledAtRandomMomentsOfSyncsEndsInAgreementWithTheAgent) {
  AgentUnderTest agent(dir_.path(), "agent", agentSetup("10s", kSmallBatches));
  agent.start();
  const auto enrolled = enroll(agent, hub_.port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);

  killRounds(
      agent, [&] { hub_process_.kill9(); },
      [&] { hub_process_.start(); },  // the same port: the agent's URL still leads to it
      "the hub");
  if (HasFatalFailure()) return;

  syncUntilOk(agent);
  expectConsistent(agent);
}

}  // namespace
}  // namespace cks::test
