// A month offline: the agency's PC records 10,000 inventory changes while the hub cannot be
// reached, then the hub is back and one `cksctl sync` drains the backlog. The changes are real
// journal and outbox rows, written by the agent's own store code (store::Inventory::recordScan)
// into the agent's store file while the agent is stopped; the real agent then ships them.
#include <chrono>

#include "core/certificate.h"
#include "core/subscriber_kind.h"
#include "store/inventory.h"
#include "tests/fault/fault_helpers.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

constexpr int kEntries = 10'000;
constexpr int kTokens = 10;  // tokens plugged in and out; as many again whose certificate comes
                             // and goes
// The goal on loopback is 10 s; the bound is loose so that a loaded CI machine does not flake.
constexpr auto kDrainBound = 60s;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

Token monthToken(const std::string& serial, const std::string& label) {
  return Token{serial, "Feitian Technologies Co., Ltd.", label, "ePass2003", PinState::Ok};
}

using MonthOfflineFaultTest = FaultTest;

TEST_F(MonthOfflineFaultTest, TenThousandEntriesRecordedWithoutTheHubDrainInOneSync) {
  AgentUnderTest agent(dir_.path(), "agent", agentSetup());
  agent.start();
  const auto enrolled = enroll(agent, hub_.port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);
  ASSERT_EQ(agent.stop(), 0);
  hub_process_.kill9();

  // Every scan flips each token's presence and each certificate's: 2 × kTokens entries a scan
  // (token_inserted/removed, certificate_appeared/disappeared with the DER), spread over a month.
  std::vector<store::ScanObservation::SeenCertificate> certificates;
  for (int i = 0; i < kTokens; ++i) {
    store::ScanObservation::SeenCertificate seen;
    seen.der = ca_.issue(individualSpec("Cán bộ " + std::to_string(i), now() - 24h * 100,
                                        now() + 24h * (20 + 40 * i)));
    seen.certificate = parseCertificateDer(seen.der, SubscriberKindRules{});
    ASSERT_TRUE(seen.certificate.parsed()) << seen.certificate.parse_error;
    seen.object_label = "CTS";
    seen.object_id = "01";
    certificates.push_back(std::move(seen));
  }
  const auto scans = kEntries / (2 * kTokens) + 1;
  const auto step = std::chrono::duration_cast<std::chrono::seconds>(24h * 30) / scans;
  int recorded = 0;
  const auto record_start = std::chrono::steady_clock::now();
  {
    auto inventory = store::Inventory::open(agent.store());
    ASSERT_TRUE(inventory) << inventory.error().message;
    for (int scan = 0; recorded < kEntries; ++scan) {
      store::ScanObservation observation;
      observation.host = "PC-VANTHU";
      observation.at = now() - 24h * 30 + step * scan;
      observation.modules = {{SoftHsm::kModule, "ok", ""}};
      const bool even = scan % 2 == 0;
      for (int i = 0; i < kTokens; ++i) {
        if (even) {
          observation.tokens.push_back(
              {SoftHsm::kModule, monthToken("MOVE" + std::to_string(i), "Lưu động"), {}});
        }
        std::vector<store::ScanObservation::SeenCertificate> on_token;
        if (even) on_token.push_back(certificates[size_t(i)]);
        observation.tokens.push_back({SoftHsm::kModule,
                                      monthToken("CERT" + std::to_string(i), "Cán bộ"),
                                      std::move(on_token)});
      }
      const auto changes = (*inventory)->recordScan(observation);
      ASSERT_TRUE(changes) << changes.error().message;
      recorded += changes->journal_entries;
    }
  }
  const auto record_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - record_start);

  agent.start();  // the hub is still down
  const auto offline = agent.ctl({"sync"});
  EXPECT_EQ(offline.exit_code, 4) << offline.out << offline.err;
  const int backlog = agentBacklog(agent);
  EXPECT_GE(backlog, kEntries);

  hub_process_.start();
  // Nothing can have reached the hub before it accepted connections: from here to the end of
  // this sync is the whole drain, even if the agent's own timer started a sync meanwhile.
  const auto drain_start = std::chrono::steady_clock::now();
  const auto drained = agent.ctl({"sync"});
  const auto drain = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - drain_start);
  ASSERT_EQ(drained.exit_code, 0) << drained.out << drained.err << tail(agent.log());
  note(std::to_string(recorded) + " journal entries recorded in " +
       std::to_string(record_ms.count()) + " ms; backlog " + std::to_string(backlog) +
       " drained in " + std::to_string(drain.count()) + " ms (goal 10000 ms on loopback)");
  EXPECT_LT(drain, kDrainBound);
  expectConsistent(agent);
}

}  // namespace
}  // namespace cks::test
