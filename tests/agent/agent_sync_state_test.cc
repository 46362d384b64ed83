#include "agent/agent_sync_state.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "core/time_format.h"
#include "store/revocations.h"
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

// The revocation_status feed (docs/revocation.md, "At the agent"): what the hub said is kept, the
// latest item winning, and judged at the agent's own time: a month without news turns good into
// unknown since the list's nextUpdate, never good; a revocation stays.
TEST_F(AgentSyncStateTest, RevocationStatusesAreKeptAndTurnUnknownWhenTheListGoesStale) {
  const TimePoint listed = kLocalTime - 2h;
  const TimePoint next_update = kLocalTime + 24h * 7;
  const auto item = [](const std::string& json) {
    Poco::JSON::Parser parser;
    return sync::FeedItem{0, "revocation_status",
                          parser.parse(json).extract<Poco::JSON::Object::Ptr>()};
  };
  const std::string times = R"("as_of": ")" + formatIsoUtc(listed) + R"(", "next_update": ")" +
                            formatIsoUtc(next_update) + "\"";
  ASSERT_TRUE(state_->applyFeed(
      {item(R"({"fingerprint": "aa", "status": "unknown", )" + times + "}"),
       item(R"({"fingerprint": "aa", "status": "good", )" + times + "}"),
       item(R"({"fingerprint": "bb", "status": "revoked", "revoked_at": "2026-11-20T01:00:00Z", )"
            R"("reason": "keyCompromise", )" +
            times + "}"),
       item(R"({"fingerprint": "cc", "status": "valid"})")},
      4));
  auto told = store::Revocations(*inventory_).told();
  ASSERT_TRUE(told) << told.error().message;
  EXPECT_EQ(told->size(), 2u) << "the unreadable item is skipped";
  using store::Revocations;
  EXPECT_EQ(Revocations::statusOf(*told, "aa", kLocalTime),
            (RevocationStatus{RevocationState::Good, listed, std::nullopt, std::nullopt}));
  EXPECT_EQ(Revocations::statusOf(*told, "bb", kLocalTime),
            (RevocationStatus{RevocationState::Revoked, listed,
                              *parseIsoUtc("2026-11-20T01:00:00Z"), CrlReason::KeyCompromise}));
  EXPECT_EQ(Revocations::statusOf(*told, "dd", kLocalTime), RevocationStatus{})
      << "a certificate never told is unknown";
  EXPECT_EQ(told->at("aa").received_at, kLocalTime);

  const TimePoint month_later = kLocalTime + 24h * 31;
  EXPECT_EQ(Revocations::statusOf(*told, "aa", month_later),
            (RevocationStatus{RevocationState::Unknown, next_update, std::nullopt, std::nullopt}));
  EXPECT_EQ(describe(Revocations::statusOf(*told, "aa", month_later), Language::Vietnamese),
            "Chưa rõ từ ngày 29/11/2026");
  EXPECT_EQ(Revocations::statusOf(*told, "bb", month_later).state, RevocationState::Revoked);
}

}  // namespace
}  // namespace cks::agent
