// The hub's store, on SQLite and on PostgreSQL alike: single-use enrolment codes, exactly-once
// pushes per agent and lane (replay, gap, conflict, concurrent replays), the projection of
// entries into the province's view with the agent store's rules, each agency's data and alerts
// kept apart, and the upgrade of a store made by an older hub.
#include "hub/store/hub_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"
#include "sync/protocol/codec.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;
using test::certificateBody;
using test::entryJson;
using test::pushJson;
using test::tokenBody;

const TimePoint kNow = *parseIsoUtc("2026-11-22T05:00:00Z");

class HubStoreTest : public test::StoreTest {
 protected:
  // An agency with one enrolled agent; returns the agent id.
  std::string enrolled(const std::string& agency, const std::string& name) {
    return test::enrollAgent(*store_, agency, name, "PC-" + agency, kNow);
  }

  PushOutcome push(const std::string& agent, const std::string& json) {
    auto outcome = store_->ingest().push(agent, test::pushBatchOf(json), kNow);
    CKS_CHECK(outcome.has_value());
    return *outcome;
  }

  std::vector<HubCertificate> certificates(const ViewScope& scope) {
    auto list = store_->views().allCertificates(scope);
    CKS_CHECK(list.has_value());
    return *list;
  }

  std::vector<HubToken> tokens(const ViewScope& scope) {
    auto list = store_->views().allTokens(scope);
    CKS_CHECK(list.has_value());
    return *list;
  }

  test::TestCa ca_;
};

TEST_P(HubStoreTest, AnEnrolmentCodeWorksOnceAndOnlyBeforeItExpires) {
  ASSERT_TRUE(store_->registry().saveAgency({"H21.09", "UBND xã Bình Chương"}, kNow));
  const std::string code = newEnrollCode();
  ASSERT_TRUE(store_->registry().addEnrollCode(enrollCodeHash(code), "H21.09", kNow + 1h, kNow));
  // Typed in lower case and without dashes, it is the same code.
  std::string typed;
  for (char c : code) {
    if (c != '-') typed.push_back(char(std::tolower(c)));
  }
  EXPECT_EQ(enrollCodeHash(typed), enrollCodeHash(code));

  const auto late = store_->registry().redeemEnrollCode(
      enrollCodeHash(code), kNow + 1h, {"a-late", "H21.09", "PC", "0.2.0", kNow + 1h});
  ASSERT_TRUE(late);
  EXPECT_FALSE(*late);
  const auto first = store_->registry().redeemEnrollCode(enrollCodeHash(code), kNow,
                                                         {"a-1", "H21.09", "PC", "0.2.0", kNow});
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  const auto second = store_->registry().redeemEnrollCode(enrollCodeHash(code), kNow,
                                                          {"a-2", "H21.09", "PC", "0.2.0", kNow});
  ASSERT_TRUE(second);
  EXPECT_FALSE(*second);
  EXPECT_TRUE((*store_->registry().agent("a-1")).has_value());
  EXPECT_FALSE((*store_->registry().agent("a-2")).has_value());
  EXPECT_TRUE((*store_->registry().enrollCode(enrollCodeHash(code)))->used_at.has_value());
}

TEST(EnrollCodeTest, CodesAreReadableAndRandom) {
  const std::string code = newEnrollCode();
  ASSERT_EQ(code.size(), 19u);
  for (size_t i = 0; i < code.size(); ++i) {
    if (i % 5 == 4) {
      EXPECT_EQ(code[i], '-');
    } else {
      EXPECT_NE(std::string("23456789ABCDEFGHJKLMNPQRSTUVWXYZ").find(code[i]), std::string::npos)
          << code;
    }
  }
  EXPECT_NE(newEnrollCode(), code);
}

TEST_P(HubStoreTest, APushIsStoredOnceAndAReplayChangesNothing) {
  const std::string agent = enrolled("H21.09", "UBND xã Bình Chương");
  const std::string batch = pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1")),
                                      entryJson(2, "u2", "token_removed", tokenBody("T1"))});
  EXPECT_EQ(push(agent, batch).acked, 2);
  EXPECT_EQ(*store_->ingest().entryCount(agent), 2);
  const auto replay = push(agent, batch);
  EXPECT_EQ(replay.kind, PushOutcome::Kind::Acked);
  EXPECT_EQ(replay.acked, 2);
  EXPECT_EQ(*store_->ingest().entryCount(agent), 2);
  // A replay that overlaps new entries stores only the new ones.
  const auto overlap =
      push(agent, pushJson({entryJson(2, "u2", "token_removed", tokenBody("T1")),
                            entryJson(3, "u3", "token_inserted", tokenBody("T1"))}));
  EXPECT_EQ(overlap.acked, 3);
  EXPECT_EQ(*store_->ingest().entryCount(agent), 3);
  const auto view = tokens({"", agent});
  ASSERT_EQ(view.size(), 1u);
  EXPECT_TRUE(view[0].token.present);
}

TEST_P(HubStoreTest, AGapIsRefusedWithWhatTheHubHolds) {
  const std::string agent = enrolled("H21.09", "UBND xã Bình Chương");
  ASSERT_EQ(push(agent, pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1"))})).acked,
            1);
  const auto gap = push(agent, pushJson({entryJson(3, "u3", "token_removed", tokenBody("T1"))}));
  EXPECT_EQ(gap.kind, PushOutcome::Kind::Gap);
  EXPECT_EQ(gap.acked, 1);
  EXPECT_EQ(*store_->ingest().entryCount(agent), 1);
  EXPECT_TRUE(tokens({"", agent})[0].token.present);
}

TEST_P(HubStoreTest, ASeqStoredWithAnotherUuidIsAConflictAndNothingIsStored) {
  const std::string agent = enrolled("H21.09", "UBND xã Bình Chương");
  ASSERT_EQ(push(agent, pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1"))})).acked,
            1);
  const auto conflict =
      push(agent, pushJson({entryJson(1, "other", "token_inserted", tokenBody("T1")),
                            entryJson(2, "u2", "token_removed", tokenBody("T1"))}));
  EXPECT_EQ(conflict.kind, PushOutcome::Kind::Conflict);
  EXPECT_NE(conflict.message.find("other"), std::string::npos) << conflict.message;
  EXPECT_EQ(*store_->ingest().entryCount(agent), 1);
  EXPECT_TRUE(tokens({"", agent})[0].token.present);  // entry 2 was not applied
}

TEST_P(HubStoreTest, EachLaneHasItsOwnSequence) {
  const std::string agent = enrolled("H21.09", "UBND xã Bình Chương");
  EXPECT_EQ(push(agent, pushJson({entryJson(1, "n1", "token_inserted", tokenBody("T1"))})).acked,
            1);
  EXPECT_EQ(push(agent, pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T2"))}, "urgent"))
                .acked,
            1);
  const auto record = *store_->registry().agent(agent);
  EXPECT_EQ(record->normal_acked, 1);
  EXPECT_EQ(record->urgent_acked, 1);
  EXPECT_EQ(record->backlog, 3);
  EXPECT_EQ(record->agent_version, "0.2.0");
  // agent_time 04:50:40, received at 05:00:00.
  EXPECT_EQ(record->clock_offset_seconds, 560);
  EXPECT_EQ(record->last_contact, kNow);
}

TEST_P(HubStoreTest, EntriesMoveTheViewAsTheyMoveTheAgentsStore) {
  const std::string agent = enrolled("H21.09", "UBND xã Bình Chương");
  const auto t0 = *parseIsoUtc("2026-01-01T00:00:00Z");
  const auto der = ca_.issue(test::individualSpec("Nguyễn Văn An", t0, t0 + 24h * 400));
  const auto renewed = ca_.issue(test::individualSpec("Nguyễn Văn An", t0, t0 + 24h * 800));
  const std::string fingerprint = sha256Hex(der);

  push(agent, pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1")),
                        entryJson(2, "e2", "certificate_appeared", certificateBody("T1", der))}));
  auto certs = certificates({"H21.09", ""});
  ASSERT_EQ(certs.size(), 1u);
  EXPECT_EQ(certs[0].agent_id, agent);
  EXPECT_EQ(certs[0].certificate.certificate.common_name, "Nguyễn Văn An");
  EXPECT_EQ(certs[0].certificate.certificate.kind, SubscriberKind::Individual);
  EXPECT_EQ(certs[0].certificate.token_serial, "T1");
  EXPECT_EQ(certs[0].certificate.token_label, "Token Văn thư");
  EXPECT_TRUE(certs[0].certificate.present);
  EXPECT_EQ(tokens({"H21.09", ""})[0].token.cert_count, 1);

  // Unplugged: the certificate is no longer present, and still known on that token.
  push(agent, pushJson({entryJson(3, "e3", "token_removed", tokenBody("T1"))}));
  certs = certificates({"H21.09", ""});
  EXPECT_FALSE(certs[0].certificate.present);
  EXPECT_EQ(certs[0].certificate.token_serial, "T1");
  push(agent, pushJson({entryJson(4, "e4", "token_inserted", tokenBody("T1"))}));
  EXPECT_TRUE(certificates({"H21.09", ""})[0].certificate.present);

  // Renewed on the token: the old one is off it, the new one on it.
  push(agent, pushJson({entryJson(5, "e5", "certificate_replaced",
                                  certificateBody("T1", renewed, fingerprint))}));
  certs = certificates({"H21.09", ""});
  ASSERT_EQ(certs.size(), 2u);
  for (const auto& c : certs) {
    EXPECT_EQ(c.certificate.present, c.certificate.certificate.fingerprint_sha256 != fingerprint);
  }
  push(agent,
       pushJson({entryJson(6, "e6", "certificate_disappeared", certificateBody("T1", renewed))}));
  for (const auto& c : certificates({"H21.09", ""})) EXPECT_FALSE(c.certificate.present);
  EXPECT_EQ(tokens({"H21.09", ""})[0].token.cert_count, 0);

  std::string locked = tokenBody("T1");
  locked.replace(locked.find("\"ok\""), 4, "\"locked\"");
  push(agent, pushJson({entryJson(7, "e7", "token_pin_state_changed", locked)}));
  EXPECT_EQ(tokens({"H21.09", ""})[0].token.token.pin_state, PinState::Locked);
}

TEST_P(HubStoreTest, ASnapshotReplacesTheAgentsWholeView) {
  const std::string agent = enrolled("H21.09", "UBND xã Bình Chương");
  const auto t0 = *parseIsoUtc("2026-01-01T00:00:00Z");
  const auto old_der = ca_.issue(test::individualSpec("Trần Thị Bình", t0, t0 + 24h * 400));
  const auto kept = ca_.issue(test::organizationSpec("UBND XÃ BÌNH CHƯƠNG", t0, t0 + 24h * 700));
  push(agent,
       pushJson({entryJson(1, "e1", "token_inserted", tokenBody("OLD")),
                 entryJson(2, "e2", "certificate_appeared", certificateBody("OLD", old_der))}));
  const std::string snapshot =
      "{\"tokens\": [{\"serial\": \"T9\", \"manufacturer\": \"Viettel-CA\", \"label\": \"Con dấu\","
      " \"model\": \"ePass\", \"pin_state\": \"ok\", \"present\": true, \"first_seen\": "
      "\"2026-02-01T00:00:00Z\", \"last_seen\": \"2026-11-01T00:00:00Z\"}], \"certificates\": "
      "[{\"fingerprint_sha256\": \"" +
      sha256Hex(kept) + "\", \"der\": \"" + test::base64(kept) +
      "\", \"token_serial\": \"T9\", \"token_manufacturer\": \"Viettel-CA\", \"present\": true, "
      "\"first_seen\": \"2026-02-01T00:00:00Z\", \"last_seen\": \"2026-11-01T00:00:00Z\"}]}";
  push(agent, pushJson({entryJson(3, "e3", "snapshot", snapshot)}));
  const auto view_tokens = tokens({"", agent});
  ASSERT_EQ(view_tokens.size(), 1u);
  EXPECT_EQ(view_tokens[0].token.token.serial, "T9");
  EXPECT_EQ(view_tokens[0].token.first_seen, *parseIsoUtc("2026-02-01T00:00:00Z"));
  const auto certs = certificates({"", agent});
  ASSERT_EQ(certs.size(), 1u);
  EXPECT_EQ(certs[0].certificate.certificate.fingerprint_sha256, sha256Hex(kept));
  EXPECT_EQ(certs[0].certificate.certificate.kind, SubscriberKind::Organization);
  EXPECT_TRUE(certs[0].certificate.present);
  EXPECT_EQ(certs[0].certificate.token_serial, "T9");
}

TEST_P(HubStoreTest, EachAgencySeesOnlyItsOwnAgentsData) {
  const std::string a = enrolled("H21.09", "UBND xã Bình Chương");
  const std::string b = enrolled("H21.10", "UBND xã Bình Hải");
  push(a, pushJson({entryJson(1, "a1", "token_inserted", tokenBody("SAME"))}));
  push(b, pushJson({entryJson(1, "b1", "token_inserted", tokenBody("SAME")),
                    entryJson(2, "b2", "token_removed", tokenBody("SAME"))}));
  const auto of_a = tokens({"H21.09", ""});
  ASSERT_EQ(of_a.size(), 1u);
  EXPECT_EQ(of_a[0].agent_id, a);
  EXPECT_TRUE(of_a[0].token.present);
  const auto of_b = tokens({"H21.10", ""});
  ASSERT_EQ(of_b.size(), 1u);
  EXPECT_FALSE(of_b[0].token.present);
}

std::vector<HubAlert> alertsOf(HubStore& store, const AlertFilter& filter) {
  auto list = everyPage<HubAlert>([&](const std::string& cursor) {
    AlertFilter paged = filter;
    paged.page.cursor = cursor;
    return store.views().alerts(paged);
  });
  CKS_CHECK(list.has_value());
  return *list;
}

TEST_P(HubStoreTest, AlertEntriesKeepTheLatestStatePerAgencyAndUuid) {
  const std::string a = enrolled("H21.09", "UBND xã Bình Chương");
  const std::string b = enrolled("H21.10", "UBND xã Bình Hải");
  test::AlertSpec spec{.uuid = "a-1",
                       .kind = "token_pin_locked",
                       .severity = "critical",
                       .token_serial = "T1",
                       .params = {{"token", "T1"}}};
  push(a, pushJson({entryJson(1, "e1", "alert_raised", test::alertBody(spec))}));
  spec.state = "acknowledged";
  spec.changed_at = "2026-11-22T06:00:00Z";
  push(a, pushJson({entryJson(1, "e1", "alert_raised", test::alertBody(spec))}));  // replay
  auto of_a = alertsOf(*store_, {"H21.09", false});
  ASSERT_EQ(of_a.size(), 1u);
  EXPECT_EQ(of_a[0].alert.state, AlertState::Open);
  push(a, pushJson({entryJson(2, "e2", "alert_changed", test::alertBody(spec))}));
  of_a = alertsOf(*store_, {"H21.09", false});
  ASSERT_EQ(of_a.size(), 1u);
  EXPECT_EQ(of_a[0].agency_code, "H21.09");
  EXPECT_EQ(of_a[0].agency_name, "UBND xã Bình Chương");
  EXPECT_EQ(of_a[0].agent_id, a);
  EXPECT_EQ(of_a[0].alert.uuid, "a-1");
  EXPECT_EQ(of_a[0].alert.kind, AlertKind::TokenPinLocked);
  EXPECT_EQ(of_a[0].alert.severity, Severity::Critical);
  EXPECT_EQ(of_a[0].alert.state, AlertState::Acknowledged);
  EXPECT_EQ(of_a[0].alert.token_serial, "T1");
  EXPECT_FALSE(of_a[0].alert.fingerprint.has_value());
  EXPECT_FALSE(of_a[0].alert.threshold_days.has_value());
  EXPECT_EQ(of_a[0].alert.changed_at, *parseIsoUtc("2026-11-22T06:00:00Z"));
  EXPECT_EQ(of_a[0].alert.params, (std::map<std::string, std::string>{{"token", "T1"}}));
  // The same uuid from another agency is that agency's own alert.
  spec.state = "resolved";
  spec.resolution = "cleared";
  push(b, pushJson({entryJson(1, "x1", "alert_changed", test::alertBody(spec))}));
  EXPECT_EQ(alertsOf(*store_, {"H21.09", true})[0].alert.state, AlertState::Acknowledged);
  EXPECT_TRUE(alertsOf(*store_, {"H21.10", false}).empty());
  const auto of_b = alertsOf(*store_, {"H21.10", true});
  ASSERT_EQ(of_b.size(), 1u);
  EXPECT_EQ(of_b[0].alert.resolution, "cleared");
  EXPECT_EQ(alertsOf(*store_, {"", true}).size(), 2u);
  EXPECT_EQ(*store_->ingest().entryCount(a), 2);
}

TEST_P(HubStoreTest, AStoreOfTheFirstSchemaIsUpgradedWithItsDataKept) {
  store_.reset();
  // A fresh store of the first released schema, as a hub before alerts left it.
  const std::string url =
      GetParam() == test::StoreBackend::Sqlite ? dir_.file("v1.db") : test::freshPostgresUrl();
  {
    auto pool = GetParam() == test::StoreBackend::Sqlite
                    ? openSqlitePool(url, {sqliteMigrations()[0]})
                    : openPostgresPool(url, {postgresMigrations()[0]});
    ASSERT_TRUE(pool) << pool.error().message;
    auto lease = (*pool)->acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE(
        (*lease)->run("INSERT INTO agencies (code, name, created_at, updated_at) VALUES "
                      "('H21.09', 'UBND xã Bình Chương', '', '')"));
  }
  auto upgraded = test::openStoreAt(url);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  EXPECT_EQ((*(*upgraded)->registry().agency("H21.09"))->name, "UBND xã Bình Chương");
  EXPECT_TRUE(alertsOf(**upgraded, {"", true}).empty());
}

TEST_P(HubStoreTest, RenamingAnAgencyQueuesTheNewNameForItsAgents) {
  const std::string agent = enrolled("H21.09", "UBND xã Bình Chương");
  auto feed = store_->ingest().feedAfter(agent, 0, 500);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->size(), 1u);
  EXPECT_EQ((*feed)[0].kind, "agency");
  EXPECT_EQ((*feed)[0].body->getValue<std::string>("name"), "UBND xã Bình Chương");
  ASSERT_TRUE(store_->registry().saveAgency({"H21.09", "UBND xã Bình Chương mới"}, kNow));
  ASSERT_TRUE(
      store_->registry().saveAgency({"H21.09", "UBND xã Bình Chương mới"}, kNow));  // no change
  feed = store_->ingest().feedAfter(agent, 1, 500);
  ASSERT_EQ(feed->size(), 1u);
  EXPECT_EQ((*feed)[0].seq, 2);
  EXPECT_EQ((*feed)[0].body->getValue<std::string>("name"), "UBND xã Bình Chương mới");
}

TEST_P(HubStoreTest, TheStoreSurvivesReopeningAndPassesItsIntegrityCheck) {
  const std::string agent = enrolled("H21.09", "UBND xã Bình Chương");
  push(agent, pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1"))}));
  store_.reset();
  auto reopened = test::openStoreAt(url_);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(*(*reopened)->integrityCheck(), "ok");
  EXPECT_EQ((*(*reopened)->registry().agent(agent))->normal_acked, 1);
}

TEST_P(HubStoreTest, ConcurrentPushesOfOneBatchStoreItOnceAndAllAreAnsweredAsReplays) {
  const std::string agent = enrolled("H21.09", "UBND xã Bình Chương");
  std::vector<std::string> entries;
  for (int seq = 1; seq <= 20; ++seq) {
    entries.push_back(entryJson(seq, "u" + std::to_string(seq),
                                seq % 2 ? "token_inserted" : "token_removed", tokenBody("T1")));
  }
  const PushBatch batch = test::pushBatchOf(pushJson(entries));
  // A second store on the same database is a second hub process (or admin command).
  auto other = test::openStoreAt(url_);
  ASSERT_TRUE(other) << other.error().message;
  std::atomic<int> acked_all{0};
  std::vector<std::string> failures;
  std::mutex failures_mutex;
  std::vector<std::thread> pushers;
  for (int i = 0; i < 8; ++i) {
    HubStore& store = i % 2 ? **other : *store_;
    pushers.emplace_back([&] {
      const auto outcome = store.ingest().push(agent, batch, kNow);
      if (outcome && outcome->kind == PushOutcome::Kind::Acked && outcome->acked == 20) {
        ++acked_all;
      } else {
        std::lock_guard lock(failures_mutex);
        failures.push_back(outcome ? outcome->message : outcome.error().message);
      }
    });
  }
  for (auto& pusher : pushers) pusher.join();
  EXPECT_EQ(acked_all, 8) << (failures.empty() ? "" : failures.front());
  EXPECT_EQ(*store_->ingest().entryCount(agent), 20);
  EXPECT_EQ((*store_->registry().agent(agent))->normal_acked, 20);
  const auto view = tokens({"", agent});
  ASSERT_EQ(view.size(), 1u);
  EXPECT_FALSE(view[0].token.present);  // entry 20 unplugged it
}

TEST_P(HubStoreTest, TwoEnrolmentsRacingForOneCodeOneWins) {
  ASSERT_TRUE(store_->registry().saveAgency({"H21.09", "UBND xã Bình Chương"}, kNow));
  const std::string code = newEnrollCode();
  ASSERT_TRUE(store_->registry().addEnrollCode(enrollCodeHash(code), "H21.09", kNow + 1h, kNow));
  auto other = test::openStoreAt(url_);
  ASSERT_TRUE(other) << other.error().message;
  std::atomic<int> won{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < 6; ++i) {
    HubStore& store = i % 2 ? **other : *store_;
    racers.emplace_back([&, i] {
      const auto redeemed = store.registry().redeemEnrollCode(
          enrollCodeHash(code), kNow, {"a-" + std::to_string(i), "H21.09", "PC", "0.2.0", kNow});
      if (!redeemed) {
        ++errors;
      } else if (*redeemed) {
        ++won;
      }
    });
  }
  for (auto& racer : racers) racer.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(store_->registry().agents()->size(), 1u);
}

TEST_P(HubStoreTest, ATransactionThatLosesARaceForAKeyIsRunAgain) {
  // Every saver finds no agency and inserts it: on PostgreSQL all but one hit the primary key
  // (a unique violation), are run again, and then find it saved.
  auto other = test::openStoreAt(url_);
  ASSERT_TRUE(other) << other.error().message;
  std::vector<std::string> errors;
  std::mutex errors_mutex;
  std::vector<std::thread> savers;
  for (int i = 0; i < 6; ++i) {
    HubStore& store = i % 2 ? **other : *store_;
    savers.emplace_back([&] {
      if (auto saved = store.registry().saveAgency({"H21.11", "UBND xã Bình Hòa"}, kNow); !saved) {
        std::lock_guard lock(errors_mutex);
        errors.push_back(saved.error().message);
      }
    });
  }
  for (auto& saver : savers) saver.join();
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ((*store_->registry().agency("H21.11"))->name, "UBND xã Bình Hòa");
}

TEST_P(HubStoreTest, EachTokenAndCertificateCountsOncePerAgencyAndRevokedAgentsNoLonger) {
  const auto t0 = *parseIsoUtc("2026-01-01T00:00:00Z");
  const auto der = ca_.issue(test::individualSpec("Nguyễn Văn An", t0, t0 + 24h * 400));
  const std::string old_pc = enrolled("H21.09", "UBND xã Bình Chương");
  const std::string token_and_cert =
      pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1"), "2026-11-01T00:00:00Z"),
                entryJson(2, "e2", "certificate_appeared", certificateBody("T1", der),
                          "2026-11-01T00:00:00Z")});
  push(old_pc, token_and_cert);
  // The PC enrols again (a fresh agent) and sees the same token, later.
  ASSERT_TRUE(*store_->registry().revokeAgent(old_pc));
  const std::string new_pc = enrolled("H21.09", "UBND xã Bình Chương");
  push(new_pc,
       pushJson({entryJson(1, "n1", "token_inserted", tokenBody("T1"), "2026-11-20T00:00:00Z"),
                 entryJson(2, "n2", "certificate_appeared", certificateBody("T1", der),
                           "2026-11-20T00:00:00Z")}));
  const auto agency_tokens = tokens({"H21.09", ""});
  ASSERT_EQ(agency_tokens.size(), 1u);
  EXPECT_EQ(agency_tokens[0].agent_id, new_pc);
  EXPECT_TRUE(agency_tokens[0].token.present);
  const auto agency_certs = certificates({"H21.09", ""});
  ASSERT_EQ(agency_certs.size(), 1u);
  EXPECT_EQ(agency_certs[0].agent_id, new_pc);
  EXPECT_EQ(certificates({"", ""}).size(), 1u);
  // Each agent's own view is still what it pushed.
  EXPECT_EQ(tokens({"", old_pc}).size(), 1u);
  EXPECT_EQ(certificates({"", old_pc}).size(), 1u);

  // A second PC of the agency (not revoked) where the token is not plugged in now: the sighting
  // where it is plugged in counts, and the token was first seen when the first PC saw it.
  const std::string other_pc = enrolled("H21.09", "UBND xã Bình Chương");
  push(other_pc,
       pushJson({entryJson(1, "o1", "token_inserted", tokenBody("T1"), "2026-11-21T00:00:00Z"),
                 entryJson(2, "o2", "certificate_appeared", certificateBody("T1", der),
                           "2026-11-21T00:00:00Z"),
                 entryJson(3, "o3", "token_removed", tokenBody("T1"), "2026-11-21T01:00:00Z")}));
  const auto both = tokens({"H21.09", ""});
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].agent_id, new_pc);
  EXPECT_TRUE(both[0].token.present);
  EXPECT_EQ(both[0].token.first_seen, *parseIsoUtc("2026-11-20T00:00:00Z"));
  ASSERT_EQ(certificates({"H21.09", ""}).size(), 1u);
  EXPECT_TRUE(certificates({"H21.09", ""})[0].certificate.present);
  // Another agency that saw the token has its own line (its own entries: an entry's uuid is
  // never another agency's).
  const std::string elsewhere = enrolled("H21.10", "UBND xã Bình Hải");
  push(elsewhere,
       pushJson({entryJson(1, "h1", "token_inserted", tokenBody("T1"), "2026-11-01T00:00:00Z"),
                 entryJson(2, "h2", "certificate_appeared", certificateBody("T1", der),
                           "2026-11-01T00:00:00Z")}));
  EXPECT_EQ(tokens({"", ""}).size(), 2u);
  EXPECT_EQ(certificates({"", ""}).size(), 2u);
}

TEST_P(HubStoreTest, TheDirectoryKeepsTypeAndParentAndARenameKeepsTheType) {
  ASSERT_TRUE(store_->registry().saveAgency(
      {"H48.01", "UBND phường Hải Châu", AgencyType::Commune, ""}, kNow));
  ASSERT_TRUE(
      store_->registry().saveAgency({"H48.01", "UBND phuong Hai Chau", std::nullopt, ""}, kNow));
  auto agency = *store_->registry().agency("H48.01");
  EXPECT_EQ(agency->name, "UBND phuong Hai Chau");
  EXPECT_EQ(agency->type, AgencyType::Commune);
  ASSERT_TRUE(store_->registry().saveAgency({"H48.02", "Sở Y tế"}, kNow));
  EXPECT_EQ((*store_->registry().agency("H48.02"))->type, AgencyType::Other);  // nobody said

  const std::string agent = enrolled("H48.01", "UBND phuong Hai Chau");
  auto imported = store_->registry().importAgencies(
      {{"H48", "UBND thành phố Đà Nẵng", AgencyType::Other, ""},
       {"H48.01", "UBND phường Hải Châu", AgencyType::Commune, "H48"},
       {"H48.02", "Sở Y tế", AgencyType::Department, "H48"}},
      kNow);
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(imported->added, 1);
  EXPECT_EQ(imported->renamed, 1);
  EXPECT_EQ(imported->updated, 1);
  EXPECT_EQ(imported->unchanged, 0);
  const auto all = *store_->registry().agencies();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].parent, "H48");
  EXPECT_EQ(all[2].type, AgencyType::Department);
  EXPECT_EQ(all[0].parent, "");
  // The renamed agency's agent learns its name.
  const auto feed = *store_->ingest().feedAfter(agent, 1, 500);
  ASSERT_EQ(feed.size(), 1u);
  EXPECT_EQ(feed[0].body->getValue<std::string>("name"), "UBND phường Hải Châu");
  // The province report counts each agency under its directory type.
  const auto province = aggregateProvince(2026, all, {}, kNow);
  EXPECT_EQ(province.by_type[size_t(AgencyType::Commune)].agencies_expected, 1);
  EXPECT_EQ(province.by_type[size_t(AgencyType::Department)].agencies_expected, 1);
  EXPECT_EQ(province.by_type[size_t(AgencyType::Other)].agencies_expected, 1);
}

TEST_P(HubStoreTest, AStoreFromBeforeTheDirectoryKeepsTheTypesItWasReportedUnder) {
  store_.reset();
  const std::string url =
      GetParam() == test::StoreBackend::Sqlite ? dir_.file("v5.db") : test::freshPostgresUrl();
  {
    auto sqlite = sqliteMigrations();
    auto postgres = postgresMigrations();
    auto pool = GetParam() == test::StoreBackend::Sqlite
                    ? openSqlitePool(url, {sqlite.begin(), sqlite.begin() + 5})
                    : openPostgresPool(url, {postgres.begin(), postgres.begin() + 5});
    ASSERT_TRUE(pool) << pool.error().message;
    auto lease = (*pool)->acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE(
        (*lease)->run("INSERT INTO agencies (code, name, created_at, updated_at) VALUES "
                      "('H21.09', 'UBND xã Bình Chương', '', ''), ('H21.10', 'Sở Y tế', '', ''), "
                      "('H21.11', 'Trung tâm Y tế', '', '')"));
  }
  auto upgraded = test::openStoreAt(url);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  HubStore& store = **upgraded;
  EXPECT_EQ((*store.registry().agency("H21.09"))->type, AgencyType::Commune);
  EXPECT_EQ((*store.registry().agency("H21.10"))->type, AgencyType::Department);
  EXPECT_EQ((*store.registry().agency("H21.11"))->type, AgencyType::Other);
  // Typed once: a later name without diacritics does not move it.
  ASSERT_TRUE(store.registry().saveAgency({"H21.09", "UBND xa Binh Chuong"}, kNow));
  upgraded->reset();
  auto reopened = test::openStoreAt(url);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ((*(*reopened)->registry().agency("H21.09"))->type, AgencyType::Commune);
}

TEST_P(HubStoreTest, AWithdrawnCodeCannotEnrolAndAUsedOneCannotBeWithdrawn) {
  ASSERT_TRUE(store_->registry().saveAgency({"H21.09", "UBND xã Bình Chương"}, kNow));
  const std::string withdrawn = newEnrollCode();
  const std::string used = newEnrollCode();
  ASSERT_TRUE(
      store_->registry().addEnrollCode(enrollCodeHash(withdrawn), "H21.09", kNow + 1h, kNow));
  ASSERT_TRUE(
      store_->registry().addEnrollCode(enrollCodeHash(used), "H21.09", kNow + 1h, kNow + 1min));
  EXPECT_EQ(*store_->registry().revokeEnrollCode(enrollCodeHash(withdrawn), kNow),
            CodeRevocation::Revoked);
  EXPECT_EQ(*store_->registry().revokeEnrollCode(enrollCodeHash(withdrawn), kNow),
            CodeRevocation::AlreadyRevoked);
  EXPECT_FALSE(*store_->registry().redeemEnrollCode(enrollCodeHash(withdrawn), kNow,
                                                    {"a-1", "H21.09", "PC", "0.2.0", kNow}));
  EXPECT_EQ((*store_->registry().enrollCode(enrollCodeHash(withdrawn)))->revoked_at, kNow);
  EXPECT_TRUE(*store_->registry().redeemEnrollCode(enrollCodeHash(used), kNow,
                                                   {"a-2", "H21.09", "PC", "0.2.0", kNow}));
  EXPECT_EQ(*store_->registry().revokeEnrollCode(enrollCodeHash(used), kNow),
            CodeRevocation::AlreadyUsed);
  EXPECT_EQ(*store_->registry().revokeEnrollCode(enrollCodeHash("AAAA-BBBB-CCCC-DDDD"), kNow),
            CodeRevocation::Unknown);
  const auto codes = *store_->registry().enrollCodes();
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[0].code_hash, enrollCodeHash(used));  // the newest first
  EXPECT_EQ(codes[0].used_by, "a-2");
  EXPECT_FALSE(codes[0].revoked_at.has_value());
  EXPECT_EQ(codes[1].revoked_at, kNow);
  EXPECT_FALSE(codes[1].used_at.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, HubStoreTest, test::kStoreBackends, test::storeBackendName);

}  // namespace
}  // namespace cks::hub
