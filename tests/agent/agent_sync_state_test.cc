#include "agent/agent_sync_state.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "tests/support/temp_dir.h"
#include "tests/sync/sync_fakes.h"

namespace cks::agent {
namespace {

using namespace std::chrono_literals;

const TimePoint kLocalTime = *parseIsoUtc("2026-11-22T04:50:00Z");

class AgentSyncStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::Inventory::open(dir_.file("agent.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    inventory_ = std::move(*opened);
    state_ = std::make_unique<AgentSyncState>(*inventory_, clock_);
  }

  // One sync with a hub whose clock says `hub_time`; the offset the agent keeps after it.
  std::string syncWithHubAt(TimePoint hub_time) {
    sync::test::FakeHub hub(hub_time);
    const auto report = sync::SyncSession(sync::SyncOptions{}).run(hub, *state_, clock_, "0.2.0");
    EXPECT_EQ(report.outcome, sync::SyncReport::Outcome::Ok) << report.message;
    const auto offset = state_->outbox().state("hub_offset_seconds");
    EXPECT_TRUE(offset) << offset.error().message;
    return offset && *offset ? **offset : "none";
  }

  test::TempDir dir_;
  FixedClock clock_{kLocalTime};
  std::unique_ptr<store::Inventory> inventory_;
  std::unique_ptr<AgentSyncState> state_;
};

// Issue 15, review finding 11: whatever time a hub claimed became the agent's corrected clock
// (alerts, deadlines, the yearly report's dates). Beyond a year it is a broken or hostile hub,
// not a PC's drift: the agent keeps the offset it had.
TEST_F(AgentSyncStateTest, AHubClaimingATimeYearsAwayDoesNotMoveTheAgentsClock) {
  EXPECT_EQ(syncWithHubAt(kLocalTime + 90s), "90") << "a drifting PC is corrected";
  EXPECT_EQ(syncWithHubAt(kLocalTime + 24h * 365 * 5), "90");
  EXPECT_EQ(syncWithHubAt(kLocalTime - 24h * 400), "90");
  const auto contact = state_->outbox().state("last_hub_contact");
  ASSERT_TRUE(contact && *contact);
  EXPECT_EQ(**contact, std::to_string(kLocalTime.time_since_epoch().count()))
      << "the hub did answer: the contact is recorded";
  EXPECT_EQ(syncWithHubAt(kLocalTime - 24h * 300), std::to_string(-300 * 24 * 3600))
      << "within a year the hub's clock is believed";
}

}  // namespace
}  // namespace cks::agent
