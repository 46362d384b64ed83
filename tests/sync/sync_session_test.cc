#include "sync/client/sync_session.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "sync/protocol/codec.h"
#include "tests/sync/sync_fakes.h"

namespace cks::sync {
namespace {

using Outcome = SyncReport::Outcome;
using test::FakeHub;
using test::MemorySyncState;

const TimePoint kLocalTime = *parseIsoUtc("2026-11-22T04:50:00Z");

std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> out;
  for (auto seq = first; seq <= last; ++seq) out.push_back(seq);
  return out;
}

class SyncSessionTest : public ::testing::Test {
 protected:
  SyncReport run(SyncOptions options = {}) {
    return SyncSession(options).run(hub_, state_, clock_, "0.2.0");
  }

  FixedClock clock_{kLocalTime};
  FakeHub hub_{kLocalTime};
  MemorySyncState state_;
};

TEST_F(SyncSessionTest, IdleSyncIsOnePullAndOneDigestWithinTheByteBudget) {
  state_.cursor = 12;
  const auto report = run();
  EXPECT_EQ(report.outcome, Outcome::Ok) << report.message;
  EXPECT_EQ(hub_.paths(), (std::vector<std::string>{"/v1/pull", "/v1/digest"}));
  EXPECT_EQ(report.requests, 2);
  EXPECT_LE(report.bytes_sent + report.bytes_received, 512u);
  EXPECT_GT(report.bytes_sent, 0u);
  EXPECT_EQ(report.pushed, 0);
  EXPECT_EQ(report.remaining, 0);
}

TEST_F(SyncSessionTest, PullsFirstThenPushesUrgentThenNormalThenDigest) {
  state_.add(kNormalLane, 2);
  state_.add(kUrgentLane, 1);
  const auto report = run();
  ASSERT_EQ(report.outcome, Outcome::Ok) << report.message;
  EXPECT_EQ(hub_.paths(),
            (std::vector<std::string>{"/v1/pull", "/v1/push", "/v1/push", "/v1/digest"}));
  const auto pushes = hub_.pushes();
  ASSERT_EQ(pushes.size(), 2u);
  EXPECT_EQ(pushes[0].lane, "urgent");
  EXPECT_EQ(pushes[1].lane, "normal");
  EXPECT_EQ(pushes[1].seqs, range(1, 2));
  EXPECT_EQ(report.pushed, 3);
  EXPECT_EQ(report.acked, 3);
  EXPECT_EQ(report.remaining, 0);
  EXPECT_TRUE(state_.seqs(kNormalLane).empty());
}

TEST_F(SyncSessionTest, PushCarriesBacklogVersionAndAgentTime) {
  state_.add(kNormalLane, 7);
  ASSERT_EQ(run({.batch_size = 5}).outcome, Outcome::Ok);
  const auto request = decodePushRequest(hub_.calls[1].second);
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->backlog, 2) << "what still waits once this batch is in";
  const auto last = decodePushRequest(hub_.calls[2].second);
  ASSERT_TRUE(last) << last.error().message;
  EXPECT_EQ(last->backlog, 0);
  EXPECT_EQ(request->agent_version, "0.2.0");
  EXPECT_EQ(request->agent_time, kLocalTime);
}

TEST_F(SyncSessionTest, BatchesHoldAtMostTheLimit) {
  state_.add(kNormalLane, 7);
  const auto report = run({.batch_size = 3});
  ASSERT_EQ(report.outcome, Outcome::Ok) << report.message;
  const auto pushes = hub_.pushes();
  ASSERT_EQ(pushes.size(), 3u);
  EXPECT_EQ(pushes[0].seqs, range(1, 3));
  EXPECT_EQ(pushes[1].seqs, range(4, 6));
  EXPECT_EQ(pushes[2].seqs, range(7, 7));
}

TEST_F(SyncSessionTest, DefaultBatchIsFiveHundred) {
  state_.add(kNormalLane, 1200);
  ASSERT_EQ(run().outcome, Outcome::Ok);
  const auto pushes = hub_.pushes();
  ASSERT_EQ(pushes.size(), 3u);
  EXPECT_EQ(pushes[0].seqs.size(), 500u);
  EXPECT_EQ(pushes[2].seqs.size(), 200u);
}

TEST_F(SyncSessionTest, SequenceGapResendsFromAckedPlusOne) {
  state_.add(kNormalLane, 10);
  // The hub already holds 1..4 (an earlier answer was lost) and refuses this batch as a gap.
  hub_.acked["normal"] = 4;
  for (int seq = 1; seq <= 4; ++seq) hub_.stored["normal"][seq] = "normal-" + std::to_string(seq);
  hub_.script = [&](int call, const std::string&) -> std::optional<FakeHub::Answer> {
    if (call != 1) return std::nullopt;
    return HubAnswer{409, test::errorJson("sequence_gap", hub_.hub_time, 4), 0, 0};
  };
  const auto report = run();
  ASSERT_EQ(report.outcome, Outcome::Ok) << report.message;
  const auto pushes = hub_.pushes();
  ASSERT_EQ(pushes.size(), 2u);
  EXPECT_EQ(pushes[0].seqs, range(1, 10));
  EXPECT_EQ(pushes[1].seqs, range(5, 10));
  ASSERT_FALSE(state_.acknowledgements.empty());
  EXPECT_EQ(state_.acknowledgements.front(), (std::pair<std::string, std::int64_t>{"normal", 4}));
  EXPECT_TRUE(state_.seqs(kNormalLane).empty());
}

TEST_F(SyncSessionTest, GapTheAgentCannotFillStopsWithoutDroppingAnything) {
  state_.add(kNormalLane, 10);
  (void)state_.acknowledge(kNormalLane, 7);  // 8..10 left; the hub lost 6 and 7
  state_.acknowledgements.clear();
  hub_.acked["normal"] = 5;
  const auto report = run();
  EXPECT_EQ(report.outcome, Outcome::Failed);
  EXPECT_EQ(report.hub_error, "sequence_gap");
  EXPECT_NE(report.message.find("outbox starts at 8"), std::string::npos) << report.message;
  EXPECT_EQ(state_.seqs(kNormalLane), range(8, 10));
  EXPECT_TRUE(state_.acknowledgements.empty());
}

TEST_F(SyncSessionTest, TooLargeHalvesTheBatchUntilTheHubTakesIt) {
  state_.add(kNormalLane, 10);
  hub_.max_entries = 3;
  const auto report = run({.batch_size = 10});
  ASSERT_EQ(report.outcome, Outcome::Ok) << report.message;
  std::vector<std::size_t> sizes;
  for (const auto& push : hub_.pushes()) sizes.push_back(push.seqs.size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{10, 5, 2, 2, 2, 2, 2}));
  EXPECT_TRUE(state_.seqs(kNormalLane).empty());
}

TEST_F(SyncSessionTest, TooLargeForASingleEntryFails) {
  state_.add(kNormalLane, 2);
  hub_.max_entries = 0;
  const auto report = run({.batch_size = 4});
  EXPECT_EQ(report.outcome, Outcome::Failed);
  EXPECT_EQ(report.hub_error, "too_large");
  EXPECT_EQ(hub_.pushes().back().seqs, range(1, 1));
  EXPECT_EQ(state_.seqs(kNormalLane), range(1, 2));
}

TEST_F(SyncSessionTest, ReplayAnswerAcknowledgesWhatTheHubHoldsAndSendsNothingTwice) {
  // The hub stored 1..6 in an earlier sync whose answer never arrived.
  state_.add(kNormalLane, 10);
  hub_.acked["normal"] = 6;
  for (int seq = 1; seq <= 6; ++seq) hub_.stored["normal"][seq] = "normal-" + std::to_string(seq);
  const auto report = run({.batch_size = 4});
  ASSERT_EQ(report.outcome, Outcome::Ok) << report.message;
  const auto pushes = hub_.pushes();
  ASSERT_EQ(pushes.size(), 2u);
  EXPECT_EQ(pushes[0].seqs, range(1, 4));  // answered acked 6: 5 and 6 are dropped unsent
  EXPECT_EQ(pushes[1].seqs, range(7, 10));
  EXPECT_EQ(state_.acknowledgements,
            (std::vector<std::pair<std::string, std::int64_t>>{{"normal", 6}, {"normal", 10}}));
  EXPECT_EQ(report.acked, 8);
  EXPECT_EQ(hub_.acked["normal"], 10);
}

TEST_F(SyncSessionTest, AckedBelowTheBatchIsNotAcknowledgedAgainAndDoesNotLoopForever) {
  state_.add(kNormalLane, 3);
  hub_.script = [&](int, const std::string& path) -> std::optional<FakeHub::Answer> {
    if (path != "/v1/push") return std::nullopt;
    return HubAnswer{200, encode(PushResponse{0, hub_.hub_time}), 0, 0};
  };
  const auto report = run();
  EXPECT_EQ(report.outcome, Outcome::Failed);
  EXPECT_NE(report.message.find("does not acknowledge seq 1"), std::string::npos) << report.message;
  EXPECT_EQ(hub_.pushes().size(), 2u);
  EXPECT_TRUE(state_.acknowledgements.empty());
  EXPECT_EQ(state_.seqs(kNormalLane), range(1, 3));
}

TEST_F(SyncSessionTest, UnreachableHubDropsNothing) {
  state_.add(kUrgentLane, 2);
  state_.add(kNormalLane, 5);
  hub_.script = [](int call, const std::string&) -> std::optional<FakeHub::Answer> {
    if (call < 1) return std::nullopt;
    return tl::unexpected(TransportError{TransportError::Kind::Unreachable, "connection refused"});
  };
  const auto report = run();
  EXPECT_EQ(report.outcome, Outcome::Unreachable);
  EXPECT_EQ(report.message, "/v1/push: connection refused");
  EXPECT_EQ(state_.seqs(kUrgentLane), range(1, 2));
  EXPECT_EQ(state_.seqs(kNormalLane), range(1, 5));
  EXPECT_EQ(report.remaining, 7);
  EXPECT_TRUE(state_.acknowledgements.empty());
}

TEST_F(SyncSessionTest, TimeoutCountsAsUnreachableAndTlsAsFailed) {
  hub_.script = [](int, const std::string&) -> std::optional<FakeHub::Answer> {
    return tl::unexpected(TransportError{TransportError::Kind::Timeout, "timed out"});
  };
  EXPECT_EQ(run().outcome, Outcome::Unreachable);
  hub_.script = [](int, const std::string&) -> std::optional<FakeHub::Answer> {
    return tl::unexpected(TransportError{TransportError::Kind::Tls, "certificate verify failed"});
  };
  EXPECT_EQ(run().outcome, Outcome::Failed);
}

TEST_F(SyncSessionTest, DigestMismatchQueuesASnapshotAndPushesItOnce) {
  hub_.digest_matches = {false, false};
  const auto report = run();
  ASSERT_EQ(report.outcome, Outcome::Ok) << report.message;
  EXPECT_TRUE(report.snapshot_queued);
  EXPECT_EQ(state_.snapshots, 1);
  EXPECT_EQ(hub_.paths(), (std::vector<std::string>{"/v1/pull", "/v1/digest", "/v1/push"}));
  const auto request = decodePushRequest(hub_.calls[2].second);
  ASSERT_TRUE(request);
  ASSERT_EQ(request->entries.size(), 1u);
  EXPECT_EQ(request->entries[0].kind, "snapshot");
  EXPECT_TRUE(state_.seqs(kNormalLane).empty());
}

TEST_F(SyncSessionTest, ClockOffsetComesFromHubTime) {
  hub_.hub_time = kLocalTime + std::chrono::minutes(7);
  const auto report = run();
  ASSERT_EQ(report.outcome, Outcome::Ok) << report.message;
  ASSERT_TRUE(report.clock_offset);
  EXPECT_EQ(*report.clock_offset, std::chrono::seconds(420));
  ASSERT_EQ(state_.contacts.size(), 2u);  // pull and digest
  for (const auto& [hub_time, local_time] : state_.contacts) {
    EXPECT_EQ(hub_time, kLocalTime + std::chrono::minutes(7));
    EXPECT_EQ(local_time, kLocalTime);
  }
}

TEST_F(SyncSessionTest, RefusalsRecordHubTimeToo) {
  hub_.script = [&](int, const std::string&) -> std::optional<FakeHub::Answer> {
    return HubAnswer{403, test::errorJson("forbidden", kLocalTime - std::chrono::hours(1)), 0, 0};
  };
  const auto report = run();
  EXPECT_EQ(report.outcome, Outcome::Refused);
  EXPECT_EQ(report.hub_error, "forbidden");
  EXPECT_EQ(report.clock_offset, std::chrono::seconds(-3600));
  EXPECT_EQ(state_.contacts.size(), 1u);
}

TEST_F(SyncSessionTest, PullLoopsUntilTheFeedIsDrained) {
  state_.cursor = 1;
  // Pages of the hub's maximum are followed by another pull; a shorter page ends the pull.
  hub_.script = [&](int call, const std::string& path) -> std::optional<FakeHub::Answer> {
    if (path != "/v1/pull" || call >= 2) return std::nullopt;
    PullResponse full;
    full.hub_time = hub_.hub_time;
    const std::int64_t first = call == 0 ? 2 : 2 + kMaxFeedItemsPerPull;
    for (std::int64_t seq = first; seq < first + kMaxFeedItemsPerPull; ++seq) {
      full.items.push_back({seq, "settings", new Poco::JSON::Object});
    }
    full.cursor = first + kMaxFeedItemsPerPull - 1;
    return HubAnswer{200, encode(full), 0, 0};
  };
  const auto report = run();
  ASSERT_EQ(report.outcome, Outcome::Ok) << report.message;
  EXPECT_EQ(hub_.paths(),
            (std::vector<std::string>{"/v1/pull", "/v1/pull", "/v1/pull", "/v1/digest"}));
  EXPECT_EQ(state_.applied.size(), 2u * kMaxFeedItemsPerPull);
  EXPECT_EQ(state_.cursor, 1 + 2 * kMaxFeedItemsPerPull);
  const auto last_pull = decodePullRequest(hub_.calls[2].second);
  ASSERT_TRUE(last_pull);
  EXPECT_EQ(last_pull->cursor, 1 + 2 * kMaxFeedItemsPerPull);
}

TEST_F(SyncSessionTest, PullAppliesItemsAndStoresTheCursor) {
  Poco::JSON::Object::Ptr agency = new Poco::JSON::Object;
  agency->set("code", "H21.09");
  agency->set("name", "UBND xã Bình Chương");
  hub_.feed.push_back({1, "agency", agency});
  hub_.feed.push_back({2, "settings", new Poco::JSON::Object});
  state_.cursor = 1;
  ASSERT_EQ(run().outcome, Outcome::Ok);
  ASSERT_EQ(state_.applied.size(), 1u);
  EXPECT_EQ(state_.applied[0].seq, 2);
  EXPECT_EQ(state_.cursor, 2);
}

TEST_F(SyncSessionTest, SequenceConflictIsRefusedAndStops) {
  state_.add(kNormalLane, 2);
  hub_.stored["normal"][1] = "another-uuid";
  hub_.acked["normal"] = 1;
  const auto report = run();
  EXPECT_EQ(report.outcome, Outcome::Refused);
  EXPECT_EQ(report.hub_error, "sequence_conflict");
  EXPECT_EQ(hub_.paths().back(), "/v1/push");  // no digest after a refusal
  EXPECT_EQ(state_.seqs(kNormalLane), range(1, 2));
}

TEST_F(SyncSessionTest, BadRequestIsRefusedAndKeepsTheEntries) {
  state_.add(kNormalLane, 2);
  hub_.script = [&](int, const std::string& path) -> std::optional<FakeHub::Answer> {
    if (path != "/v1/push") return std::nullopt;
    return HubAnswer{400, test::errorJson("bad_request", hub_.hub_time), 0, 0};
  };
  const auto report = run();
  EXPECT_EQ(report.outcome, Outcome::Refused);
  EXPECT_EQ(report.hub_error, "bad_request");
  EXPECT_EQ(state_.seqs(kNormalLane), range(1, 2));
}

TEST_F(SyncSessionTest, TheDaysVolumeUsedUpKeepsTheEntriesForALaterSync) {
  state_.add(kNormalLane, 2);
  hub_.script = [&](int, const std::string& path) -> std::optional<FakeHub::Answer> {
    if (path != "/v1/push") return std::nullopt;
    return HubAnswer{429, test::errorJson("volume_exceeded", hub_.hub_time), 0, 0};
  };
  const auto report = run();
  // Not a refusal of this PC or of its entries: the next sync tries again, as after a 5xx.
  EXPECT_EQ(report.outcome, Outcome::Failed);
  EXPECT_EQ(report.hub_error, "volume_exceeded");
  EXPECT_NE(report.message.find("429 volume_exceeded"), std::string::npos) << report.message;
  EXPECT_EQ(state_.seqs(kNormalLane), range(1, 2));
}

TEST_F(SyncSessionTest, HubFailureAndGarbageAreFailures) {
  state_.add(kNormalLane, 1);
  hub_.script = [&](int, const std::string& path) -> std::optional<FakeHub::Answer> {
    if (path != "/v1/push") return std::nullopt;
    return HubAnswer{500, test::errorJson("internal", hub_.hub_time), 0, 0};
  };
  auto report = run();
  EXPECT_EQ(report.outcome, Outcome::Failed);
  EXPECT_EQ(report.hub_error, "internal");
  EXPECT_EQ(report.message,
            "/v1/push normal: the hub answered 500 internal: test refusal: internal");

  hub_.script = [&](int, const std::string& path) -> std::optional<FakeHub::Answer> {
    if (path != "/v1/pull") return std::nullopt;
    return HubAnswer{200, "<html>proxy login</html>", 0, 0};
  };
  report = run();
  EXPECT_EQ(report.outcome, Outcome::Failed);
  EXPECT_EQ(report.message.rfind("/v1/pull: the hub's answer is malformed: body: not JSON", 0), 0u)
      << report.message;
  EXPECT_EQ(state_.seqs(kNormalLane), range(1, 1));
}

TEST_F(SyncSessionTest, HostileNumbersEndTheSyncWithAReportNotAnException) {
  state_.add(kNormalLane, 1);
  hub_.script = [&](int, const std::string& path) -> std::optional<FakeHub::Answer> {
    if (path != "/v1/push") return std::nullopt;
    return HubAnswer{200, R"({"acked":18446744073709551615,"hub_time":"2026-11-22T04:50:00Z"})", 0,
                     0};
  };
  SyncReport report;
  EXPECT_NO_THROW(report = run());
  EXPECT_EQ(report.outcome, Outcome::Failed);
  EXPECT_EQ(state_.seqs(kNormalLane), range(1, 1));
}

TEST_F(SyncSessionTest, StoreFailureStopsTheSync) {
  state_.add(kNormalLane, 2);
  state_.fail_acknowledge = "store: database is locked";
  const auto report = run();
  EXPECT_EQ(report.outcome, Outcome::Failed);
  EXPECT_EQ(report.message, "store: database is locked");
}

TEST(SyncReportTest, OutcomeNamesMatchTheAgentsWords) {
  EXPECT_STREQ(outcomeName(Outcome::Ok), "ok");
  EXPECT_STREQ(outcomeName(Outcome::Unreachable), "unreachable");
  EXPECT_STREQ(outcomeName(Outcome::Refused), "refused");
  EXPECT_STREQ(outcomeName(Outcome::Failed), "failed");
}

}  // namespace
}  // namespace cks::sync
