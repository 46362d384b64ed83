// Shared by the fault tests: a real hub and real agents on real SoftHSM tokens, faults
// injected from outside (SIGKILL, a hub that is down, a misbehaving TCP proxy), and the three
// checks every fault test ends with:
//   1. the hub's view of the agency equals the agent's (certificates and tokens);
//   2. no entry is stored twice at the hub: unique uuids, seq 1..N per agent and lane with no
//      gap, N = the hub's acked = the last seq the agent ever gave out in that lane;
//   3. PRAGMA integrity_check says "ok" on both SQLite files, opened read-only once both
//      processes have stopped.
// Randomness comes from one seed, printed by each test: CKS_FAULT_SEED replays it, and
// CKS_FAULT_ROUNDS lowers the number of rounds (default 30) for a quick local run.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <Poco/JSON/Array.h>

#include "tests/hub/hub_under_test.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/fault_proxy.h"
#include "tests/support/process.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::test {

inline constexpr std::uint64_t kDefaultFaultSeed = 20261122;
inline constexpr int kDefaultFaultRounds = 30;

// CKS_FAULT_SEED when set, else kDefaultFaultSeed.
std::uint64_t faultSeed();
// CKS_FAULT_ROUNDS when set (at least 1), else `fallback`.
int faultRounds(int fallback = kDefaultFaultRounds);

// A cks-hub process run from a HubUnderTest's hub.ini (so on its port, with its store and TLS
// folder) that, unlike HubUnderTest::start(), can also be killed with SIGKILL. Restarting it
// keeps the port: agents enrolled with the hub's URL reach it again.
class HubProcess {
 public:
  explicit HubProcess(HubUnderTest& hub) : hub_(hub) {}

  // Starts cks-hub and waits until its port accepts connections (throws after 15 s with the
  // hub's log in the message).
  void start();
  void kill9();
  // SIGTERM; the exit code (-1 when it needed more than 5 s).
  int stop();
  [[nodiscard]] bool running();

 private:
  HubUnderTest& hub_;
  std::unique_ptr<BackgroundProcess> process_;
};

// "fingerprint|token serial|present|status" per certificate of `cksctl certs --json` or
// `cks-hub admin inventory --json`.
std::multiset<std::string> certificateView(const Poco::JSON::Array::Ptr& certificates);
// "serial|manufacturer|present" per token of `cksctl tokens --json` or `admin tokens --json`.
std::multiset<std::string> tokenView(const Poco::JSON::Array::Ptr& tokens);

// What PRAGMA integrity_check says about the SQLite file at `path`, opened read-only
// ("ok" when sound; the open error when it cannot be opened).
std::string integrityCheck(const std::string& path);

// One (agent, lane) of the hub's `entries` table.
struct HubLane {
  std::int64_t entries = 0;
  std::int64_t distinct_seq = 0;
  std::int64_t min_seq = 0;
  std::int64_t max_seq = 0;
  std::int64_t acked = 0;  // lane_state
};
// `store` below is the hub's store: its SQLite file, or the PostgreSQL URL (HubUnderTest::
// storeUrl()). Each opens its own connection, so that it can be called with the hub running.
// The hub's lanes, keyed by (agent_id, lane).
std::map<std::pair<std::string, std::string>, HubLane> hubLanes(const std::string& store);
// Rows of the hub's `entries` and how many distinct uuids they hold.
std::pair<std::int64_t, std::int64_t> hubEntryUuids(const std::string& store);
// "ok" when the hub's store is sound: PRAGMA integrity_check on the SQLite file (opened
// read-only), the store's own check on PostgreSQL.
std::string hubIntegrityCheck(const std::string& store);
// "kind=N " per kind of entry the hub holds, for the test's output.
std::string hubEntryKinds(const std::string& store);

// The agent's store, opened read-only: last seq given out per lane (lane_sequences), entries
// still in the outbox, and a sync_state value ("" when absent).
std::map<std::string, std::int64_t> agentLaneSequences(const std::string& agent_db);
std::int64_t agentOutboxSize(const std::string& agent_db);
// The lowest seq still in the agent's outbox for `lane`; 0 when the lane is empty.
std::int64_t agentOutboxFront(const std::string& agent_db, const std::string& lane = "normal");
std::string agentSyncState(const std::string& agent_db, const std::string& key);

// The agent's backlog as `cksctl status --json` says.
int agentBacklog(AgentUnderTest& agent);

// The last `bytes` of a log file, for failure messages.
std::string tail(const std::string& path, std::size_t bytes = 4000);

// One agency: three SoftHSM tokens with a certificate each, a hub (started in SetUp) and the
// hub's server CA in a file for `cksctl enroll --hub-ca`.
class FaultTest : public ::testing::Test {
 protected:
  // `hub` sets up the hub (its store: the default SQLite file unless it names another);
  // `rounds` is the number of rounds unless CKS_FAULT_ROUNDS says otherwise.
  explicit FaultTest(HubSetup hub = {}, int rounds = kDefaultFaultRounds);
  void SetUp() override;

  // https://127.0.0.1:PORT (the hub's server certificate names 127.0.0.1).
  static std::string url(int port) { return "https://127.0.0.1:" + std::to_string(port); }
  // The setup of an agent that scans the test's tokens, with [hub] timeout `hub_timeout` and
  // `extra` INI text.
  static AgentSetup agentSetup(const std::string& hub_timeout = "10s",
                               const std::string& extra = "");

  // `cksctl enroll` against https://127.0.0.1:`port` with a fresh code for the agency.
  CommandResult enroll(AgentUnderTest& agent, int port);
  // Unplugs or plugs back `flips` random tokens and runs `cksctl scan`: something to send.
  void changeTokens(AgentUnderTest& agent, int flips);
  // `cksctl sync` until it exits 0: at most `tries` times, `pause` apart. Fails the test (with
  // the logs) when it never does; returns the last result.
  CommandResult syncUntilOk(AgentUnderTest& agent, int tries = 40,
                            std::chrono::milliseconds pause = std::chrono::milliseconds(250));
  // The acked seq of the normal lane of the hub's only agent (`cks-hub admin agents --json`).
  std::int64_t hubAcked();
  // How long `cksctl sync` of a few changes takes here (the median of three), times 1.5, at
  // least 20 ms and at most 300 ms: kill moments drawn from 0 to this land inside a sync on a
  // fast or a slow (sanitizer) build alike.
  std::chrono::milliseconds killWindow(AgentUnderTest& agent);
  // A fault of the network with random parameters, and its name: `kind` 0 refuses, 1 delays
  // (some delays outlast a 2 s timeout), 2 cuts a request short, 3 loses the hub's answer after
  // the hub acted. Exchange 1 is the pull (with TLS 1.3 also the client's handshake flight), 2
  // the first push, 3 a later push or the digest.
  std::pair<FaultProxy::Fault, std::string> networkFault(int kind);
  // The three checks. Needs the agent and the hub running; stops both (SIGTERM) on the way.
  void expectConsistent(AgentUnderTest& agent);
  // The same three checks with both still running (the soak's check after every round); the
  // agent's requests and their cancellations are compared too.
  void expectAgreement(AgentUnderTest& agent);
  // Prints "[fault] NAME: …" so the seed and the counts are in every test's output.
  void note(const std::string& text);

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
  HubUnderTest hub_;
  HubProcess hub_process_;
  std::vector<std::string> token_labels_;
  std::map<std::string, bool> plugged_;
  std::uint64_t seed_;
  int rounds_;
  std::mt19937_64 random_;

 private:
  // 1. The hub's view of the agency (certificates, tokens) = the agent's.
  void expectSameViews(AgentUnderTest& agent);
  // 2. Each of the agent's entries at the hub once, in 1..N with no gap, all acknowledged.
  void expectEachEntryOnce(const std::string& agent_store);
  // The logs and the seed, after a failed check.
  void explainFailure(AgentUnderTest& agent);
};

}  // namespace cks::test
