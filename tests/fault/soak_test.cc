// Soak (issue 15): round after round of what an agency's PC lives through, on each database of
// the hub. Every round changes something (tokens unplugged and plugged back, a renewal filed or
// cancelled), then syncs through a fault: the agent or the hub killed with SIGKILL at a random
// moment of the sync, or the network refusing, delaying, cutting a request short, or losing the
// hub's answer after the hub acted, so that the agent sends the same entries again (a TLS
// stream cannot be replayed as it is: a resend is how a duplicate reaches the hub). After every
// round the hub and the agent must agree: the same certificates, tokens and requests, each
// entry stored once, both stores sound (FaultTest::expectAgreement).
// CI runs a few rounds per database (CKS_FAULT_ROUNDS, default kCiRounds); bench/soak.sh runs
// thousands and records them in bench/README.md.
#include <signal.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <future>
#include <iterator>
#include <map>
#include <thread>

#include "tests/fault/fault_helpers.h"
#include "tests/hub/store_backend.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

// About 2 s a round on SQLite and 3 s on PostgreSQL here: CI's share stays well under a minute.
constexpr int kCiRounds = 8;

class SoakTest : public FaultTest, public ::testing::WithParamInterface<StoreBackend> {
 protected:
  SoakTest() : FaultTest(HubSetup{.store_url = storeUrlFor(GetParam())}, kCiRounds) {}

  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
    FaultTest::SetUp();
    proxy_ = std::make_unique<FaultProxy>(hub_.port());
  }

  // Files a renewal for a random certificate that has none open and can be renewed; a third of them
  // are cancelled at once, before they leave the PC (once the province holds a request, only it can
  // end it). The filing and the cancellation travel in the outbox with the inventory.
  void fileARequest(AgentUnderTest& agent) {
    const auto certificates = agent.ctlArray({"certs"});
    std::vector<std::string> free;
    for (unsigned i = 0; i < certificates->size(); ++i) {
      const auto fingerprint =
          certificates->getObject(i)->getValue<std::string>("fingerprint_sha256");
      if (!with_request_.contains(fingerprint)) free.push_back(fingerprint);
    }
    // Only some can be renewed (not the expired one, nor one too close to its end: exit 2).
    std::shuffle(free.begin(), free.end(), random_);
    CommandResult filed;
    std::string fingerprint;
    for (const auto& candidate : free) {
      filed = agent.ctl({"request", "renew", "--cert", candidate});
      ASSERT_TRUE(filed.exit_code == 0 || filed.exit_code == 2) << filed.out << filed.err;
      fingerprint = candidate;
      if (filed.exit_code == 0) break;
    }
    if (filed.exit_code != 0) return;
    const auto end = filed.out.find_last_not_of('\n');
    const auto start = filed.out.find_last_of('\n', end);
    const std::string id = filed.out.substr(start == std::string::npos ? 0 : start + 1,
                                            end - (start == std::string::npos ? 0 : start + 1) + 1);
    ++requests_["filed"];
    if (std::uniform_int_distribution<int>(0, 2)(random_) == 0) {
      const auto cancelled = agent.ctl({"request", "cancel", id});
      ASSERT_EQ(cancelled.exit_code, 0) << cancelled.out << cancelled.err;
      ++requests_["cancelled"];
      return;
    }
    with_request_[fingerprint] = id;
  }

  // The province moves one open request a step (received → in progress, or rejected from
  // either): the change reaches the agent in the pull feed of a later sync, through the faults.
  // A certificate whose request has ended may be filed for again. Never completed: a completed
  // renewal uses up the certificate's one renewal, and the soak would run out of requests.
  void handleARequest() {
    if (with_request_.empty()) return;
    auto it = with_request_.begin();
    std::advance(it,
                 std::uniform_int_distribution<std::size_t>(0, with_request_.size() - 1)(random_));
    const auto& [fingerprint, id] = *it;
    const auto shown = hub_.admin({"requests", "--agency", "H21.09", "--json"});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    std::string state;
    const auto requests = Poco::JSON::Parser().parse(shown.out).extract<Poco::JSON::Array::Ptr>();
    for (unsigned i = 0; i < requests->size(); ++i) {
      if (requests->getObject(i)->getValue<std::string>("id") == id)
        state = requests->getObject(i)->getValue<std::string>("state");
    }
    ASSERT_FALSE(state.empty()) << "the province does not hold request " << id << shown.out;
    const bool reject =
        state != "received" || std::uniform_int_distribution<int>(0, 3)(random_) == 0;
    const std::vector<std::string> step =
        reject ? std::vector<std::string>{"request", "reject", id, "--reason", "Hồ sơ thiếu chữ ký"}
               : std::vector<std::string>{"request", "accept", id};
    const auto moved = hub_.admin(step);
    ASSERT_EQ(moved.exit_code, 0) << moved.out << moved.err;
    ++requests_[step[1]];
    if (step[1] != "accept") with_request_.erase(it);
  }

  // The sync of this round, through one fault; what the fault was.
  std::string syncThroughAFault(AgentUnderTest& agent, std::chrono::milliseconds window) {
    const int kind = std::uniform_int_distribution<int>(0, 5)(random_);
    if (kind <= 1) {
      const std::chrono::milliseconds delay(
          std::uniform_int_distribution<int>(0, int(window.count()))(random_));
      auto sync = std::async(std::launch::async, [&agent] { return agent.ctl({"sync"}); });
      std::this_thread::sleep_for(delay);
      if (kind == 0) {
        EXPECT_EQ(::kill(agent.pid(), SIGKILL), 0);
        (void)sync.get();
        (void)agent.stop();  // reaps the killed process
        agent.start();
        return "kill agent";
      }
      hub_process_.kill9();
      (void)sync.get();
      hub_process_.start();  // the same port: the proxy still leads to it
      return "kill hub";
    }
    const auto [fault, name] = networkFault(kind - 2);
    proxy_->setFault(fault);
    (void)agent.ctl({"sync"});
    proxy_->setFault({});
    return name;
  }

  std::unique_ptr<FaultProxy> proxy_;
  std::map<std::string, std::string> with_request_;  // fingerprint -> its open request's id
  std::map<std::string, int> requests_;              // what was done to requests -> times
};

TEST_P(SoakTest, RoundAfterRoundOfChangesAndFaultsTheHubAndTheAgentAgree) {
  // A short timeout, so that some delays outlast it; small batches, so that a kill or a cut
  // can fall between two pushes of one sync.
  AgentUnderTest agent(dir_.path(), "agent", agentSetup("2s", "[hub]\nbatch = 3\n"));
  agent.start();
  const auto enrolled = enroll(agent, proxy_->port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);
  const auto window = killWindow(agent);

  const int rounds = rounds_;
  std::map<std::string, int> faults;
  int round = 0;
  for (; round < rounds; ++round) {
    changeTokens(agent, std::uniform_int_distribution<int>(1, 3)(random_));
    // The province handles what earlier rounds brought it, before this round files anything.
    if (std::uniform_int_distribution<int>(0, 1)(random_) == 0) handleARequest();
    if (std::uniform_int_distribution<int>(0, 1)(random_) == 0) fileARequest(agent);
    if (HasFatalFailure()) break;
    ++faults[syncThroughAFault(agent, window)];
    syncUntilOk(agent);
    // What that push changed at the province (a request received) comes down in the next
    // sync's pull.
    syncUntilOk(agent);
    expectAgreement(agent);
    if (HasFailure()) break;
  }
  std::string summary;
  for (const auto& [fault, count] : faults) summary += fault + " ×" + std::to_string(count) + ", ";
  summary += "requests:";
  for (const auto& [what, count] : requests_) summary += " " + what + " ×" + std::to_string(count);
  note(std::to_string(round) + " of " + std::to_string(rounds) + " rounds in agreement (" +
       summary + "; kills 0–" + std::to_string(window.count()) + " ms into a sync)");
  EXPECT_EQ(round, rounds);
  if (HasFailure()) return;
  expectConsistent(agent);
}

INSTANTIATE_TEST_SUITE_P(Backends, SoakTest, kStoreBackends, storeBackendName);

}  // namespace
}  // namespace cks::test
